//! Writes of an agreement's work plan: its indicators (unit, baseline,
//! target, target date) and activities (owner, dates). Only the editors of
//! a party region change it; each write bumps the agreement's `version`
//! too, so a plan is never changed on top of an agreement someone else just
//! changed (and the agreement's audit trail shows it). A closed agreement's
//! plan is history and is not changed; an indicator with measurements is
//! the record of what was achieved and is not removed.

use chrono::{NaiveDate, Utc};
use entity::{agreement, indicator_measurement, work_plan_activity, work_plan_indicator};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

use super::{stage, write::load_for_write};
use crate::auth::Viewer;
use crate::domain::write::{self, MAX_TITLE, ObjectKind, audit};
use crate::error::{ApiError, Result};

/// Most indicators, and most activities, one plan holds.
pub const MAX_PLAN_ITEMS: usize = 100;

/// A new indicator.
#[derive(Clone, Debug)]
pub struct NewIndicator {
    pub name: String,
    pub unit: String,
    pub baseline: f64,
    pub target: f64,
    pub target_date: NaiveDate,
}

/// Changes to an indicator.
#[derive(Clone, Debug, Default)]
pub struct IndicatorPatch {
    pub name: Option<String>,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub target_date: Option<NaiveDate>,
}

/// A new activity.
#[derive(Clone, Debug)]
pub struct NewActivity {
    pub title: String,
    pub owner: String,
    pub starts_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
}

/// Changes to an activity; `Some(None)` clears a date.
#[derive(Clone, Debug, Default)]
pub struct ActivityPatch {
    pub title: Option<String>,
    pub owner: Option<String>,
    pub starts_on: Option<Option<NaiveDate>>,
    pub due_on: Option<Option<NaiveDate>>,
    pub done_on: Option<Option<NaiveDate>>,
}

/// A value measured for an indicator with an evaluation.
#[derive(Clone, Debug)]
pub struct MeasurementInput {
    pub indicator_id: Uuid,
    pub value: f64,
    pub note: Option<String>,
}

fn finite(field: &str, v: f64) -> Result<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(ApiError::bad_input(
            field,
            format!("{field} must be a finite number"),
        ))
    }
}

fn check_indicator(i: &work_plan_indicator::Model) -> Result<()> {
    finite("baseline", i.baseline)?;
    finite("target", i.target)?;
    if i.baseline == i.target {
        return Err(ApiError::bad_input(
            "target",
            "the target equals the baseline, so the indicator measures no change",
        ));
    }
    Ok(())
}

fn check_activity(a: &work_plan_activity::Model) -> Result<()> {
    if let (Some(s), Some(d)) = (a.starts_on, a.due_on)
        && d < s
    {
        return Err(ApiError::bad_input("dueOn", "dueOn is before startsOn"));
    }
    if a.done_on.is_some_and(|d| d > Utc::now().date_naive()) {
        return Err(ApiError::bad_input(
            "doneOn",
            "doneOn is in the future: record an activity done when it was done",
        ));
    }
    Ok(())
}

/// Loads agreement `id` for a plan change: the viewer edits a party
/// region, the version (when given) is current, and it is not closed.
async fn open_agreement(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
    version: Option<i32>,
) -> Result<agreement::Model> {
    let a = load_for_write(db, viewer, id, version).await?;
    if stage::is_closed(a.stage) {
        return Err(ApiError::bad_input(
            "agreementId",
            format!(
                "the agreement is {}: a closed agreement's work plan is kept as it was",
                entity::wire_name(&a.stage)
            ),
        ));
    }
    Ok(a)
}

/// Bumps the agreement's version for a change to its plan.
async fn touch(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    action: &str,
    a: &agreement::Model,
) -> Result<agreement::Model> {
    write::save_versioned(db, viewer, action, a, a.clone()).await
}

/// Adds an indicator at the end of agreement `agreement_id`'s plan.
pub async fn add_indicator(
    db: &DatabaseConnection,
    viewer: &Viewer,
    agreement_id: Uuid,
    version: Option<i32>,
    new: NewIndicator,
) -> Result<(work_plan_indicator::Model, agreement::Model)> {
    let txn = write::begin(db).await?;
    let out = add_indicator_in(&txn, viewer, agreement_id, version, new).await?;
    write::commit(txn).await?;
    Ok(out)
}

