//! Writes of expressions of interest: a guru region answers a learning
//! request with a message and the practices it offers; only that region's
//! writers change or withdraw it; the requesting region's writers accept
//! or decline it (with a reason). Accepting may create, in the same
//! transaction and through the aggregates' own write functions (so their
//! rules, audit and outbox apply), a visit, an adoption at INTERESTED or an
//! agreement at PROPOSED; the expression records what it became
//! (`visit_id`, `adoption_id`, `agreement_id`), which is how the created
//! row links back to the request. If any part fails, nothing is written.

use chrono::{NaiveDate, Utc};
use entity::{
    AgreementCategory, AgreementKind, ExpressionStatus, adoption, agreement,
    expression_of_interest, expression_practice, learning_request, visit,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter,
};
use serde::Serialize;
use uuid::Uuid;

use super::write::check_practices;
use super::{query, status};
use crate::auth::Viewer;
use crate::domain::adoption::write::{NewAdoption, record_adoption_in};
use crate::domain::agreement::write::{NewAgreement, PartyInput, create_in};
use crate::domain::visit::write::{NewVisit, schedule_visit_in};
use crate::domain::write::{self, MAX_LONG_TEXT, MAX_SHORT_TEXT, ObjectKind, audit, check_version};
use crate::error::{ApiError, Result};

/// A new expression of interest; it starts PENDING.
#[derive(Clone, Debug, Default)]
pub struct NewExpression {
    pub request_id: Uuid,
    /// The answering (guru) region.
    pub region_code: String,
    pub message: String,
    /// Practices it offers: its own.
    pub practice_ids: Vec<Uuid>,
}

/// What accepting an expression creates, besides settling it.
#[derive(Clone, Debug)]
pub enum FollowUp {
    /// A benchmarking visit of the requesting region to the guru region.
    Visit {
        starts_on: NaiveDate,
        ends_on: NaiveDate,
        /// Default: the request's objectives.
        learning_objectives: Option<Vec<String>>,
        /// Default: the practices the expression offers.
        practice_ids: Option<Vec<Uuid>>,
        delegation_size: Option<i32>,
        notes: Option<String>,
    },
    /// The requesting region's adoption of one offered practice (default:
    /// the only one offered), at INTERESTED.
    Adoption {
        practice_id: Option<Uuid>,
        started_on: Option<NaiveDate>,
        notes: Option<String>,
    },
    /// An agreement between the two regions at PROPOSED.
    Agreement {
        /// Default: the request's topic.
        title: Option<String>,
        kind: Option<AgreementKind>,
        scope: Vec<String>,
        /// Default: the practices the expression offers.
        practice_ids: Option<Vec<Uuid>>,
        notes: Option<String>,
    },
}

/// An accepted expression and what it created.
#[derive(Debug)]
pub struct Accepted {
    pub expression: expression_of_interest::Model,
    pub visit: Option<visit::Model>,
    pub adoption: Option<adoption::Model>,
    pub agreement: Option<agreement::Model>,
}

#[derive(Serialize)]
struct WithPractices<'a> {
    #[serde(flatten)]
    expression: &'a expression_of_interest::Model,
    practice_ids: &'a [Uuid],
}

/// The practices an expression offers, sorted.
pub async fn offered(db: &impl ConnectionTrait, id: Uuid) -> Result<Vec<Uuid>> {
    let mut v: Vec<Uuid> = expression_practice::Entity::find()
        .filter(expression_practice::Column::ExpressionId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.practice_id)
        .collect();
    v.sort();
    Ok(v)
}

/// Checks that the offered practices exist and are `region`'s own.
async fn check_offered(db: &impl ConnectionTrait, region: &str, ids: &[Uuid]) -> Result<()> {
    for p in check_practices(db, "practiceIds", ids).await? {
        if p.owner_region_code != region {
            return Err(ApiError::bad_input(
                "practiceIds",
                format!(
                    "practice {} ({}) is not region {region}'s: offer your own practices",
                    p.id, p.title
                ),
            ));
        }
    }
    Ok(())
}

async fn write_offered(db: &impl ConnectionTrait, id: Uuid, ids: &[Uuid]) -> Result<()> {
    expression_practice::Entity::delete_many()
        .filter(expression_practice::Column::ExpressionId.eq(id))
        .exec(db)
        .await?;
    for practice_id in ids {
        expression_practice::Model {
            expression_id: id,
            practice_id: *practice_id,
        }
        .into_active_model()
        .insert(db)
        .await?;
    }
    Ok(())
}

fn sorted(mut v: Vec<Uuid>) -> Vec<Uuid> {
    v.sort();
    v.dedup();
    v
}

