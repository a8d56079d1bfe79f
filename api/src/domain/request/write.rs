//! Writes of learning requests: post, update, close. Only the requesting
//! region's writers (its editors, its province's admin, a national admin)
//! may make them; every write is one transaction with a version check and
//! an audit entry (`write::save_versioned`).

use chrono::{NaiveDate, Utc};
use entity::{
    LearningRequestStatus, Sector, learning_request, learning_request_practice,
    learning_request_sector,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter,
};
use serde::Serialize;
use uuid::Uuid;

use super::{query, status};
use crate::auth::Viewer;
use crate::domain::write::{
    self, MAX_LONG_TEXT, MAX_SHORT_TEXT, MAX_TITLE, ObjectKind, audit, check_version,
};
use crate::error::{ApiError, Result};

/// A new learning request; it starts OPEN.
#[derive(Clone, Debug, Default)]
pub struct NewRequest {
    pub region_code: String,
    pub topic: String,
    pub sectors: Vec<Sector>,
    pub problem: Option<String>,
    pub objectives: Vec<String>,
    pub preferred_from: Option<NaiveDate>,
    pub preferred_to: Option<NaiveDate>,
    pub budget_min_idr: Option<i64>,
    pub budget_max_idr: Option<i64>,
    pub contact_agency: String,
    pub practice_ids: Vec<Uuid>,
}

/// Changes to a request; `None` leaves a field alone, `Some(None)` clears a
/// nullable one.
#[derive(Clone, Debug, Default)]
pub struct RequestPatch {
    pub topic: Option<String>,
    pub sectors: Option<Vec<Sector>>,
    pub problem: Option<Option<String>>,
    pub objectives: Option<Vec<String>>,
    pub preferred_from: Option<Option<NaiveDate>>,
    pub preferred_to: Option<Option<NaiveDate>>,
    pub budget_min_idr: Option<Option<i64>>,
    pub budget_max_idr: Option<Option<i64>>,
    pub contact_agency: Option<String>,
    pub practice_ids: Option<Vec<Uuid>>,
}

/// What the audit log records of a request's links (sectors, practices in
/// mind), which live in their own tables.
#[derive(Serialize, PartialEq)]
struct Links<'a> {
    sectors: &'a [Sector],
    practice_ids: &'a [Uuid],
}

/// The period and budget rules, on the values the request will have.
fn check_ranges(r: &learning_request::Model) -> Result<()> {
    if let (Some(from), Some(to)) = (r.preferred_from, r.preferred_to)
        && to < from
    {
        return Err(ApiError::bad_input(
            "preferredTo",
            format!("the preferred period ends ({to}) before it starts ({from})"),
        ));
    }
    for (field, v) in [
        ("budgetMinIdr", r.budget_min_idr),
        ("budgetMaxIdr", r.budget_max_idr),
    ] {
        if v.is_some_and(|v| v < 0) {
            return Err(ApiError::bad_input(
                field,
                format!("{field} is an amount in rupiah, not negative"),
            ));
        }
    }
    if let (Some(min), Some(max)) = (r.budget_min_idr, r.budget_max_idr)
        && min > max
    {
        return Err(ApiError::bad_input(
            "budgetMaxIdr",
            format!("the budget range is upside down: minimum {min} is above maximum {max}"),
        ));
    }
    Ok(())
}

fn sorted_sectors(mut v: Vec<Sector>) -> Vec<Sector> {
    v.sort_by_key(entity::wire_name);
    v.dedup();
    v
}

fn sorted_ids(mut v: Vec<Uuid>) -> Vec<Uuid> {
    v.sort();
    v.dedup();
    v
}

/// Refuses practice ids no practice has (`BAD_USER_INPUT` on `field`).
pub(super) async fn check_practices(
    db: &impl ConnectionTrait,
    field: &str,
    ids: &[Uuid],
) -> Result<Vec<entity::practice::Model>> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(
            entity::practice::Entity::find_by_id(*id)
                .one(db)
                .await?
                .ok_or_else(|| ApiError::bad_input(field, format!("no practice has id {id}")))?,
        );
    }
    Ok(out)
}