/// [`add_indicator`] inside the caller's transaction (imports).
pub async fn add_indicator_in(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    agreement_id: Uuid,
    version: Option<i32>,
    new: NewIndicator,
) -> Result<(work_plan_indicator::Model, agreement::Model)> {
    let name = write::required_text("name", &new.name, MAX_TITLE)?;
    let unit = write::required_text("unit", &new.unit, 100)?;
    let before = open_agreement(txn, viewer, agreement_id, version).await?;
    let count = work_plan_indicator::Entity::find()
        .filter(work_plan_indicator::Column::AgreementId.eq(agreement_id))
        .count(txn)
        .await? as usize;
    if count >= MAX_PLAN_ITEMS {
        return Err(ApiError::bad_input(
            "agreementId",
            format!("a work plan holds at most {MAX_PLAN_ITEMS} indicators"),
        ));
    }
    let now = Utc::now();
    let i = work_plan_indicator::Model {
        id: Uuid::new_v4(),
        agreement_id,
        name,
        unit,
        baseline: new.baseline,
        target: new.target,
        target_date: new.target_date,
        position: count as i32 + 1,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    check_indicator(&i)?;
    let saved = i.into_active_model().insert(txn).await?;
    audit(
        txn,
        viewer,
        "addWorkPlanIndicator",
        ObjectKind::WorkPlanIndicator,
        saved.id,
        write::NONE,
        Some(&saved),
    )
    .await?;
    let a = touch(txn, viewer, "addWorkPlanIndicator", &before).await?;
    Ok((saved, a))
}

async fn load_indicator(db: &impl ConnectionTrait, id: Uuid) -> Result<work_plan_indicator::Model> {
    work_plan_indicator::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no work-plan indicator has id {id}")))
}

/// Changes indicator `id` at `version`.
pub async fn update_indicator(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    patch: IndicatorPatch,
) -> Result<(work_plan_indicator::Model, agreement::Model)> {
    let txn = write::begin(db).await?;
    let before = load_indicator(&txn, id).await?;
    let agreement = open_agreement(&txn, viewer, before.agreement_id, None).await?;
    write::check_version("the indicator", before.version, version)?;
    let mut i = before.clone();
    if let Some(v) = patch.name {
        i.name = write::required_text("name", &v, MAX_TITLE)?;
    }
    if let Some(v) = patch.unit {
        i.unit = write::required_text("unit", &v, 100)?;
    }
    if let Some(v) = patch.baseline {
        i.baseline = v;
    }
    if let Some(v) = patch.target {
        i.target = v;
    }
    if let Some(v) = patch.target_date {
        i.target_date = v;
    }
    check_indicator(&i)?;
    let saved = write::save_versioned(&txn, viewer, "updateWorkPlanIndicator", &before, i).await?;
    let a = touch(&txn, viewer, "updateWorkPlanIndicator", &agreement).await?;
    write::commit(txn).await?;
    Ok((saved, a))
}

/// Removes indicator `id` (never one with measurements).
pub async fn remove_indicator(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<agreement::Model> {
    let txn = write::begin(db).await?;
    let before = load_indicator(&txn, id).await?;
    let agreement = open_agreement(&txn, viewer, before.agreement_id, None).await?;
    let measured = indicator_measurement::Entity::find()
        .filter(indicator_measurement::Column::IndicatorId.eq(id))
        .count(&txn)
        .await?;
    if measured > 0 {
        return Err(ApiError::bad_input(
            "id",
            format!(
                "the indicator has {measured} measurement(s), the record of what was achieved; change its target instead of removing it"
            ),
        ));
    }
    work_plan_indicator::Entity::delete_by_id(id)
        .exec(&txn)
        .await?;
    audit(
        &txn,
        viewer,
        "removeWorkPlanIndicator",
        ObjectKind::WorkPlanIndicator,
        id,
        Some(&before),
        write::NONE,
    )
    .await?;
    let a = touch(&txn, viewer, "removeWorkPlanIndicator", &agreement).await?;
    write::commit(txn).await?;
    Ok(a)
}

/// Adds an activity at the end of agreement `agreement_id`'s plan.
pub async fn add_activity(
    db: &DatabaseConnection,
    viewer: &Viewer,
    agreement_id: Uuid,
    version: Option<i32>,
    new: NewActivity,
) -> Result<(work_plan_activity::Model, agreement::Model)> {
    let title = write::required_text("title", &new.title, MAX_TITLE)?;
    let owner = write::required_text("owner", &new.owner, MAX_TITLE)?;
    let txn = write::begin(db).await?;
    let before = open_agreement(&txn, viewer, agreement_id, version).await?;
    let count = work_plan_activity::Entity::find()
        .filter(work_plan_activity::Column::AgreementId.eq(agreement_id))
        .count(&txn)
        .await? as usize;
    if count >= MAX_PLAN_ITEMS {
        return Err(ApiError::bad_input(
            "agreementId",
            format!("a work plan holds at most {MAX_PLAN_ITEMS} activities"),
        ));
    }
    let now = Utc::now();
    let act = work_plan_activity::Model {
        id: Uuid::new_v4(),
        agreement_id,
        title,
        owner,
        starts_on: new.starts_on,
        due_on: new.due_on,
        done_on: None,
        position: count as i32 + 1,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    check_activity(&act)?;
    let saved = act.into_active_model().insert(&txn).await?;
    audit(
        &txn,
        viewer,
        "addWorkPlanActivity",
        ObjectKind::WorkPlanActivity,
        saved.id,
        write::NONE,
        Some(&saved),
    )
    .await?;
    let a = touch(&txn, viewer, "addWorkPlanActivity", &before).await?;
    write::commit(txn).await?;
    Ok((saved, a))
}

async fn load_activity(db: &impl ConnectionTrait, id: Uuid) -> Result<work_plan_activity::Model> {
    work_plan_activity::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no work-plan activity has id {id}")))
}

/// Changes activity `id` at `version` (marking it done sets `doneOn`).
pub async fn update_activity(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    patch: ActivityPatch,
) -> Result<(work_plan_activity::Model, agreement::Model)> {
    let txn = write::begin(db).await?;
    let before = load_activity(&txn, id).await?;
    let agreement = open_agreement(&txn, viewer, before.agreement_id, None).await?;
    write::check_version("the activity", before.version, version)?;
    let mut act = before.clone();
    if let Some(v) = patch.title {
        act.title = write::required_text("title", &v, MAX_TITLE)?;
    }
    if let Some(v) = patch.owner {
        act.owner = write::required_text("owner", &v, MAX_TITLE)?;
    }
    if let Some(v) = patch.starts_on {
        act.starts_on = v;
    }
    if let Some(v) = patch.due_on {
        act.due_on = v;
    }
    if let Some(v) = patch.done_on {
        act.done_on = v;
    }
    check_activity(&act)?;
    let saved = write::save_versioned(&txn, viewer, "updateWorkPlanActivity", &before, act).await?;
    let a = touch(&txn, viewer, "updateWorkPlanActivity", &agreement).await?;
    write::commit(txn).await?;
    Ok((saved, a))
}

/// Removes activity `id`.
pub async fn remove_activity(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<agreement::Model> {
    let txn = write::begin(db).await?;
    let before = load_activity(&txn, id).await?;
    let agreement = open_agreement(&txn, viewer, before.agreement_id, None).await?;
    work_plan_activity::Entity::delete_by_id(id)
        .exec(&txn)
        .await?;
    audit(
        &txn,
        viewer,
        "removeWorkPlanActivity",
        ObjectKind::WorkPlanActivity,
        id,
        Some(&before),
        write::NONE,
    )
    .await?;
    let a = touch(&txn, viewer, "removeWorkPlanActivity", &agreement).await?;
    write::commit(txn).await?;
    Ok(a)
}

/// Checks measurements given with an evaluation of `agreement_id`: each
/// names an indicator of that agreement, once, with a finite value.
pub fn check_measurements(
    measurements: &[MeasurementInput],
    indicators: &[work_plan_indicator::Model],
) -> Result<()> {
    let mut seen = Vec::new();
    for (n, m) in measurements.iter().enumerate() {
        let field = format!("measurements[{n}]");
        if !indicators.iter().any(|i| i.id == m.indicator_id) {
            return Err(ApiError::bad_input(
                format!("{field}.indicatorId"),
                format!(
                    "indicator {} is not in this agreement's work plan",
                    m.indicator_id
                ),
            ));
        }
        if seen.contains(&m.indicator_id) {
            return Err(ApiError::bad_input(
                format!("{field}.indicatorId"),
                format!("indicator {} is measured twice", m.indicator_id),
            ));
        }
        seen.push(m.indicator_id);
        finite(&format!("{field}.value"), m.value)?;
    }
    Ok(())
}

/// Writes the measurements of evaluation `evaluation_id`, dated `on`,
/// inside the evaluation's transaction (after [`check_measurements`]).
pub async fn insert_measurements(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    evaluation_id: Uuid,
    on: NaiveDate,
    measurements: Vec<MeasurementInput>,
) -> Result<Vec<indicator_measurement::Model>> {
    let mut out = Vec::with_capacity(measurements.len());
    for (n, m) in measurements.into_iter().enumerate() {
        let note = write::optional_text(
            &format!("measurements[{n}].note"),
            m.note,
            write::MAX_SHORT_TEXT,
        )?;
        let saved = indicator_measurement::Model {
            id: Uuid::new_v4(),
            indicator_id: m.indicator_id,
            evaluation_id: Some(evaluation_id),
            measured_on: on,
            value: m.value,
            note,
            created_at: Utc::now(),
        }
        .into_active_model()
        .insert(db)
        .await?;
        audit(
            db,
            viewer,
            "recordEvaluation",
            ObjectKind::IndicatorMeasurement,
            saved.id,
            write::NONE,
            Some(&saved),
        )
        .await?;
        out.push(saved);
    }
    Ok(out)
}

/// The indicators of agreement `id`, in plan order.
pub async fn indicators_of(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Vec<work_plan_indicator::Model>> {
    use sea_orm::QueryOrder;
    Ok(work_plan_indicator::Entity::find()
        .filter(work_plan_indicator::Column::AgreementId.eq(id))
        .order_by_asc(work_plan_indicator::Column::Position)
        .all(db)
        .await?)
}
