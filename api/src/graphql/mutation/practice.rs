//! Writes of practices and their outcomes.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use super::{patch, viewer};
use crate::domain::parse_id;
use crate::domain::practice::write::{
    self as practices, NewPractice, OutcomeFields, PracticePatch,
};
use crate::error::Result;
use crate::graphql::db;
use crate::graphql::enums::{Maturity, PracticeForm, PracticeStatus, Sector};
use crate::graphql::types::{Outcome, Practice};

/// A new practice; the owner region is named by its code.
#[derive(InputObject)]
pub struct CreatePracticeInput {
    /// Title, e.g. "Super aplikasi e-Office".
    pub title: String,
    /// One-paragraph summary.
    pub summary: String,
    /// URL-friendly name; made from the title when omitted.
    pub slug: Option<String>,
    /// How it works and how to adopt it.
    pub description: Option<String>,
    /// Code of the owner (guru) region, e.g. "32.11".
    pub owner_region_code: ID,
    /// Government affairs it belongs to (at least one).
    pub sectors: Vec<Sector>,
    /// Governance, public service or other.
    pub form: PracticeForm,
    /// Whether it is digital.
    pub is_digital: Option<bool>,
    /// Initiative, trial or applied.
    pub maturity: Option<Maturity>,
    /// Active (default) or stopped.
    pub status: Option<PracticeStatus>,
    /// Year it started.
    pub year_started: Option<i32>,
    /// Whether the owner invites adopters (default false).
    pub looking_for_adopters: Option<bool>,
    /// Whom to contact.
    pub contact: Option<String>,
    /// Links to documents.
    pub links: Option<Vec<String>>,
    /// Lessons learned.
    pub lessons_learned: Option<String>,
}

/// Changes to a practice: omitted fields stay, `null` clears a nullable field.
#[derive(InputObject)]
pub struct UpdatePracticeInput {
    /// Practice id.
    pub id: ID,
    /// The `version` you last read; a newer one on the server means someone
    /// else changed it, and the update is refused with `CONFLICT`.
    pub version: i32,
    /// New title.
    pub title: Option<String>,
    /// New summary.
    pub summary: Option<String>,
    /// New description.
    pub description: MaybeUndefined<String>,
    /// New sectors (replace the old ones).
    pub sectors: Option<Vec<Sector>>,
    /// New form.
    pub form: Option<PracticeForm>,
    /// New digital flag.
    pub is_digital: MaybeUndefined<bool>,
    /// New maturity.
    pub maturity: MaybeUndefined<Maturity>,
    /// New status.
    pub status: Option<PracticeStatus>,
    /// New start year.
    pub year_started: MaybeUndefined<i32>,
    /// New contact.
    pub contact: MaybeUndefined<String>,
    /// New links (replace the old ones).
    pub links: Option<Vec<String>>,
    /// New lessons learned.
    pub lessons_learned: MaybeUndefined<String>,
}

/// Names a practice at the version you last read.
#[derive(InputObject)]
pub struct PracticeVersionInput {
    /// Practice id.
    pub id: ID,
    /// The `version` you last read.
    pub version: i32,
}

/// Whether the owner invites adopters.
#[derive(InputObject)]
pub struct SetLookingForAdoptersInput {
    /// Practice id.
    pub id: ID,
    /// The `version` you last read.
    pub version: i32,
    /// True to invite adopters.
    pub looking_for_adopters: bool,
}

/// A measured outcome to add to a practice.
#[derive(InputObject)]
pub struct AddOutcomeInput {
    /// Practice id.
    pub practice_id: ID,
    /// The measured values.
    pub outcome: OutcomeInput,
}

/// New values of an outcome.
#[derive(InputObject)]
pub struct UpdateOutcomeInput {
    /// Outcome id.
    pub id: ID,
    /// The measured values (replace the old ones).
    pub outcome: OutcomeInput,
}

/// Names an outcome.
#[derive(InputObject)]
pub struct RemoveOutcomeInput {
    /// Outcome id.
    pub id: ID,
}

/// A measured outcome.
#[derive(InputObject)]
pub struct OutcomeInput {
    /// What was measured, e.g. "Persentase penduduk miskin".
    pub metric: String,
    /// Unit, e.g. "%".
    pub unit: Option<String>,
    /// Value before the practice.
    pub baseline_value: Option<f64>,
    /// Year of the baseline.
    pub baseline_year: Option<i32>,
    /// Value achieved.
    pub achieved_value: Option<f64>,
    /// Year of the achieved value.
    pub achieved_year: Option<i32>,
    /// Where the figures come from.
    pub source: Option<String>,
}

impl From<OutcomeInput> for OutcomeFields {
    fn from(o: OutcomeInput) -> Self {
        Self {
            metric: o.metric,
            unit: o.unit,
            baseline_value: o.baseline_value,
            baseline_year: o.baseline_year,
            achieved_value: o.achieved_value,
            achieved_year: o.achieved_year,
            source: o.source,
        }
    }
}

/// The practice after a write.
#[derive(SimpleObject)]
pub struct PracticePayload {
    /// The practice as saved (with its new `version`).
    pub practice: Practice,
}

/// An outcome after a write, with its practice.
#[derive(SimpleObject)]
pub struct OutcomePayload {
    /// The outcome as saved.
    pub outcome: Outcome,
    /// Its practice (with its new `version`).
    pub practice: Practice,
}

/// Writes of practices.
#[derive(Default)]
pub struct PracticeMutation;

