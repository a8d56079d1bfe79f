//! `Practice` and its measured `Outcome`s.

use async_graphql::{Context, ID, Object};
use entity::{outcome, practice};

use super::{Adoption, Agreement, AuditEntry, Region, Visit, load_many, load_one};
use crate::error::{ApiError, Result};
use crate::graphql::enums::{Maturity, PracticeForm, PracticeStatus, Sector};
use crate::graphql::loaders::*;
use crate::graphql::scalars::{Date, DateTime};

/// A best practice or innovation a region (its guru) runs and can teach.
pub struct Practice(pub practice::Model);

/// A best practice or innovation a region (its guru) runs and can teach.
#[Object]
impl Practice {
    /// Stable id (UUID).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// URL-friendly unique name, e.g. `sumedang-e-office`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Title, e.g. "Super aplikasi e-Office".
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// One-paragraph summary.
    async fn summary(&self) -> &str {
        &self.0.summary
    }

    /// Long description: how it works and how to adopt it.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Code of the owner (guru) region.
    async fn owner_region_code(&self) -> &str {
        &self.0.owner_region_code
    }

    /// The region that owns the practice: the guru.
    async fn owner(&self, ctx: &Context<'_>) -> Result<Region> {
        load_one(ctx, RegionByCode(self.0.owner_region_code.clone()))
            .await?
            .map(Region)
            .ok_or_else(|| ApiError::internal(&DanglingReference("practice owner")))
    }

    /// Government affairs the practice belongs to.
    async fn sectors(&self, ctx: &Context<'_>) -> Result<Vec<Sector>> {
        Ok(load_many(ctx, SectorsOf(self.0.id))
            .await?
            .into_iter()
            .map(Sector::from)
            .collect())
    }

    /// Governance, public service or other.
    async fn form(&self) -> PracticeForm {
        self.0.form.into()
    }

    /// Whether the practice is digital; null when the source does not say.
    async fn is_digital(&self) -> Option<bool> {
        self.0.is_digital
    }

    /// Initiative, trial or applied; null when the source does not say.
    async fn maturity(&self) -> Option<Maturity> {
        self.0.maturity.map(Maturity::from)
    }

    /// Active or stopped.
    async fn status(&self) -> PracticeStatus {
        self.0.status.into()
    }

    /// When the status and facts were last confirmed.
    async fn last_verified_on(&self) -> Option<Date> {
        self.0.last_verified_on.map(Date)
    }

    /// Year the practice started.
    async fn year_started(&self) -> Option<i32> {
        self.0.year_started
    }

    /// True when the owner invites other regions to adopt it.
    async fn looking_for_adopters(&self) -> bool {
        self.0.looking_for_adopters
    }

    /// Whom to contact (office, e-mail or phone).
    async fn contact(&self) -> Option<&str> {
        self.0.contact.as_deref()
    }

    /// Links to documentation, regulations or reports.
    async fn links(&self) -> &[String] {
        &self.0.links.0
    }

    /// Lessons learned, for those who adopt it.
    async fn lessons_learned(&self) -> Option<&str> {
        self.0.lessons_learned.as_deref()
    }

    /// Measured outcomes: the evidence that makes a guru credible.
    async fn outcomes(&self, ctx: &Context<'_>) -> Result<Vec<Outcome>> {
        Ok(load_many(ctx, OutcomesOf(self.0.id))
            .await?
            .into_iter()
            .map(Outcome)
            .collect())
    }

    /// Agreements that transfer this practice, latest signing first.
    async fn agreements(&self, ctx: &Context<'_>) -> Result<Vec<Agreement>> {
        Ok(load_many(ctx, AgreementsTransferring(self.0.id))
            .await?
            .into_iter()
            .map(Agreement)
            .collect())
    }

    /// Regions adopting or having adopted this practice.
    async fn adoptions(&self, ctx: &Context<'_>) -> Result<Vec<Adoption>> {
        Ok(load_many(ctx, AdoptionsOfPractice(self.0.id))
            .await?
            .into_iter()
            .map(Adoption)
            .collect())
    }

    /// Benchmarking visits that studied this practice, latest first.
    async fn visits(&self, ctx: &Context<'_>) -> Result<Vec<Visit>> {
        Ok(load_many(ctx, VisitsStudying(self.0.id))
            .await?
            .into_iter()
            .map(Visit)
            .collect())
    }

    /// Writes to this practice, newest first (its own audit trail).
    async fn changes(&self, ctx: &Context<'_>) -> Result<Vec<AuditEntry>> {
        Ok(load_many(ctx, ChangesOf(self.0.id.to_string()))
            .await?
            .into_iter()
            .map(AuditEntry)
            .collect())
    }

    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the practice was archived (hidden from lists); null when current.
    async fn archived_at(&self) -> Option<DateTime> {
        self.0.archived_at.map(DateTime)
    }

    /// When the entry was created.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }

    /// When the entry last changed: how fresh it is.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
}

/// A measured outcome of a practice, e.g. poverty rate 7.25% -> 6.82%.
pub struct Outcome(pub outcome::Model);

/// A measured outcome of a practice, e.g. poverty rate 7.25% -> 6.82%.
#[Object]
impl Outcome {
    /// Stable id (UUID).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// What was measured, e.g. "Persentase penduduk miskin".
    async fn metric(&self) -> &str {
        &self.0.metric
    }

    /// Unit, e.g. "%" or "index (0-5)".
    async fn unit(&self) -> Option<&str> {
        self.0.unit.as_deref()
    }

    /// Value before the practice.
    async fn baseline_value(&self) -> Option<f64> {
        self.0.baseline_value
    }

    /// Year of the baseline value.
    async fn baseline_year(&self) -> Option<i32> {
        self.0.baseline_year
    }

    /// Value achieved.
    async fn achieved_value(&self) -> Option<f64> {
        self.0.achieved_value
    }

    /// Year of the achieved value.
    async fn achieved_year(&self) -> Option<i32> {
        self.0.achieved_year
    }

    /// Achieved minus baseline, when both are known.
    async fn change(&self) -> Option<f64> {
        match (self.0.baseline_value, self.0.achieved_value) {
            (Some(b), Some(a)) => Some(((a - b) * 1e6).round() / 1e6),
            _ => None,
        }
    }

    /// Where the figures come from.
    async fn source(&self) -> Option<&str> {
        self.0.source.as_deref()
    }
}

/// A foreign key pointed at a row that is not there: a data bug.
#[derive(Debug, thiserror::Error)]
#[error("dangling reference: {0}")]
pub(crate) struct DanglingReference(pub &'static str);
