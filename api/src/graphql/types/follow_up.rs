//! `AdoptionFollowUp`: does a practice still run at its adopter, and what
//! did the adopter measure?

use async_graphql::{ID, Object, SimpleObject};
use entity::adoption_follow_up;

use crate::graphql::scalars::{Date, DateTime};

/// An outcome the adopting region measured itself.
#[derive(SimpleObject, Clone, Debug)]
pub struct AdopterOutcome {
    /// What was measured.
    pub metric: String,
    /// Unit.
    pub unit: String,
    /// Value before the practice, when known.
    pub baseline: Option<f64>,
    /// Value measured.
    pub value: f64,
}

/// A follow-up of an adoption: asked a while after piloting or adoption
/// whether the practice still runs.
pub struct AdoptionFollowUp(pub adoption_follow_up::Model);

/// A follow-up of an adoption: asked a while after piloting or adoption
/// whether the practice still runs, with the adopter's own measured outcome.
#[Object]
impl AdoptionFollowUp {
    /// Follow-up id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The adoption followed up.
    async fn adoption_id(&self) -> ID {
        ID(self.0.adoption_id.to_string())
    }

    /// When the follow-up was made.
    async fn on(&self) -> Date {
        Date(self.0.followed_up_on)
    }

    /// Whether the practice still runs at the adopter.
    async fn still_running(&self) -> bool {
        self.0.still_running
    }

    /// Why it stopped, when it did.
    async fn stop_reason(&self) -> Option<&str> {
        self.0.stop_reason.as_deref()
    }

    /// The outcome the adopter measured, when it measured one.
    async fn outcome(&self) -> Option<AdopterOutcome> {
        let m = &self.0;
        Some(AdopterOutcome {
            metric: m.outcome_metric.clone()?,
            unit: m.outcome_unit.clone().unwrap_or_default(),
            baseline: m.outcome_baseline,
            value: m.outcome_value?,
        })
    }

    /// A note.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// When it was recorded.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
}
