//! `FacilitationRequest`: an agency asks its province's cooperation bureau
//! (TKKSD) for help, and every step of the answer.

use async_graphql::{Context, ID, Object, SimpleObject};
use entity::facilitation_request;

use super::practice::DanglingReference;
use super::{Agreement, LearningRequest, Region, load_one};
use crate::domain::facilitation;
use crate::error::{ApiError, Result};
use crate::graphql::db;
use crate::graphql::enums::{FacilitationKind, FacilitationStatus};
use crate::graphql::loaders::{AgreementById, LearningRequestById, RegionByCode};
use crate::graphql::scalars::{Date, DateTime};

async fn region(ctx: &Context<'_>, code: &str, what: &'static str) -> Result<Region> {
    load_one(ctx, RegionByCode(code.to_owned()))
        .await?
        .map(Region)
        .ok_or_else(|| ApiError::internal(&DanglingReference(what)))
}

/// One step of a facilitation request.
#[derive(SimpleObject)]
pub struct FacilitationStep {
    /// When it was taken.
    pub on: Date,
    /// The status it reached.
    pub status: FacilitationStatus,
    /// Who took it (role and scope, e.g. "admin 13").
    pub actor: String,
    /// Its note.
    pub note: Option<String>,
}

/// A request from an agency of a region to its province's cooperation
/// bureau (TKKSD) for help with a cooperation: drafting, finding a
/// partner, a legal review. Visible to the region's writers and the
/// province's admins.
pub struct FacilitationRequest(pub facilitation_request::Model);

/// A request to a province's cooperation bureau for facilitation, with
/// every step of its handling.
#[Object]
impl FacilitationRequest {
    /// Request id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The requesting region.
    async fn region(&self, ctx: &Context<'_>) -> Result<Region> {
        region(ctx, &self.0.region_code, "facilitation region").await
    }

    /// The province whose bureau handles it.
    async fn province(&self, ctx: &Context<'_>) -> Result<Region> {
        region(ctx, &self.0.province_code, "facilitation province").await
    }

    /// The requesting agency (OPD).
    async fn agency(&self) -> &str {
        &self.0.agency
    }

    /// What it asks for.
    async fn kind(&self) -> FacilitationKind {
        self.0.kind.into()
    }

    /// Its subject.
    async fn subject(&self) -> &str {
        &self.0.subject
    }

    /// Details.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// The cooperation it is about, when recorded.
    async fn agreement(&self, ctx: &Context<'_>) -> Result<Option<Agreement>> {
        match self.0.agreement_id {
            Some(id) => Ok(load_one(ctx, AgreementById(id)).await?.map(Agreement)),
            None => Ok(None),
        }
    }

    /// The learning request it is about, when recorded.
    async fn learning_request(&self, ctx: &Context<'_>) -> Result<Option<LearningRequest>> {
        match self.0.learning_request_id {
            Some(id) => Ok(load_one(ctx, LearningRequestById(id))
                .await?
                .map(LearningRequest)),
            None => Ok(None),
        }
    }

    /// Where it stands.
    async fn status(&self) -> FacilitationStatus {
        self.0.status.into()
    }

    /// The statuses it may move to next.
    async fn allowed_next(&self) -> Vec<FacilitationStatus> {
        facilitation::status::next(self.0.status)
            .iter()
            .map(|s| (*s).into())
            .collect()
    }

    /// Who at the bureau handles it.
    async fn assignee(&self) -> Option<&str> {
        self.0.assignee.as_deref()
    }

    /// The bureau's answer.
    async fn answer(&self) -> Option<&str> {
        self.0.answer.as_deref()
    }

    /// When it was closed or withdrawn.
    async fn closed_on(&self) -> Option<Date> {
        self.0.closed_on.map(Date)
    }

    /// When it was submitted.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// Every step, in order, from its submission.
    async fn steps(&self, ctx: &Context<'_>) -> Result<Vec<FacilitationStep>> {
        Ok(facilitation::steps(db(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(|s| FacilitationStep {
                on: Date(s.on),
                status: s.status.into(),
                actor: s.actor,
                note: s.note,
            })
            .collect())
    }

    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}
