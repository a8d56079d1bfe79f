//! Writes of benchmarking visits: scheduling, saving a whole plan, and
//! recording what a visit found.

use chrono::{NaiveDate, Utc};
use entity::{adoption, visit, visit_practice};
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, IntoActiveModel,
};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::domain::write::{self, MAX_LONG_TEXT, ObjectKind, audit, check_version};
use crate::error::{ApiError, Result};

/// A visit to schedule.
#[derive(Clone, Debug)]
pub struct NewVisit {
    pub visitor_region_code: String,
    pub host_region_code: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub learning_objectives: Vec<String>,
    pub practice_ids: Vec<Uuid>,
    pub delegation_size: Option<i32>,
    pub notes: Option<String>,
}

/// Schedules a benchmarking visit (by the visitor or the host).
pub async fn schedule_visit(
    db: &DatabaseConnection,
    viewer: &Viewer,
    v: NewVisit,
) -> Result<visit::Model> {
    let txn = write::begin(db).await?;
    let saved = schedule_visit_in(&txn, viewer, v, "", "scheduleVisit").await?;
    write::commit(txn).await?;
    Ok(saved)
}

/// Schedules the visits of a plan (`saveVisitPlan`): all or none. Field
/// names in errors are prefixed with `stops[i].`.
pub async fn save_visit_plan(
    db: &DatabaseConnection,
    viewer: &Viewer,
    visits: Vec<NewVisit>,
) -> Result<Vec<visit::Model>> {
    if visits.is_empty() || visits.len() > 10 {
        return Err(ApiError::bad_input(
            "input.stops",
            "a plan has between 1 and 10 stops",
        ));
    }
    let mut hosts = std::collections::HashSet::new();
    for (i, v) in visits.iter().enumerate() {
        if !hosts.insert(v.host_region_code.clone()) {
            return Err(ApiError::bad_input(
                format!("input.stops[{i}].host"),
                format!("{} appears twice in the plan", v.host_region_code),
            ));
        }
    }
    let txn = write::begin(db).await?;
    let mut saved = Vec::new();
    for (i, v) in visits.into_iter().enumerate() {
        saved.push(
            schedule_visit_in(
                &txn,
                viewer,
                v,
                &format!("input.stops[{i}]."),
                "saveVisitPlan",
            )
            .await?,
        );
    }
    write::commit(txn).await?;
    Ok(saved)
}

/// [`schedule_visit`] inside the caller's transaction (plans, accepting an
/// expression of interest); field names in errors get `prefix`, the audit
/// entry says `action`.
pub async fn schedule_visit_in(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    v: NewVisit,
    prefix: &str,
    action: &str,
) -> Result<visit::Model> {
    let f = |name: &str| format!("{prefix}{name}");
    if v.visitor_region_code == v.host_region_code {
        return Err(ApiError::bad_input(
            f("hostRegionCode"),
            "a region does not visit itself",
        ));
    }
    if v.ends_on < v.starts_on {
        return Err(ApiError::bad_input(
            f("endsOn"),
            "endsOn is before startsOn",
        ));
    }
    if (v.ends_on - v.starts_on).num_days() > 30 {
        return Err(ApiError::bad_input(
            f("endsOn"),
            "a benchmarking visit lasts at most 31 days",
        ));
    }
    if v.delegation_size.is_some_and(|n| !(1..=1000).contains(&n)) {
        return Err(ApiError::bad_input(
            f("delegationSize"),
            "delegationSize is between 1 and 1000",
        ));
    }
    let objectives = write::text_list(&f("learningObjectives"), v.learning_objectives)?;
    let notes = write::optional_text(&f("notes"), v.notes, MAX_LONG_TEXT)?;
    crate::domain::region::query::require(txn, &f("visitorRegionCode"), &v.visitor_region_code)
        .await?;
    crate::domain::region::query::require(txn, &f("hostRegionCode"), &v.host_region_code).await?;
    if !(viewer.may_write_region(txn, &v.visitor_region_code).await?
        || viewer.may_write_region(txn, &v.host_region_code).await?)
    {
        viewer.require_writer()?;
        return Err(ApiError::forbidden(format!(
            "{} may only schedule visits of or to its own region",
            viewer.actor()
        )));
    }
    for pid in &v.practice_ids {
        crate::domain::practice::query::require(txn, *pid).await?;
    }
    let now = Utc::now();
    let saved = visit::Model {
        id: Uuid::new_v4(),
        visitor_region_code: v.visitor_region_code,
        host_region_code: v.host_region_code,
        starts_on: v.starts_on,
        ends_on: v.ends_on,
        learning_objectives: objectives,
        delegation_size: v.delegation_size,
        agreement_id: None,
        adoption_id: None,
        notes,
        created_at: now,
        updated_at: now,
        version: 1,
    }
    .into_active_model()
    .insert(txn)
    .await?;
    let mut ids = v.practice_ids;
    ids.sort();
    ids.dedup();
    for practice_id in ids {
        visit_practice::Model {
            visit_id: saved.id,
            practice_id,
        }
        .into_active_model()
        .insert(txn)
        .await?;
    }
    audit(
        txn,
        viewer,
        action,
        ObjectKind::Visit,
        saved.id,
        write::NONE,
        Some(&saved),
    )
    .await?;
    Ok(saved)
}

/// Records what a visit produced: what was learned, the agreement or
/// adoption that followed.
pub async fn record_visit_outcome(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    notes: Option<String>,
    agreement_id: Option<Uuid>,
    adoption_id: Option<Uuid>,
) -> Result<visit::Model> {
    let notes = write::optional_text("notes", notes, MAX_LONG_TEXT)?;
    let txn = write::begin(db).await?;
    let before = visit::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no visit has id {id}")))?;
    if !(viewer
        .may_write_region(&txn, &before.visitor_region_code)
        .await?
        || viewer
            .may_write_region(&txn, &before.host_region_code)
            .await?)
    {
        viewer.require_writer()?;
        return Err(ApiError::forbidden(format!(
            "{} is neither the visitor nor the host",
            viewer.actor()
        )));
    }
    check_version("the visit", before.version, version)?;
    if let Some(a) = agreement_id {
        crate::domain::agreement::query::require_party(
            &txn,
            a,
            &before.visitor_region_code,
            "agreementId",
        )
        .await?;
    }
    if let Some(ad) = adoption_id {
        let found = adoption::Entity::find_by_id(ad).one(&txn).await?;
        if found.is_none_or(|x| x.region_code != before.visitor_region_code) {
            return Err(ApiError::bad_input(
                "adoptionId",
                "the adoption must be the visitor's",
            ));
        }
    }
    let mut v = before.clone();
    if notes.is_some() {
        v.notes = notes;
    }
    if agreement_id.is_some() {
        v.agreement_id = agreement_id;
    }
    if adoption_id.is_some() {
        v.adoption_id = adoption_id;
    }
    let v = write::save_versioned(&txn, viewer, "recordVisitOutcome", &before, v).await?;
    write::commit(txn).await?;
    Ok(v)
}
