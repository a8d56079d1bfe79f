//! Writes of learning requests and expressions of interest.

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use super::{patch, viewer};
use crate::domain::parse_id;
use crate::domain::request::expression::{self as expressions, FollowUp, NewExpression};
use crate::domain::request::write::{self as requests, NewRequest, RequestPatch};
use crate::error::{ApiError, Result};
use crate::graphql::db;
use crate::graphql::enums::{AgreementKind, Sector};
use crate::graphql::loaders::LearningRequestById;
use crate::graphql::scalars::Date;
use crate::graphql::types::{
    Adoption, Agreement, ExpressionOfInterest, LearningRequest, Visit, load_one,
};

fn ids(field: &str, v: &[ID]) -> Result<Vec<uuid::Uuid>> {
    v.iter().map(|id| parse_id(field, id)).collect()
}

/// A new learning request (starts OPEN).
#[derive(InputObject)]
pub struct PostLearningRequestInput {
    /// The requesting region's code; the caller must write for it.
    pub region_code: ID,
    /// What it wants to learn (not empty).
    pub topic: String,
    /// The sectors it is about.
    #[graphql(default)]
    pub sectors: Vec<Sector>,
    /// The problem the region has.
    pub problem: Option<String>,
    /// What it wants to achieve.
    #[graphql(default)]
    pub objectives: Vec<String>,
    /// First day of the preferred period.
    pub preferred_from: Option<Date>,
    /// Last day of the preferred period (not before the first).
    pub preferred_to: Option<Date>,
    /// Lower end of the budget, rupiah (not above the upper end).
    pub budget_min_idr: Option<i64>,
    /// Upper end of the budget, rupiah.
    pub budget_max_idr: Option<i64>,
    /// The agency (OPD) to contact, e.g. "Diskominfo".
    pub contact_agency: String,
    /// Practices it already has in mind (ids).
    #[graphql(default)]
    pub practice_ids: Vec<ID>,
}

/// Changes to an open learning request: omitted fields stay, `null`
/// clears an optional one, lists replace the old list.
#[derive(InputObject)]
pub struct UpdateLearningRequestInput {
    /// Learning request id.
    pub id: ID,
    /// The `version` you last read.
    pub version: i32,
    /// What it wants to learn (not empty).
    pub topic: Option<String>,
    /// The sectors it is about.
    pub sectors: Option<Vec<Sector>>,
    /// The problem the region has.
    pub problem: MaybeUndefined<String>,
    /// What it wants to achieve.
    pub objectives: Option<Vec<String>>,
    /// First day of the preferred period.
    pub preferred_from: MaybeUndefined<Date>,
    /// Last day of the preferred period.
    pub preferred_to: MaybeUndefined<Date>,
    /// Lower end of the budget, rupiah.
    pub budget_min_idr: MaybeUndefined<i64>,
    /// Upper end of the budget, rupiah.
    pub budget_max_idr: MaybeUndefined<i64>,
    /// The agency (OPD) to contact.
    pub contact_agency: Option<String>,
    /// Practices it has in mind (ids).
    pub practice_ids: Option<Vec<ID>>,
}

/// How a learning request ends.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum LearningRequestOutcome {
    /// Partnership complete: no more expressions are taken or accepted.
    Fulfilled,
    /// Given up.
    Withdrawn,
}

/// Closes an open learning request.
#[derive(InputObject)]
pub struct CloseLearningRequestInput {
    /// Learning request id.
    pub id: ID,
    /// The `version` you last read.
    pub version: i32,
    /// FULFILLED or WITHDRAWN.
    pub outcome: LearningRequestOutcome,
    /// Why, or what came of it.
    pub note: Option<String>,
}

/// A guru region's answer to an open learning request.
#[derive(InputObject)]
pub struct ExpressInterestInput {
    /// The learning request answered.
    pub request_id: ID,
    /// The answering region's code; the caller must write for it.
    pub region_code: ID,
    /// What the region offers, in words (not empty).
    pub message: String,
    /// The practices it offers (its own, ids).
    #[graphql(default)]
    pub practice_ids: Vec<ID>,
}