/// A guru region answers an open request (the caller writes for it).
pub async fn express_interest(
    db: &DatabaseConnection,
    viewer: &Viewer,
    n: NewExpression,
) -> Result<expression_of_interest::Model> {
    let message = write::required_text("message", &n.message, MAX_LONG_TEXT)?;
    let practice_ids = sorted(n.practice_ids);
    let region = n.region_code.trim().to_owned();
    let txn = write::begin(db).await?;
    crate::domain::region::query::require(&txn, "regionCode", &region).await?;
    viewer
        .check_region(&txn, &region, "expressions of interest")
        .await?;
    let req = query::require(&txn, n.request_id).await?;
    status::check_takes_expressions(req.status, "requestId")?;
    if req.region_code == region {
        return Err(ApiError::bad_input(
            "regionCode",
            "a region does not answer its own learning request",
        ));
    }
    let pending = expression_of_interest::Entity::find()
        .filter(expression_of_interest::Column::LearningRequestId.eq(req.id))
        .filter(expression_of_interest::Column::RegionCode.eq(region.as_str()))
        .filter(expression_of_interest::Column::Status.eq(ExpressionStatus::Pending))
        .one(&txn)
        .await?;
    if let Some(p) = pending {
        return Err(ApiError::conflict(format!(
            "region {region} already has a pending expression of interest on this request ({}); change that one",
            p.id
        )));
    }
    check_offered(&txn, &region, &practice_ids).await?;
    let now = Utc::now();
    let saved = expression_of_interest::Model {
        id: Uuid::new_v4(),
        learning_request_id: req.id,
        region_code: region,
        message,
        status: ExpressionStatus::Pending,
        response_reason: None,
        responded_on: None,
        visit_id: None,
        adoption_id: None,
        agreement_id: None,
        created_at: now,
        updated_at: now,
        version: 1,
    }
    .into_active_model()
    .insert(&txn)
    .await?;
    write_offered(&txn, saved.id, &practice_ids).await?;
    audit(
        &txn,
        viewer,
        "expressInterest",
        ObjectKind::ExpressionOfInterest,
        saved.id,
        write::NONE,
        Some(&WithPractices {
            expression: &saved,
            practice_ids: &practice_ids,
        }),
    )
    .await?;
    crate::domain::write::commit(txn).await?;
    Ok(saved)
}

/// Loads an expression for a write by its own (answering) region.
async fn own_expression(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
) -> Result<expression_of_interest::Model> {
    let e = query::require_expression(db, id).await?;
    viewer
        .check_region(db, &e.region_code, "expressions of interest")
        .await?;
    check_version("the expression of interest", e.version, version)?;
    Ok(e)
}

/// Loads an expression for an answer by the requesting region, with its
/// request.
async fn answered_expression(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
) -> Result<(expression_of_interest::Model, learning_request::Model)> {
    let e = query::require_expression(db, id).await?;
    let req = query::require(db, e.learning_request_id).await?;
    viewer
        .check_region(db, &req.region_code, "the answers to learning requests")
        .await?;
    check_version("the expression of interest", e.version, version)?;
    Ok((e, req))
}

/// Changes a pending expression (its region only): message, practices.
pub async fn update_expression(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    message: Option<String>,
    practice_ids: Option<Vec<Uuid>>,
) -> Result<expression_of_interest::Model> {
    let message = message
        .map(|m| write::required_text("message", &m, MAX_LONG_TEXT))
        .transpose()?;
    let txn = write::begin(db).await?;
    let before = own_expression(&txn, viewer, id, version).await?;
    if !status::expression_editable(before.status) {
        return Err(ApiError::bad_input(
            "id",
            format!(
                "the expression of interest is {} and no longer changes",
                entity::wire_name(&before.status)
            ),
        ));
    }
    let req = query::require(&txn, before.learning_request_id).await?;
    status::check_takes_expressions(req.status, "id")?;
    let mut e = before.clone();
    if let Some(m) = message {
        e.message = m;
    }
    let old = offered(&txn, id).await?;
    let new = practice_ids.map_or_else(|| old.clone(), sorted);
    check_offered(&txn, &before.region_code, &new).await?;
    let saved =
        write::save_versioned(&txn, viewer, "updateExpressionOfInterest", &before, e).await?;
    if old != new {
        write_offered(&txn, id, &new).await?;
        audit(
            &txn,
            viewer,
            "updateExpressionOfInterestPractices",
            ObjectKind::ExpressionOfInterest,
            id,
            Some(&old),
            Some(&new),
        )
        .await?;
    }
    crate::domain::write::commit(txn).await?;
    Ok(saved)
}

/// The answering region takes its pending expression back.
pub async fn withdraw_expression(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    reason: Option<String>,
) -> Result<expression_of_interest::Model> {
    let reason = write::optional_text("reason", reason, MAX_SHORT_TEXT)?;
    let txn = write::begin(db).await?;
    let before = own_expression(&txn, viewer, id, version).await?;
    let saved = settle(
        &txn,
        viewer,
        &before,
        ExpressionStatus::Withdrawn,
        reason,
        |_| {},
    )
    .await?;
    crate::domain::write::commit(txn).await?;
    Ok(saved)
}

/// The requesting region declines a pending expression, saying why.
pub async fn decline_expression(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    reason: String,
) -> Result<expression_of_interest::Model> {
    let reason = write::required_text("reason", &reason, MAX_SHORT_TEXT)?;
    let txn = write::begin(db).await?;
    let (before, _) = answered_expression(&txn, viewer, id, version).await?;
    let saved = settle(
        &txn,
        viewer,
        &before,
        ExpressionStatus::Declined,
        Some(reason),
        |_| {},
    )
    .await?;
    crate::domain::write::commit(txn).await?;
    Ok(saved)
}

