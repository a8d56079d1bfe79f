//! Follow-ups after adoption: the national innovation network asks every
//! year whether an innovation still runs (of 2,928, 80% answered and 429
//! had stopped). An adoption being piloted or adopted is due for a
//! follow-up [`DEFAULT_FOLLOW_UP_MONTHS`] (the `follow_up_months` setting)
//! after the later of its last follow-up and its adoption date (else its
//! start, else the day it was recorded). A follow-up says whether the
//! practice still runs; "stopped" needs a reason and stops the adoption;
//! the adopter may add the outcome it measured itself, which the guru
//! finder counts as evidence that the practice transfers.

use std::collections::HashMap;

use chrono::{Months, NaiveDate, Utc};
use entity::{AdoptionStage, adoption, adoption_follow_up, region};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter,
};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::domain::write::{self, MAX_SHORT_TEXT, MAX_TITLE, ObjectKind, audit, check_version};
use crate::error::{ApiError, Result};

/// Months between follow-ups unless configured.
pub const DEFAULT_FOLLOW_UP_MONTHS: u32 = 12;

/// Whether an adoption at `stage` is followed up.
pub fn is_followed_up(stage: AdoptionStage) -> bool {
    matches!(stage, AdoptionStage::Piloting | AdoptionStage::Adopted)
}

/// When adoption `a` is next due for a follow-up, given the date of its
/// latest follow-up; `None` when it is not followed up (not piloting or
/// adopted).
pub fn next_follow_up(
    a: &adoption::Model,
    latest: Option<NaiveDate>,
    months: u32,
) -> Option<NaiveDate> {
    if !is_followed_up(a.stage) {
        return None;
    }
    let base = match (latest, a.adopted_on) {
        (Some(l), Some(d)) => l.max(d),
        (Some(l), None) => l,
        (None, Some(d)) => d,
        (None, None) => a.started_on.unwrap_or_else(|| a.created_at.date_naive()),
    };
    Some(
        base.checked_add_months(Months::new(months))
            .unwrap_or(NaiveDate::MAX),
    )
}

/// An outcome the adopter measured itself.
#[derive(Clone, Debug)]
pub struct MeasuredOutcome {
    pub metric: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub value: f64,
}

