//! `LearningRequest` (what a region wants to learn) and
//! `ExpressionOfInterest` (a guru region's answer).

use async_graphql::{Context, ID, Object};
use entity::{expression_of_interest, learning_request};

use super::practice::DanglingReference;
use super::{Adoption, Agreement, AuditEntry, Practice, Region, Visit, load_many, load_one};
use crate::error::{ApiError, Result};
use crate::graphql::enums::{ExpressionStatus, LearningRequestStatus, Sector};
use crate::graphql::loaders::*;
use crate::graphql::scalars::{Date, DateTime};

async fn region(ctx: &Context<'_>, code: &str, what: &'static str) -> Result<Region> {
    load_one(ctx, RegionByCode(code.to_owned()))
        .await?
        .map(Region)
        .ok_or_else(|| ApiError::internal(&DanglingReference(what)))
}

async fn changes(ctx: &Context<'_>, id: uuid::Uuid) -> Result<Vec<AuditEntry>> {
    Ok(load_many(ctx, ChangesOf(id.to_string()))
        .await?
        .into_iter()
        .map(AuditEntry)
        .collect())
}

/// What a region wants to learn, posted so that guru regions can answer
/// with an expression of interest. OPEN until its region closes it as
/// FULFILLED (partnership complete) or WITHDRAWN.
pub struct LearningRequest(pub learning_request::Model);

/// What a region wants to learn, posted so that guru regions can answer
/// with an expression of interest. OPEN until its region closes it as
/// FULFILLED (partnership complete) or WITHDRAWN.
#[Object]
impl LearningRequest {
    /// Stable id (UUID).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The requesting (learning) region.
    async fn region(&self, ctx: &Context<'_>) -> Result<Region> {
        region(ctx, &self.0.region_code, "learning request region").await
    }

    /// What it wants to learn, e.g. "administrasi perkantoran elektronik".
    async fn topic(&self) -> &str {
        &self.0.topic
    }

    /// The sectors (government affairs) the request is about.
    async fn sectors(&self, ctx: &Context<'_>) -> Result<Vec<Sector>> {
        Ok(load_many(ctx, SectorsOfRequest(self.0.id))
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The problem the region has.
    async fn problem(&self) -> Option<&str> {
        self.0.problem.as_deref()
    }

    /// What it wants to achieve by learning.
    async fn objectives(&self) -> &[String] {
        &self.0.objectives.0
    }

    /// First day of the preferred period.
    async fn preferred_from(&self) -> Option<Date> {
        self.0.preferred_from.map(Date)
    }

    /// Last day of the preferred period.
    async fn preferred_to(&self) -> Option<Date> {
        self.0.preferred_to.map(Date)
    }

    /// Lower end of the budget, rupiah.
    async fn budget_min_idr(&self) -> Option<i64> {
        self.0.budget_min_idr
    }

    /// Upper end of the budget, rupiah.
    async fn budget_max_idr(&self) -> Option<i64> {
        self.0.budget_max_idr
    }

    /// The agency (OPD) to contact, e.g. "Diskominfo".
    async fn contact_agency(&self) -> &str {
        &self.0.contact_agency
    }

    /// Practices the region already has in mind.
    async fn practices_in_mind(&self, ctx: &Context<'_>) -> Result<Vec<Practice>> {
        Ok(load_many(ctx, PracticesInMindOf(self.0.id))
            .await?
            .into_iter()
            .map(Practice)
            .collect())
    }

    /// OPEN, FULFILLED or WITHDRAWN.
    async fn status(&self) -> LearningRequestStatus {
        self.0.status.into()
    }

    /// When it was closed.
    async fn closed_on(&self) -> Option<Date> {
        self.0.closed_on.map(Date)
    }

    /// The note given on closing.
    async fn close_note(&self) -> Option<&str> {
        self.0.close_note.as_deref()
    }

    /// The answers of guru regions, oldest first.
    async fn expressions_of_interest(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<ExpressionOfInterest>> {
        Ok(load_many(ctx, ExpressionsOn(self.0.id))
            .await?
            .into_iter()
            .map(ExpressionOfInterest)
            .collect())
    }

    /// Writes to this request, newest first (its own audit trail).
    async fn changes(&self, ctx: &Context<'_>) -> Result<Vec<AuditEntry>> {
        changes(ctx, self.0.id).await
    }

    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the request was posted.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }

    /// When the request last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
}

/// A guru region's answer to a learning request: a message and the
/// practices it offers. PENDING until the requesting region accepts or
/// declines it, or the answering region withdraws it. Once accepted it
/// names what it became: a visit, an adoption or an agreement.
pub struct ExpressionOfInterest(pub expression_of_interest::Model);

/// A guru region's answer to a learning request: a message and the
/// practices it offers. PENDING until the requesting region accepts or
/// declines it, or the answering region withdraws it. Once accepted it
/// names what it became: a visit, an adoption or an agreement.
#[Object]
impl ExpressionOfInterest {
    /// Stable id (UUID).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The request it answers.
    async fn request(&self, ctx: &Context<'_>) -> Result<LearningRequest> {
        load_one(ctx, LearningRequestById(self.0.learning_request_id))
            .await?
            .map(LearningRequest)
            .ok_or_else(|| ApiError::internal(&DanglingReference("expression request")))
    }

    /// The answering (guru) region.
    async fn region(&self, ctx: &Context<'_>) -> Result<Region> {
        region(ctx, &self.0.region_code, "expression region").await
    }

    /// What the guru region says.
    async fn message(&self) -> &str {
        &self.0.message
    }

    /// The practices it offers (its own).
    async fn practices(&self, ctx: &Context<'_>) -> Result<Vec<Practice>> {
        Ok(load_many(ctx, PracticesOfferedBy(self.0.id))
            .await?
            .into_iter()
            .map(Practice)
            .collect())
    }

    /// PENDING, ACCEPTED, DECLINED or WITHDRAWN.
    async fn status(&self) -> ExpressionStatus {
        self.0.status.into()
    }

    /// Why it was declined or withdrawn, or the note given on acceptance.
    async fn response_reason(&self) -> Option<&str> {
        self.0.response_reason.as_deref()
    }

    /// When it was accepted, declined or withdrawn.
    async fn responded_on(&self) -> Option<Date> {
        self.0.responded_on.map(Date)
    }

    /// The visit accepting it scheduled, if any.
    async fn visit(&self, ctx: &Context<'_>) -> Result<Option<Visit>> {
        match self.0.visit_id {
            Some(id) => Ok(load_one(ctx, VisitById(id)).await?.map(Visit)),
            None => Ok(None),
        }
    }

    /// The adoption accepting it recorded, if any.
    async fn adoption(&self, ctx: &Context<'_>) -> Result<Option<Adoption>> {
        match self.0.adoption_id {
            Some(id) => Ok(load_one(ctx, AdoptionById(id)).await?.map(Adoption)),
            None => Ok(None),
        }
    }

    /// The agreement accepting it proposed, if any.
    async fn agreement(&self, ctx: &Context<'_>) -> Result<Option<Agreement>> {
        match self.0.agreement_id {
            Some(id) => Ok(load_one(ctx, AgreementById(id)).await?.map(Agreement)),
            None => Ok(None),
        }
    }

    /// Writes to this expression, newest first (its own audit trail).
    async fn changes(&self, ctx: &Context<'_>) -> Result<Vec<AuditEntry>> {
        changes(ctx, self.0.id).await
    }

    /// Version for optimistic concurrency: send it back with a change.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the expression was made.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
}
