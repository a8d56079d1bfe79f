//! `Visit`: a benchmarking visit from a learner to a guru.

use async_graphql::{Context, ID, Object};
use entity::visit;

use super::practice::DanglingReference;
use super::{
    Adoption, Agreement, AuditEntry, LearningRequest, Practice, Region, load_many, load_one,
};
use crate::error::{ApiError, Result};
use crate::graphql::loaders::*;
use crate::graphql::scalars::{Date, DateTime};

/// A benchmarking visit (studi banding, studi komparatif, kunjungan kerja).
pub struct Visit(pub visit::Model);

impl Visit {
    async fn region(&self, ctx: &Context<'_>, code: &str, what: &'static str) -> Result<Region> {
        load_one(ctx, RegionByCode(code.to_owned()))
            .await?
            .map(Region)
            .ok_or_else(|| ApiError::internal(&DanglingReference(what)))
    }
}

/// A benchmarking visit (studi banding, studi komparatif, kunjungan kerja).
#[Object]
impl Visit {
    /// Stable id (UUID).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The region that came to learn.
    async fn visitor(&self, ctx: &Context<'_>) -> Result<Region> {
        self.region(ctx, &self.0.visitor_region_code, "visitor")
            .await
    }

    /// The region that hosted (the guru).
    async fn host(&self, ctx: &Context<'_>) -> Result<Region> {
        self.region(ctx, &self.0.host_region_code, "host").await
    }

    /// First day.
    async fn starts_on(&self) -> Date {
        Date(self.0.starts_on)
    }

    /// Last day.
    async fn ends_on(&self) -> Date {
        Date(self.0.ends_on)
    }

    /// Number of days, counting both ends.
    async fn days(&self) -> i64 {
        (self.0.ends_on - self.0.starts_on).num_days() + 1
    }

    /// What the visitors came to learn.
    async fn learning_objectives(&self) -> &[String] {
        &self.0.learning_objectives.0
    }

    /// Practices studied on the visit.
    async fn practices(&self, ctx: &Context<'_>) -> Result<Vec<Practice>> {
        Ok(load_many(ctx, PracticesStudiedOn(self.0.id))
            .await?
            .into_iter()
            .map(Practice)
            .collect())
    }

    /// Number of people in the visiting delegation.
    async fn delegation_size(&self) -> Option<i32> {
        self.0.delegation_size
    }

    /// The agreement that followed (or was signed during) the visit.
    async fn agreement(&self, ctx: &Context<'_>) -> Result<Option<Agreement>> {
        match self.0.agreement_id {
            Some(id) => Ok(load_one(ctx, AgreementById(id)).await?.map(Agreement)),
            None => Ok(None),
        }
    }

    /// The adoption that followed the visit.
    async fn adoption(&self, ctx: &Context<'_>) -> Result<Option<Adoption>> {
        match self.0.adoption_id {
            Some(id) => Ok(load_one(ctx, AdoptionById(id)).await?.map(Adoption)),
            None => Ok(None),
        }
    }

    /// Notes (why this host, what was learned).
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }

    /// The learning request whose accepted expression of interest created
    /// this visit, if any.
    async fn learning_request(&self, ctx: &Context<'_>) -> Result<Option<LearningRequest>> {
        Ok(
            load_one(ctx, RequestBehind(CreatedObject::Visit(self.0.id)))
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