/// A follow-up to record.
#[derive(Clone, Debug)]
pub struct NewFollowUp {
    pub on: NaiveDate,
    pub still_running: bool,
    pub stop_reason: Option<String>,
    pub outcome: Option<MeasuredOutcome>,
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

/// Records a follow-up of adoption `id` (editors of the adopting region);
/// a follow-up saying it stopped moves the adoption to STOPPED with the
/// reason, in the same transaction.
pub async fn record_follow_up(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: Option<i32>,
    new: NewFollowUp,
) -> Result<(adoption_follow_up::Model, adoption::Model)> {
    if new.on > Utc::now().date_naive() {
        return Err(ApiError::bad_input(
            "on",
            "a follow-up is recorded when it happened, not in the future",
        ));
    }
    let stop_reason = write::optional_text("stopReason", new.stop_reason, MAX_SHORT_TEXT)?;
    match (new.still_running, &stop_reason) {
        (false, None) => {
            return Err(ApiError::bad_input(
                "stopReason",
                "say why the practice stopped running",
            ));
        }
        (true, Some(_)) => {
            return Err(ApiError::bad_input(
                "stopReason",
                "a practice still running has no stop reason",
            ));
        }
        _ => {}
    }
    let note = write::optional_text("note", new.note, MAX_SHORT_TEXT)?;
    let outcome = match new.outcome {
        Some(o) => Some(MeasuredOutcome {
            metric: write::required_text("outcome.metric", &o.metric, MAX_TITLE)?,
            unit: write::required_text("outcome.unit", &o.unit, 100)?,
            baseline: o
                .baseline
                .map(|b| finite("outcome.baseline", b))
                .transpose()?,
            value: finite("outcome.value", o.value)?,
        }),
        None => None,
    };
    let txn = write::begin(db).await?;
    let before = adoption::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no adoption has id {id}")))?;
    viewer
        .check_region(&txn, &before.region_code, "adoptions")
        .await?;
    if let Some(v) = version {
        check_version("the adoption", before.version, v)?;
    }
    if !is_followed_up(before.stage) {
        return Err(ApiError::bad_input(
            "adoptionId",
            format!(
                "only an adoption being piloted or adopted is followed up; this one is {}",
                entity::wire_name(&before.stage)
            ),
        ));
    }
    let f = adoption_follow_up::Model {
        id: Uuid::new_v4(),
        adoption_id: id,
        followed_up_on: new.on,
        still_running: new.still_running,
        stop_reason: stop_reason.clone(),
        outcome_metric: outcome.as_ref().map(|o| o.metric.clone()),
        outcome_unit: outcome.as_ref().map(|o| o.unit.clone()),
        outcome_baseline: outcome.as_ref().and_then(|o| o.baseline),
        outcome_value: outcome.as_ref().map(|o| o.value),
        note,
        created_at: Utc::now(),
    }
    .into_active_model()
    .insert(&txn)
    .await?;
    audit(
        &txn,
        viewer,
        "recordAdoptionFollowUp",
        ObjectKind::AdoptionFollowUp,
        f.id,
        write::NONE,
        Some(&f),
    )
    .await?;
    let mut a = before.clone();
    if !new.still_running {
        a.stage = AdoptionStage::Stopped;
        a.stopped_on = Some(new.on);
        a.stop_reason = stop_reason;
    }
    let saved = write::save_versioned(&txn, viewer, "recordAdoptionFollowUp", &before, a).await?;
    write::commit(txn).await?;
    Ok((f, saved))
}

/// An adoption due for a follow-up.
#[derive(Clone, Debug)]
pub struct Due {
    pub adoption: adoption::Model,
    pub latest: Option<NaiveDate>,
    pub next: NaiveDate,
}

/// Adoptions by region `code` (a province: by it and its regencies and
/// cities) being piloted or adopted whose next follow-up is on or before
/// `as_of`, most overdue first, at most `limit`.
pub async fn due_for_follow_up(
    db: &impl ConnectionTrait,
    code: &str,
    as_of: NaiveDate,
    months: u32,
    limit: usize,
) -> Result<Vec<Due>> {
    let me = crate::domain::region::query::require(db, "region", code).await?;
    let mut codes = vec![me.code.clone()];
    if me.province_code.is_none() {
        codes.extend(
            region::Entity::find()
                .filter(region::Column::ProvinceCode.eq(me.code.clone()))
                .all(db)
                .await?
                .into_iter()
                .map(|r| r.code),
        );
    }
    let adoptions = adoption::Entity::find()
        .filter(adoption::Column::RegionCode.is_in(codes))
        .filter(adoption::Column::Stage.is_in([AdoptionStage::Piloting, AdoptionStage::Adopted]))
        .all(db)
        .await?;
    let latest = latest_follow_ups(db, adoptions.iter().map(|a| a.id).collect()).await?;
    let mut due: Vec<Due> = adoptions
        .into_iter()
        .filter_map(|a| {
            let l = latest.get(&a.id).copied();
            let next = next_follow_up(&a, l, months)?;
            (next <= as_of).then_some(Due {
                adoption: a,
                latest: l,
                next,
            })
        })
        .collect();
    due.sort_by(|x, y| x.next.cmp(&y.next).then(x.adoption.id.cmp(&y.adoption.id)));
    due.truncate(limit);
    Ok(due)
}

/// The date of the latest follow-up of each adoption that has one.
pub async fn latest_follow_ups(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, NaiveDate>> {
    let mut out: HashMap<Uuid, NaiveDate> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    for f in adoption_follow_up::Entity::find()
        .filter(adoption_follow_up::Column::AdoptionId.is_in(ids))
        .all(db)
        .await?
    {
        let e = out.entry(f.adoption_id).or_insert(f.followed_up_on);
        *e = (*e).max(f.followed_up_on);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adoption(
        stage: AdoptionStage,
        started: Option<&str>,
        adopted: Option<&str>,
    ) -> adoption::Model {
        adoption::Model {
            id: Uuid::nil(),
            practice_id: Uuid::nil(),
            region_code: "36.02".into(),
            agreement_id: None,
            stage,
            started_on: started.map(|d| d.parse().unwrap()),
            adopted_on: adopted.map(|d| d.parse().unwrap()),
            stopped_on: None,
            stop_reason: None,
            notes: None,
            created_at: "2024-01-01T00:00:00Z".parse().unwrap(),
            updated_at: "2024-01-01T00:00:00Z".parse().unwrap(),
            version: 1,
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn only_piloting_and_adopted_are_followed_up() {
        for s in [
            AdoptionStage::Interested,
            AdoptionStage::Preparing,
            AdoptionStage::Stopped,
        ] {
            assert_eq!(
                next_follow_up(&adoption(s, Some("2024-02-01"), None), None, 12),
                None
            );
        }
        let a = adoption(AdoptionStage::Piloting, Some("2024-02-01"), None);
        assert_eq!(next_follow_up(&a, None, 12), Some(day("2025-02-01")));
        let a = adoption(AdoptionStage::Piloting, None, None);
        assert_eq!(next_follow_up(&a, None, 6), Some(day("2024-07-01")));
    }

    #[test]
    fn the_later_of_the_last_follow_up_and_adoption_counts() {
        let a = adoption(
            AdoptionStage::Adopted,
            Some("2023-01-01"),
            Some("2024-03-31"),
        );
        assert_eq!(next_follow_up(&a, None, 12), Some(day("2025-03-31")));
        assert_eq!(
            next_follow_up(&a, Some(day("2025-04-10")), 12),
            Some(day("2026-04-10"))
        );
        // A follow-up during the pilot, then adoption: counted from adoption.
        assert_eq!(
            next_follow_up(&a, Some(day("2023-12-01")), 12),
            Some(day("2025-03-31"))
        );
    }
}