/// Moves an expression to `to` (checked against the allowed moves).
async fn settle(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    before: &expression_of_interest::Model,
    to: ExpressionStatus,
    reason: Option<String>,
    links: impl FnOnce(&mut expression_of_interest::Model),
) -> Result<expression_of_interest::Model> {
    status::check_move(
        "an expression of interest",
        "id",
        before.status,
        to,
        status::expression_next(before.status),
    )?;
    let mut e = before.clone();
    e.status = to;
    e.response_reason = reason;
    e.responded_on = Some(Utc::now().date_naive());
    links(&mut e);
    let action = match to {
        ExpressionStatus::Accepted => "acceptExpressionOfInterest",
        ExpressionStatus::Declined => "declineExpressionOfInterest",
        _ => "withdrawExpressionOfInterest",
    };
    write::save_versioned(txn, viewer, action, before, e).await
}

/// The requesting region accepts a pending expression on its open request
/// and, in the same transaction, creates `follow_up`. All or nothing.
pub async fn accept_expression(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    follow_up: Option<FollowUp>,
    note: Option<String>,
) -> Result<Accepted> {
    let note = write::optional_text("note", note, MAX_SHORT_TEXT)?;
    let txn = write::begin(db).await?;
    let (before, req) = answered_expression(&txn, viewer, id, version).await?;
    status::check_takes_expressions(req.status, "id")?;
    let mut out = Accepted {
        expression: before.clone(),
        visit: None,
        adoption: None,
        agreement: None,
    };
    if let Some(f) = follow_up {
        let offered = offered(&txn, id).await?;
        create_follow_up(&txn, viewer, &req, &before, &offered, f, &mut out).await?;
    }
    // The expression's own move is checked by `settle`, after the
    // follow-up is written: a refusal there rolls the follow-up back too.
    let (visit_id, adoption_id, agreement_id) = (
        out.visit.as_ref().map(|v| v.id),
        out.adoption.as_ref().map(|a| a.id),
        out.agreement.as_ref().map(|a| a.id),
    );
    out.expression = settle(
        &txn,
        viewer,
        &before,
        ExpressionStatus::Accepted,
        note,
        |e| {
            e.visit_id = visit_id;
            e.adoption_id = adoption_id;
            e.agreement_id = agreement_id;
        },
    )
    .await?;
    crate::domain::write::commit(txn).await?;
    Ok(out)
}

/// The audit action of everything accepting writes.
const ACCEPT: &str = "acceptExpressionOfInterest";

/// Creates what accepting asked for, through the aggregate's own write
/// function inside `txn`, and puts it into `out`.
async fn create_follow_up(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    req: &learning_request::Model,
    expression: &expression_of_interest::Model,
    offered: &[Uuid],
    follow_up: FollowUp,
    out: &mut Accepted,
) -> Result<()> {
    match follow_up {
        FollowUp::Visit {
            starts_on,
            ends_on,
            learning_objectives,
            practice_ids,
            delegation_size,
            notes,
        } => {
            let v = NewVisit {
                visitor_region_code: req.region_code.clone(),
                host_region_code: expression.region_code.clone(),
                starts_on,
                ends_on,
                learning_objectives: learning_objectives
                    .unwrap_or_else(|| req.objectives.0.clone()),
                practice_ids: practice_ids.unwrap_or_else(|| offered.to_vec()),
                delegation_size,
                notes,
            };
            out.visit = Some(schedule_visit_in(txn, viewer, v, "visit.", ACCEPT).await?);
        }
        FollowUp::Adoption {
            practice_id,
            started_on,
            notes,
        } => {
            let practice_id = match (practice_id, offered) {
                (Some(p), _) => p,
                (None, [only]) => *only,
                (None, _) => {
                    return Err(ApiError::bad_input(
                        "adoption.practiceId",
                        format!(
                            "the expression offers {} practices: say which one is adopted",
                            offered.len()
                        ),
                    ));
                }
            };
            let n = NewAdoption {
                practice_id,
                region_code: req.region_code.clone(),
                agreement_id: None,
                started_on,
                notes,
            };
            out.adoption = Some(record_adoption_in(txn, viewer, n, "adoption.", ACCEPT).await?);
        }
        FollowUp::Agreement {
            title,
            kind,
            scope,
            practice_ids,
            notes,
        } => {
            let party = |code: &str| PartyInput {
                region_code: Some(code.to_owned()),
                ..PartyInput::default()
            };
            let n = NewAgreement {
                title: title.unwrap_or_else(|| req.topic.clone()),
                number: None,
                kind,
                category: AgreementCategory::BetweenRegions,
                scope,
                agencies: vec![req.contact_agency.clone()],
                parties: vec![party(&req.region_code), party(&expression.region_code)],
                parent_id: None,
                valid_from: None,
                valid_until: None,
                notes,
                practice_ids: practice_ids.unwrap_or_else(|| offered.to_vec()),
            };
            out.agreement = Some(create_in(txn, viewer, n, None).await?);
        }
    }
    Ok(())
}
