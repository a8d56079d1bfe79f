//! Follow-ups after adoption.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use super::viewer;
use crate::domain::adoption::follow_up::{self, MeasuredOutcome, NewFollowUp};
use crate::domain::parse_id;
use crate::error::Result;
use crate::graphql::db;
use crate::graphql::scalars::Date;
use crate::graphql::types::Adoption;
use crate::graphql::types::follow_up::AdoptionFollowUp;

/// An outcome the adopting region measured itself.
#[derive(InputObject)]
pub struct AdopterOutcomeInput {
    /// What was measured, e.g. "Waktu layanan izin".
    pub metric: String,
    /// Unit, e.g. "hari".
    pub unit: String,
    /// Value before the practice, when known.
    pub baseline: Option<f64>,
    /// Value measured.
    pub value: f64,
}

/// A follow-up of an adoption being piloted or adopted.
#[derive(InputObject)]
pub struct RecordAdoptionFollowUpInput {
    /// The adoption.
    pub adoption_id: ID,
    /// The adoption's `version` you last read (optional; a stale one is refused).
    pub version: Option<i32>,
    /// When the follow-up was made (not in the future).
    pub on: Date,
    /// Whether the practice still runs; false stops the adoption.
    pub still_running: bool,
    /// Why it stopped (required when `stillRunning` is false, refused otherwise).
    pub stop_reason: Option<String>,
    /// The adopter's own measured outcome.
    pub outcome: Option<AdopterOutcomeInput>,
    /// A note.
    pub note: Option<String>,
}

/// A recorded follow-up, with its adoption.
#[derive(SimpleObject)]
pub struct RecordAdoptionFollowUpPayload {
    /// The follow-up.
    pub follow_up: AdoptionFollowUp,
    /// The adoption (STOPPED when the practice stopped; new `version`).
    pub adoption: Adoption,
}

/// Writes of follow-ups.
#[derive(Default)]
pub struct FollowUpMutation;

#[Object]
impl FollowUpMutation {
    /// Records a follow-up of an adoption (editors of the adopting region).
    async fn record_adoption_follow_up(
        &self,
        ctx: &Context<'_>,
        input: RecordAdoptionFollowUpInput,
    ) -> Result<RecordAdoptionFollowUpPayload> {
        let id = parse_id("input.adoptionId", &input.adoption_id)?;
        let (f, a) = follow_up::record_follow_up(
            db(ctx)?,
            viewer(ctx),
            id,
            input.version,
            NewFollowUp {
                on: input.on.0,
                still_running: input.still_running,
                stop_reason: input.stop_reason,
                outcome: input.outcome.map(|o| MeasuredOutcome {
                    metric: o.metric,
                    unit: o.unit,
                    baseline: o.baseline,
                    value: o.value,
                }),
                note: input.note,
            },
        )
        .await?;
        Ok(RecordAdoptionFollowUpPayload {
            follow_up: AdoptionFollowUp(f),
            adoption: Adoption(a),
        })
    }
}