/// Changes to a pending expression of interest (its region only).
#[derive(InputObject)]
pub struct UpdateExpressionOfInterestInput {
    /// Expression id.
    pub id: ID,
    /// The `version` you last read.
    pub version: i32,
    /// New message.
    pub message: Option<String>,
    /// New list of offered practices (its own, ids).
    pub practice_ids: Option<Vec<ID>>,
}

/// Takes a pending expression back (its region only).
#[derive(InputObject)]
pub struct WithdrawExpressionOfInterestInput {
    /// Expression id.
    pub id: ID,
    /// The `version` you last read.
    pub version: i32,
    /// Why.
    pub reason: Option<String>,
}

/// Declines a pending expression (the requesting region only).
#[derive(InputObject)]
pub struct DeclineExpressionOfInterestInput {
    /// Expression id.
    pub id: ID,
    /// The `version` you last read.
    pub version: i32,
    /// Why (required).
    pub reason: String,
}

/// A benchmarking visit of the requesting region to the guru region,
/// scheduled on acceptance (the rules of `scheduleVisit` apply).
#[derive(InputObject)]
pub struct VisitFromExpressionInput {
    /// First day.
    pub starts_on: Date,
    /// Last day (at most 31 days after the first).
    pub ends_on: Date,
    /// What the delegation wants to learn (default: the request's objectives).
    pub learning_objectives: Option<Vec<String>>,
    /// Practices to study (default: those the expression offers).
    pub practice_ids: Option<Vec<ID>>,
    /// People in the delegation.
    pub delegation_size: Option<i32>,
    /// Notes.
    pub notes: Option<String>,
}

/// The requesting region's adoption (at INTERESTED) of an offered
/// practice, recorded on acceptance (the rules of `recordAdoption` apply).
#[derive(InputObject)]
pub struct AdoptionFromExpressionInput {
    /// The practice adopted (default: the only one the expression offers).
    pub practice_id: Option<ID>,
    /// When it started.
    pub started_on: Option<Date>,
    /// Notes.
    pub notes: Option<String>,
}

/// An agreement between the two regions, proposed on acceptance (the
/// rules of `createAgreement` apply; category BETWEEN_REGIONS, the
/// request's contact agency as agency).
#[derive(InputObject)]
pub struct AgreementFromExpressionInput {
    /// Title (default: the request's topic).
    pub title: Option<String>,
    /// Legal form, when known.
    pub kind: Option<AgreementKind>,
    /// Scope items.
    #[graphql(default)]
    pub scope: Vec<String>,
    /// Practices it transfers (default: those the expression offers).
    pub practice_ids: Option<Vec<ID>>,
    /// Notes.
    pub notes: Option<String>,
}

/// Accepts a pending expression on an open request (the requesting region
/// only) and, in the same transaction, creates at most one of `visit`,
/// `adoption`, `agreement`. If any part fails, nothing is written.
#[derive(InputObject)]
pub struct AcceptExpressionOfInterestInput {
    /// Expression id.
    pub id: ID,
    /// The `version` you last read.
    pub version: i32,
    /// A note on the acceptance.
    pub note: Option<String>,
    /// Schedule a benchmarking visit to the guru region.
    pub visit: Option<VisitFromExpressionInput>,
    /// Record the requesting region's adoption of an offered practice.
    pub adoption: Option<AdoptionFromExpressionInput>,
    /// Propose an agreement between the two regions.
    pub agreement: Option<AgreementFromExpressionInput>,
}

/// A learning request after a write.
#[derive(SimpleObject)]
pub struct LearningRequestPayload {
    /// The request as saved (with its new `version`).
    pub request: LearningRequest,
}

/// An expression of interest after a write.
#[derive(SimpleObject)]
pub struct ExpressionOfInterestPayload {
    /// The expression as saved (with its new `version`).
    pub expression: ExpressionOfInterest,
}

/// An accepted expression and what accepting it created.
#[derive(SimpleObject)]
pub struct AcceptExpressionOfInterestPayload {
    /// The expression, now ACCEPTED.
    pub expression: ExpressionOfInterest,
    /// The request it answers.
    pub request: LearningRequest,
    /// The visit scheduled, if one was asked for.
    pub visit: Option<Visit>,
    /// The adoption recorded, if one was asked for.
    pub adoption: Option<Adoption>,
    /// The agreement proposed, if one was asked for.
    pub agreement: Option<Agreement>,
}