/// Replaces a request's sectors and practices in mind.
async fn write_links(
    db: &impl ConnectionTrait,
    id: Uuid,
    sectors: &[Sector],
    practice_ids: &[Uuid],
) -> Result<()> {
    learning_request_sector::Entity::delete_many()
        .filter(learning_request_sector::Column::LearningRequestId.eq(id))
        .exec(db)
        .await?;
    learning_request_practice::Entity::delete_many()
        .filter(learning_request_practice::Column::LearningRequestId.eq(id))
        .exec(db)
        .await?;
    for sector in sectors {
        learning_request_sector::Model {
            learning_request_id: id,
            sector: *sector,
        }
        .into_active_model()
        .insert(db)
        .await?;
    }
    for practice_id in practice_ids {
        learning_request_practice::Model {
            learning_request_id: id,
            practice_id: *practice_id,
        }
        .into_active_model()
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The sectors and practices in mind of request `id`, sorted.
pub async fn links_of(db: &impl ConnectionTrait, id: Uuid) -> Result<(Vec<Sector>, Vec<Uuid>)> {
    let sectors = learning_request_sector::Entity::find()
        .filter(learning_request_sector::Column::LearningRequestId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.sector)
        .collect();
    let practices = learning_request_practice::Entity::find()
        .filter(learning_request_practice::Column::LearningRequestId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.practice_id)
        .collect();
    Ok((sorted_sectors(sectors), sorted_ids(practices)))
}

/// Posts a learning request for `n.region_code` (the caller must write for
/// that region).
pub async fn post_request(
    db: &DatabaseConnection,
    viewer: &Viewer,
    n: NewRequest,
) -> Result<learning_request::Model> {
    let txn = write::begin(db).await?;
    let saved = post_request_in(&txn, viewer, n, None).await?;
    crate::domain::write::commit(txn).await?;
    Ok(saved)
}

/// [`post_request`] inside the caller's transaction (imports), with the
/// given id when one is set.
pub async fn post_request_in(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    n: NewRequest,
    id: Option<Uuid>,
) -> Result<learning_request::Model> {
    let now = Utc::now();
    let r = learning_request::Model {
        id: id.unwrap_or_else(Uuid::new_v4),
        region_code: n.region_code.trim().to_owned(),
        topic: crate::domain::guru::check_topic("topic", &n.topic)?,
        problem: write::optional_text("problem", n.problem, MAX_LONG_TEXT)?,
        objectives: write::text_list("objectives", n.objectives)?,
        preferred_from: n.preferred_from,
        preferred_to: n.preferred_to,
        budget_min_idr: n.budget_min_idr,
        budget_max_idr: n.budget_max_idr,
        contact_agency: write::required_text("contactAgency", &n.contact_agency, MAX_TITLE)?,
        status: LearningRequestStatus::Open,
        closed_on: None,
        close_note: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    check_ranges(&r)?;
    let sectors = sorted_sectors(n.sectors);
    let practice_ids = sorted_ids(n.practice_ids);
    crate::domain::region::query::require(txn, "regionCode", &r.region_code).await?;
    viewer
        .check_region(txn, &r.region_code, "learning requests")
        .await?;
    check_practices(txn, "practiceIds", &practice_ids).await?;
    let saved = r.into_active_model().insert(txn).await?;
    write_links(txn, saved.id, &sectors, &practice_ids).await?;
    #[derive(Serialize)]
    struct Posted<'a> {
        #[serde(flatten)]
        request: &'a learning_request::Model,
        #[serde(flatten)]
        links: Links<'a>,
    }
    audit(
        txn,
        viewer,
        "postLearningRequest",
        ObjectKind::LearningRequest,
        saved.id,
        write::NONE,
        Some(&Posted {
            request: &saved,
            links: Links {
                sectors: &sectors,
                practice_ids: &practice_ids,
            },
        }),
    )
    .await?;
    Ok(saved)
}

/// Loads a request for a write by its own region, at `version`.
async fn request_for_write(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
) -> Result<learning_request::Model> {
    let r = query::require(db, id).await?;
    viewer
        .check_region(db, &r.region_code, "learning requests")
        .await?;
    check_version("the learning request", r.version, version)?;
    Ok(r)
}

/// Changes an open request (its own region only).
pub async fn update_request(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    p: RequestPatch,
) -> Result<learning_request::Model> {
    let topic = p
        .topic
        .map(|t| crate::domain::guru::check_topic("topic", &t))
        .transpose()?;
    let agency = p
        .contact_agency
        .map(|t| write::required_text("contactAgency", &t, MAX_TITLE))
        .transpose()?;
    let problem = p
        .problem
        .map(|t| write::optional_text("problem", t, MAX_LONG_TEXT))
        .transpose()?;
    let objectives = p
        .objectives
        .map(|o| write::text_list("objectives", o))
        .transpose()?;
    let txn = write::begin(db).await?;
    let before = request_for_write(&txn, viewer, id, version).await?;
    if before.status != LearningRequestStatus::Open {
        return Err(ApiError::bad_input(
            "id",
            format!(
                "the learning request is {} and no longer changes",
                entity::wire_name(&before.status)
            ),
        ));
    }
    let mut r = before.clone();
    if let Some(t) = topic {
        r.topic = t;
    }
    if let Some(a) = agency {
        r.contact_agency = a;
    }
    if let Some(pr) = problem {
        r.problem = pr;
    }
    if let Some(o) = objectives {
        r.objectives = o;
    }
    if let Some(d) = p.preferred_from {
        r.preferred_from = d;
    }
    if let Some(d) = p.preferred_to {
        r.preferred_to = d;
    }
    if let Some(b) = p.budget_min_idr {
        r.budget_min_idr = b;
    }
    if let Some(b) = p.budget_max_idr {
        r.budget_max_idr = b;
    }
    check_ranges(&r)?;
    let (old_sectors, old_practices) = links_of(&txn, id).await?;
    let sectors = p
        .sectors
        .map_or_else(|| old_sectors.clone(), sorted_sectors);
    let practices = p
        .practice_ids
        .map_or_else(|| old_practices.clone(), sorted_ids);
    check_practices(&txn, "practiceIds", &practices).await?;
    let saved = write::save_versioned(&txn, viewer, "updateLearningRequest", &before, r).await?;
    let old = Links {
        sectors: &old_sectors,
        practice_ids: &old_practices,
    };
    let new = Links {
        sectors: &sectors,
        practice_ids: &practices,
    };
    if old != new {
        write_links(&txn, id, &sectors, &practices).await?;
        audit(
            &txn,
            viewer,
            "updateLearningRequestLinks",
            ObjectKind::LearningRequest,
            id,
            Some(&old),
            Some(&new),
        )
        .await?;
    }
    crate::domain::write::commit(txn).await?;
    Ok(saved)
}

/// Closes an open request as FULFILLED (partnership complete) or WITHDRAWN.
pub async fn close_request(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    outcome: LearningRequestStatus,
    note: Option<String>,
) -> Result<learning_request::Model> {
    let note = write::optional_text("note", note, MAX_SHORT_TEXT)?;
    let txn = write::begin(db).await?;
    let before = request_for_write(&txn, viewer, id, version).await?;
    status::check_move(
        "a learning request",
        "outcome",
        before.status,
        outcome,
        status::request_next(before.status),
    )?;
    let mut r = before.clone();
    r.status = outcome;
    r.closed_on = Some(Utc::now().date_naive());
    r.close_note = note;
    let saved = write::save_versioned(&txn, viewer, "closeLearningRequest", &before, r).await?;
    crate::domain::write::commit(txn).await?;
    Ok(saved)
}