#[Object]
impl PracticeMutation {
    /// Creates a practice owned by a region the caller writes for.
    async fn create_practice(
        &self,
        ctx: &Context<'_>,
        input: CreatePracticeInput,
    ) -> Result<PracticePayload> {
        let p = practices::create(
            db(ctx)?,
            viewer(ctx),
            NewPractice {
                title: input.title,
                summary: input.summary,
                slug: input.slug,
                description: input.description,
                owner_region_code: input.owner_region_code.0,
                sectors: input.sectors.into_iter().map(Into::into).collect(),
                form: input.form.into(),
                is_digital: input.is_digital,
                maturity: input.maturity.map(Into::into),
                status: input
                    .status
                    .map_or(entity::PracticeStatus::Active, Into::into),
                last_verified_on: None,
                year_started: input.year_started,
                looking_for_adopters: input.looking_for_adopters.unwrap_or(false),
                contact: input.contact,
                links: input.links.unwrap_or_default(),
                lessons_learned: input.lessons_learned,
            },
        )
        .await?;
        Ok(PracticePayload {
            practice: Practice(p),
        })
    }

    /// Changes a practice; refused with `CONFLICT` when `version` is stale.
    async fn update_practice(
        &self,
        ctx: &Context<'_>,
        input: UpdatePracticeInput,
    ) -> Result<PracticePayload> {
        let id = parse_id("input.id", &input.id)?;
        let p = practices::update(
            db(ctx)?,
            viewer(ctx),
            id,
            input.version,
            PracticePatch {
                title: input.title,
                summary: input.summary,
                description: patch(input.description),
                sectors: input
                    .sectors
                    .map(|s| s.into_iter().map(Into::into).collect()),
                form: input.form.map(Into::into),
                is_digital: patch(input.is_digital),
                maturity: patch(input.maturity).map(|m| m.map(Into::into)),
                status: input.status.map(Into::into),
                year_started: patch(input.year_started),
                contact: patch(input.contact),
                links: input.links,
                lessons_learned: patch(input.lessons_learned),
            },
        )
        .await?;
        Ok(PracticePayload {
            practice: Practice(p),
        })
    }

    /// Archives a practice: it disappears from lists but stays readable by id.
    async fn archive_practice(
        &self,
        ctx: &Context<'_>,
        input: PracticeVersionInput,
    ) -> Result<PracticePayload> {
        let id = parse_id("input.id", &input.id)?;
        let now = chrono::Utc::now();
        let p = practices::change(
            db(ctx)?,
            viewer(ctx),
            id,
            input.version,
            "archivePractice",
            |p| {
                p.archived_at.get_or_insert(now);
            },
        )
        .await?;
        Ok(PracticePayload {
            practice: Practice(p),
        })
    }

    /// Brings an archived practice back into lists.
    async fn restore_practice(
        &self,
        ctx: &Context<'_>,
        input: PracticeVersionInput,
    ) -> Result<PracticePayload> {
        let id = parse_id("input.id", &input.id)?;
        let p = practices::change(
            db(ctx)?,
            viewer(ctx),
            id,
            input.version,
            "restorePractice",
            |p| {
                p.archived_at = None;
            },
        )
        .await?;
        Ok(PracticePayload {
            practice: Practice(p),
        })
    }

    /// Records that the practice's facts were checked today.
    async fn verify_practice(
        &self,
        ctx: &Context<'_>,
        input: PracticeVersionInput,
    ) -> Result<PracticePayload> {
        let id = parse_id("input.id", &input.id)?;
        let today = chrono::Utc::now().date_naive();
        let p = practices::verify(db(ctx)?, viewer(ctx), id, input.version, today).await?;
        Ok(PracticePayload {
            practice: Practice(p),
        })
    }

    /// Says whether the owner invites other regions to adopt the practice.
    async fn set_looking_for_adopters(
        &self,
        ctx: &Context<'_>,
        input: SetLookingForAdoptersInput,
    ) -> Result<PracticePayload> {
        let id = parse_id("input.id", &input.id)?;
        let looking = input.looking_for_adopters;
        let p = practices::change(
            db(ctx)?,
            viewer(ctx),
            id,
            input.version,
            "setLookingForAdopters",
            |p| {
                p.looking_for_adopters = looking;
            },
        )
        .await?;
        Ok(PracticePayload {
            practice: Practice(p),
        })
    }

    /// Adds a measured outcome to a practice.
    async fn add_outcome(
        &self,
        ctx: &Context<'_>,
        input: AddOutcomeInput,
    ) -> Result<OutcomePayload> {
        let id = parse_id("input.practiceId", &input.practice_id)?;
        let (o, p) =
            practices::add_outcome(db(ctx)?, viewer(ctx), id, input.outcome.into()).await?;
        Ok(OutcomePayload {
            outcome: Outcome(o),
            practice: Practice(p),
        })
    }

    /// Replaces the values of an outcome.
    async fn update_outcome(
        &self,
        ctx: &Context<'_>,
        input: UpdateOutcomeInput,
    ) -> Result<OutcomePayload> {
        let id = parse_id("input.id", &input.id)?;
        let (o, p) =
            practices::update_outcome(db(ctx)?, viewer(ctx), id, input.outcome.into()).await?;
        Ok(OutcomePayload {
            outcome: Outcome(o),
            practice: Practice(p),
        })
    }

    /// Removes an outcome; returns its practice.
    async fn remove_outcome(
        &self,
        ctx: &Context<'_>,
        input: RemoveOutcomeInput,
    ) -> Result<PracticePayload> {
        let id = parse_id("input.id", &input.id)?;
        let p = practices::remove_outcome(db(ctx)?, viewer(ctx), id).await?;
        Ok(PracticePayload {
            practice: Practice(p),
        })
    }
}