fn follow_up(input: &mut AcceptExpressionOfInterestInput) -> Result<Option<FollowUp>> {
    let asked = [
        input.visit.is_some(),
        input.adoption.is_some(),
        input.agreement.is_some(),
    ];
    if asked.iter().filter(|x| **x).count() > 1 {
        return Err(ApiError::bad_input(
            "input",
            "accepting creates at most one of visit, adoption, agreement",
        ));
    }
    if let Some(v) = input.visit.take() {
        return Ok(Some(FollowUp::Visit {
            starts_on: v.starts_on.0,
            ends_on: v.ends_on.0,
            learning_objectives: v.learning_objectives,
            practice_ids: v
                .practice_ids
                .map(|p| ids("input.visit.practiceIds", &p))
                .transpose()?,
            delegation_size: v.delegation_size,
            notes: v.notes,
        }));
    }
    if let Some(a) = input.adoption.take() {
        return Ok(Some(FollowUp::Adoption {
            practice_id: a
                .practice_id
                .map(|p| parse_id("input.adoption.practiceId", &p))
                .transpose()?,
            started_on: a.started_on.map(|d| d.0),
            notes: a.notes,
        }));
    }
    if let Some(a) = input.agreement.take() {
        return Ok(Some(FollowUp::Agreement {
            title: a.title,
            kind: a.kind.map(Into::into),
            scope: a.scope,
            practice_ids: a
                .practice_ids
                .map(|p| ids("input.agreement.practiceIds", &p))
                .transpose()?,
            notes: a.notes,
        }));
    }
    Ok(None)
}

/// Writes of learning requests and expressions of interest.
#[derive(Default)]
pub struct RequestMutation;

/// Writes of learning requests and expressions of interest.
#[Object]
impl RequestMutation {
    /// Posts what a region wants to learn (its editors, or an admin over it).
    async fn post_learning_request(
        &self,
        ctx: &Context<'_>,
        input: PostLearningRequestInput,
    ) -> Result<LearningRequestPayload> {
        let r = requests::post_request(
            db(ctx)?,
            viewer(ctx),
            NewRequest {
                region_code: input.region_code.0,
                topic: input.topic,
                sectors: input.sectors.into_iter().map(Into::into).collect(),
                problem: input.problem,
                objectives: input.objectives,
                preferred_from: input.preferred_from.map(|d| d.0),
                preferred_to: input.preferred_to.map(|d| d.0),
                budget_min_idr: input.budget_min_idr,
                budget_max_idr: input.budget_max_idr,
                contact_agency: input.contact_agency,
                practice_ids: ids("input.practiceIds", &input.practice_ids)?,
            },
        )
        .await?;
        Ok(LearningRequestPayload {
            request: LearningRequest(r),
        })
    }

    /// Changes an open learning request (its own region only).
    async fn update_learning_request(
        &self,
        ctx: &Context<'_>,
        input: UpdateLearningRequestInput,
    ) -> Result<LearningRequestPayload> {
        let r = requests::update_request(
            db(ctx)?,
            viewer(ctx),
            parse_id("input.id", &input.id)?,
            input.version,
            RequestPatch {
                topic: input.topic,
                sectors: input
                    .sectors
                    .map(|s| s.into_iter().map(Into::into).collect()),
                problem: patch(input.problem),
                objectives: input.objectives,
                preferred_from: patch(input.preferred_from).map(|d| d.map(|d| d.0)),
                preferred_to: patch(input.preferred_to).map(|d| d.map(|d| d.0)),
                budget_min_idr: patch(input.budget_min_idr),
                budget_max_idr: patch(input.budget_max_idr),
                contact_agency: input.contact_agency,
                practice_ids: input
                    .practice_ids
                    .map(|p| ids("input.practiceIds", &p))
                    .transpose()?,
            },
        )
        .await?;
        Ok(LearningRequestPayload {
            request: LearningRequest(r),
        })
    }

