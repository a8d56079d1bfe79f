//! `Adoption`: a region taking up a practice.

use async_graphql::{Context, ID, Object};
use entity::adoption;

use super::follow_up::AdoptionFollowUp;
use super::practice::DanglingReference;
use super::{Agreement, AuditEntry, LearningRequest, Practice, Region, load_many, load_one};
use crate::domain::adoption::follow_up;
use crate::error::{ApiError, Result};
use crate::graphql::enums::AdoptionStage;
use crate::graphql::loaders::*;
use crate::graphql::scalars::{Date, DateTime};

/// A region adopting a practice, optionally under an agreement: did the
/// transfer really happen?
pub struct Adoption(pub adoption::Model);

/// A region adopting a practice, optionally under an agreement: did the
/// transfer really happen?
#[Object]
impl Adoption {
    /// Stable id (UUID).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The practice being adopted.
    async fn practice(&self, ctx: &Context<'_>) -> Result<Practice> {
        load_one(ctx, PracticeById(self.0.practice_id))
            .await?
            .map(Practice)
            .ok_or_else(|| ApiError::internal(&DanglingReference("adoption practice")))
    }

    /// The adopting (learning) region.
    async fn region(&self, ctx: &Context<'_>) -> Result<Region> {
        load_one(ctx, RegionByCode(self.0.region_code.clone()))
            .await?
            .map(Region)
            .ok_or_else(|| ApiError::internal(&DanglingReference("adoption region")))
    }

    /// The agreement the adoption happens under, if any.
    async fn agreement(&self, ctx: &Context<'_>) -> Result<Option<Agreement>> {
        match self.0.agreement_id {
            Some(id) => Ok(load_one(ctx, AgreementById(id)).await?.map(Agreement)),
            None => Ok(None),
        }
    }

    /// Interested, preparing, piloting, adopted or stopped.
    async fn stage(&self) -> AdoptionStage {
        self.0.stage.into()
    }

    /// When the adoption started.
    async fn started_on(&self) -> Option<Date> {
        self.0.started_on.map(Date)
    }

    /// When the practice went into operation.
    async fn adopted_on(&self) -> Option<Date> {
        self.0.adopted_on.map(Date)
    }

    /// When the adoption stopped.
    async fn stopped_on(&self) -> Option<Date> {
        self.0.stopped_on.map(Date)
    }

    /// Why it stopped.
    async fn stop_reason(&self) -> Option<&str> {
        self.0.stop_reason.as_deref()
    }

    /// Notes.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }

    /// The learning request whose accepted expression of interest created
    /// this adoption, if any.
    async fn learning_request(&self, ctx: &Context<'_>) -> Result<Option<LearningRequest>> {
        Ok(
            load_one(ctx, RequestBehind(CreatedObject::Adoption(self.0.id)))
                .await?
                .map(LearningRequest),
        )
    }

    /// Writes to this entry, newest first (its own audit trail).
    async fn changes(&self, ctx: &Context<'_>) -> Result<Vec<AuditEntry>> {
        Ok(load_many(ctx, ChangesOf(self.0.id.to_string()))
            .await?
            .into_iter()
            .map(AuditEntry)
            .collect())
    }

    /// Follow-ups (does it still run? what did the adopter measure?),
    /// latest first.
    async fn follow_ups(&self, ctx: &Context<'_>) -> Result<Vec<AdoptionFollowUp>> {
        Ok(load_many(ctx, FollowUpsOf(self.0.id))
            .await?
            .into_iter()
            .map(AdoptionFollowUp)
            .collect())
    }

    /// When the next follow-up is due: `follow_up_months` (default 12)
    /// after the later of the last follow-up and the adoption date (else
    /// the start); null unless piloting or adopted.
    async fn next_follow_up_on(&self, ctx: &Context<'_>) -> Result<Option<Date>> {
        if !follow_up::is_followed_up(self.0.stage) {
            return Ok(None);
        }
        let months = crate::graphql::limits(ctx)?.follow_up_months;
        let latest = load_many(ctx, FollowUpsOf(self.0.id))
            .await?
            .iter()
            .map(|f: &entity::adoption_follow_up::Model| f.followed_up_on)
            .max();
        Ok(follow_up::next_follow_up(&self.0, latest, months).map(Date))
    }

    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the entry was created.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }

    /// When the entry last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
}