    /// Closes an open learning request as FULFILLED (partnership complete:
    /// no more expressions are taken or accepted) or WITHDRAWN.
    async fn close_learning_request(
        &self,
        ctx: &Context<'_>,
        input: CloseLearningRequestInput,
    ) -> Result<LearningRequestPayload> {
        let outcome = match input.outcome {
            LearningRequestOutcome::Fulfilled => entity::LearningRequestStatus::Fulfilled,
            LearningRequestOutcome::Withdrawn => entity::LearningRequestStatus::Withdrawn,
        };
        let r = requests::close_request(
            db(ctx)?,
            viewer(ctx),
            parse_id("input.id", &input.id)?,
            input.version,
            outcome,
            input.note,
        )
        .await?;
        Ok(LearningRequestPayload {
            request: LearningRequest(r),
        })
    }

    /// Answers an open learning request for a guru region (its editors).
    async fn express_interest(
        &self,
        ctx: &Context<'_>,
        input: ExpressInterestInput,
    ) -> Result<ExpressionOfInterestPayload> {
        let e = expressions::express_interest(
            db(ctx)?,
            viewer(ctx),
            NewExpression {
                request_id: parse_id("input.requestId", &input.request_id)?,
                region_code: input.region_code.0,
                message: input.message,
                practice_ids: ids("input.practiceIds", &input.practice_ids)?,
            },
        )
        .await?;
        Ok(ExpressionOfInterestPayload {
            expression: ExpressionOfInterest(e),
        })
    }

    /// Changes a pending expression of interest (its own region only).
    async fn update_expression_of_interest(
        &self,
        ctx: &Context<'_>,
        input: UpdateExpressionOfInterestInput,
    ) -> Result<ExpressionOfInterestPayload> {
        let e = expressions::update_expression(
            db(ctx)?,
            viewer(ctx),
            parse_id("input.id", &input.id)?,
            input.version,
            input.message,
            input
                .practice_ids
                .map(|p| ids("input.practiceIds", &p))
                .transpose()?,
        )
        .await?;
        Ok(ExpressionOfInterestPayload {
            expression: ExpressionOfInterest(e),
        })
    }

    /// Takes a pending expression of interest back (its own region only).
    async fn withdraw_expression_of_interest(
        &self,
        ctx: &Context<'_>,
        input: WithdrawExpressionOfInterestInput,
    ) -> Result<ExpressionOfInterestPayload> {
        let e = expressions::withdraw_expression(
            db(ctx)?,
            viewer(ctx),
            parse_id("input.id", &input.id)?,
            input.version,
            input.reason,
        )
        .await?;
        Ok(ExpressionOfInterestPayload {
            expression: ExpressionOfInterest(e),
        })
    }

    /// Declines a pending expression of interest, with a reason (the
    /// requesting region only).
    async fn decline_expression_of_interest(
        &self,
        ctx: &Context<'_>,
        input: DeclineExpressionOfInterestInput,
    ) -> Result<ExpressionOfInterestPayload> {
        let e = expressions::decline_expression(
            db(ctx)?,
            viewer(ctx),
            parse_id("input.id", &input.id)?,
            input.version,
            input.reason,
        )
        .await?;
        Ok(ExpressionOfInterestPayload {
            expression: ExpressionOfInterest(e),
        })
    }

    /// Accepts a pending expression of interest on an open request (the
    /// requesting region only) and, in one transaction, schedules a visit,
    /// records an adoption at INTERESTED or proposes an agreement, linked
    /// to the request through the expression. All or nothing.
    async fn accept_expression_of_interest(
        &self,
        ctx: &Context<'_>,
        mut input: AcceptExpressionOfInterestInput,
    ) -> Result<AcceptExpressionOfInterestPayload> {
        let follow = follow_up(&mut input)?;
        let a = expressions::accept_expression(
            db(ctx)?,
            viewer(ctx),
            parse_id("input.id", &input.id)?,
            input.version,
            follow,
            input.note,
        )
        .await?;
        // A proposed agreement's event comes from the write path (its
        // audit entry), like every other write's.
        let request = load_one(ctx, LearningRequestById(a.expression.learning_request_id))
            .await?
            .map(LearningRequest)
            .ok_or_else(|| ApiError::not_found("the learning request is gone"))?;
        Ok(AcceptExpressionOfInterestPayload {
            expression: ExpressionOfInterest(a.expression),
            request,
            visit: a.visit.map(Visit),
            adoption: a.adoption.map(Adoption),
            agreement: a.agreement.map(Agreement),
        })
    }
}
