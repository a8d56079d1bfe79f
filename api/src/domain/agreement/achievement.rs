//! Planned against achieved: how far each work-plan indicator has come from
//! its baseline toward its target, judged on a date.
//!
//! The rule, in full (README's "Measurable work plans" says the same):
//! - progress is `(latest - baseline) / (target - baseline)`, so it reads
//!   the same whether higher is better (permits a day) or lower is better
//!   (days to a permit); 1.0 or more is **met**;
//! - time elapsed is the share of the days from the plan's start (the
//!   signing date, else `validFrom`, else the day it was recorded) to the
//!   target date that have passed on the judging day;
//! - an indicator not met is **off track** when its target date has passed,
//!   or when its progress lags the time elapsed by more than
//!   [`OFF_TRACK_LAG`]; otherwise **on track**; with no measurement yet it
//!   is **not measured** until its target date passes (then off track).
//!
//! Only measurements dated on or before the judging day count.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{agreement, indicator_measurement, work_plan_activity, work_plan_indicator};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::error::Result;

/// How far progress may lag elapsed time (as a share of the way from
/// baseline to target) before an indicator is off track.
pub const OFF_TRACK_LAG: f64 = 0.25;

/// Where an indicator stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IndicatorStatus {
    /// The latest value reached the target.
    Met,
    /// Not yet met, and progressing about as fast as time passes.
    OnTrack,
    /// Not met by its target date, or lagging by more than [`OFF_TRACK_LAG`].
    OffTrack,
    /// No value measured yet, and the target date has not passed.
    NotMeasured,
}

/// One indicator judged on a date.
#[derive(Clone, Debug)]
pub struct IndicatorProgress {
    pub indicator: work_plan_indicator::Model,
    /// The latest measurement on or before the judging day.
    pub latest: Option<indicator_measurement::Model>,
    /// Share of the way from baseline to target the latest value covers
    /// (may be below 0 or above 1).
    pub progress: Option<f64>,
    /// Share of the time from the plan's start to the target date passed.
    pub elapsed: f64,
    pub status: IndicatorStatus,
}

/// The day a work plan starts: signing, else validity, else recording.
pub fn plan_start(a: &agreement::Model) -> NaiveDate {
    a.signed_on
        .or(a.valid_from)
        .unwrap_or_else(|| a.created_at.date_naive())
}

/// Judges one indicator on `as_of`; `measurements` are its own, any order.
pub fn judge(
    indicator: work_plan_indicator::Model,
    measurements: &[indicator_measurement::Model],
    start: NaiveDate,
    as_of: NaiveDate,
) -> IndicatorProgress {
    let latest = measurements
        .iter()
        .filter(|m| m.measured_on <= as_of)
        .max_by(|a, b| {
            a.measured_on
                .cmp(&b.measured_on)
                .then(a.created_at.cmp(&b.created_at))
        })
        .cloned();
    let span = (indicator.target - indicator.baseline).abs();
    let progress = latest.as_ref().map(|m| {
        if span == 0.0 {
            1.0
        } else {
            (m.value - indicator.baseline) / (indicator.target - indicator.baseline)
        }
    });
    let total_days = (indicator.target_date - start).num_days();
    let elapsed = if total_days <= 0 {
        1.0
    } else {
        ((as_of - start).num_days() as f64 / total_days as f64).clamp(0.0, 1.0)
    };
    let past_due = as_of > indicator.target_date;
    // A value within a millionth of the way counts as reaching it, so a
    // target of 0.3 met by 0.1 + 0.2 is met.
    let status = match progress {
        Some(p) if p >= 1.0 - 1e-6 => IndicatorStatus::Met,
        Some(_) if past_due => IndicatorStatus::OffTrack,
        Some(p) if p < elapsed - OFF_TRACK_LAG => IndicatorStatus::OffTrack,
        Some(_) => IndicatorStatus::OnTrack,
        None if past_due => IndicatorStatus::OffTrack,
        None => IndicatorStatus::NotMeasured,
    };
    IndicatorProgress {
        indicator,
        latest,
        progress,
        elapsed,
        status,
    }
}

/// An agreement's work plan judged on a date.
#[derive(Clone, Debug)]
pub struct Achievement {
    pub agreement_id: Uuid,
    pub as_of: NaiveDate,
    /// In plan order.
    pub indicators: Vec<IndicatorProgress>,
    pub activities: Vec<work_plan_activity::Model>,
}

impl Achievement {
    /// How many indicators stand at `status`.
    pub fn count(&self, status: IndicatorStatus) -> usize {
        self.indicators
            .iter()
            .filter(|i| i.status == status)
            .count()
    }

    /// Whether the plan is measurable (has at least one indicator).
    pub fn is_measurable(&self) -> bool {
        !self.indicators.is_empty()
    }

    /// Whether every indicator is met (false for a plan without any).
    pub fn all_met(&self) -> bool {
        self.is_measurable() && self.count(IndicatorStatus::Met) == self.indicators.len()
    }

    /// Activities done.
    pub fn activities_done(&self) -> usize {
        self.activities
            .iter()
            .filter(|a| a.done_on.is_some_and(|d| d <= self.as_of))
            .count()
    }

    /// Activities not done whose due date has passed.
    pub fn activities_overdue(&self) -> usize {
        self.activities
            .iter()
            .filter(|a| {
                a.done_on.is_none_or(|d| d > self.as_of) && a.due_on.is_some_and(|d| d < self.as_of)
            })
            .count()
    }
}

/// Judges the work plans of `agreements` on `as_of` in three statements
/// whatever their number (indicators, their measurements, activities).
pub async fn achievements(
    db: &impl ConnectionTrait,
    agreements: &[agreement::Model],
    as_of: NaiveDate,
) -> Result<Vec<Achievement>> {
    if agreements.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = agreements.iter().map(|a| a.id).collect();
    let indicators = work_plan_indicator::Entity::find()
        .filter(work_plan_indicator::Column::AgreementId.is_in(ids.clone()))
        .order_by_asc(work_plan_indicator::Column::Position)
        .order_by_asc(work_plan_indicator::Column::Id)
        .all(db)
        .await?;
    let activities = work_plan_activity::Entity::find()
        .filter(work_plan_activity::Column::AgreementId.is_in(ids))
        .order_by_asc(work_plan_activity::Column::Position)
        .order_by_asc(work_plan_activity::Column::Id)
        .all(db)
        .await?;
    let indicator_ids: Vec<Uuid> = indicators.iter().map(|i| i.id).collect();
    let measurements = if indicator_ids.is_empty() {
        Vec::new()
    } else {
        indicator_measurement::Entity::find()
            .filter(indicator_measurement::Column::IndicatorId.is_in(indicator_ids))
            .all(db)
            .await?
    };
    Ok(assemble(
        agreements,
        indicators,
        activities,
        measurements,
        as_of,
    ))
}

/// Puts loaded rows together into one [`Achievement`] per agreement, in
/// the order of `agreements`.
pub fn assemble(
    agreements: &[agreement::Model],
    indicators: Vec<work_plan_indicator::Model>,
    activities: Vec<work_plan_activity::Model>,
    measurements: Vec<indicator_measurement::Model>,
    as_of: NaiveDate,
) -> Vec<Achievement> {
    let mut by_indicator: HashMap<Uuid, Vec<indicator_measurement::Model>> = HashMap::new();
    for m in measurements {
        by_indicator.entry(m.indicator_id).or_default().push(m);
    }
    let mut ind_by_agreement: HashMap<Uuid, Vec<work_plan_indicator::Model>> = HashMap::new();
    for i in indicators {
        ind_by_agreement.entry(i.agreement_id).or_default().push(i);
    }
    let mut act_by_agreement: HashMap<Uuid, Vec<work_plan_activity::Model>> = HashMap::new();
    for a in activities {
        act_by_agreement.entry(a.agreement_id).or_default().push(a);
    }
    agreements
        .iter()
        .map(|a| {
            let start = plan_start(a);
            let indicators = ind_by_agreement
                .remove(&a.id)
                .unwrap_or_default()
                .into_iter()
                .map(|i| {
                    let ms = by_indicator.get(&i.id).map(Vec::as_slice).unwrap_or(&[]);
                    judge(i, ms, start, as_of)
                })
                .collect();
            Achievement {
                agreement_id: a.id,
                as_of,
                indicators,
                activities: act_by_agreement.remove(&a.id).unwrap_or_default(),
            }
        })
        .collect()
}

/// Agreements in force with at least one indicator off track on `as_of`,
/// with their judged plans; those of region `region` when given (a party),
/// most indicators off track first, then the earliest missed target date.
pub async fn off_track(
    db: &impl ConnectionTrait,
    region: Option<&str>,
    as_of: NaiveDate,
    limit: usize,
) -> Result<Vec<(agreement::Model, Achievement)>> {
    use sea_orm::sea_query::Query;
    let mut q = agreement::Entity::find()
        .filter(agreement::Column::Stage.is_in(super::stage::IN_FORCE))
        .filter(
            agreement::Column::Id.in_subquery(
                Query::select()
                    .column(work_plan_indicator::Column::AgreementId)
                    .from(work_plan_indicator::Entity)
                    .to_owned(),
            ),
        );
    if let Some(code) = region {
        q = q.filter(
            agreement::Column::Id.in_subquery(
                Query::select()
                    .column(entity::agreement_party::Column::AgreementId)
                    .from(entity::agreement_party::Entity)
                    .and_where(entity::agreement_party::Column::RegionCode.eq(code))
                    .to_owned(),
            ),
        );
    }
    let candidates = q.order_by_asc(agreement::Column::Id).all(db).await?;
    let judged = achievements(db, &candidates, as_of).await?;
    let mut out: Vec<(agreement::Model, Achievement)> = candidates
        .into_iter()
        .zip(judged)
        .filter(|(_, a)| a.count(IndicatorStatus::OffTrack) > 0)
        .collect();
    let earliest_missed = |a: &Achievement| {
        a.indicators
            .iter()
            .filter(|i| i.status == IndicatorStatus::OffTrack)
            .map(|i| i.indicator.target_date)
            .min()
    };
    out.sort_by(|(x, xa), (y, ya)| {
        ya.count(IndicatorStatus::OffTrack)
            .cmp(&xa.count(IndicatorStatus::OffTrack))
            .then(earliest_missed(xa).cmp(&earliest_missed(ya)))
            .then(x.id.cmp(&y.id))
    });
    out.truncate(limit);
    Ok(out)
}

/// How the agreements among some whose implementing agreement (PKS) was
/// signed stand on measurable plans: the figure the articles say nobody
/// keeps. Counted as the stage says ([`super::stage::implementing_signed`]:
/// signed, carried out, evaluated, ended at term or renewed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlanSummary {
    /// Agreements whose implementing agreement (PKS) was signed.
    pub signed_implementing: i64,
    /// ... with at least one indicator.
    pub with_measurable_plan: i64,
    /// ... with every indicator met.
    pub with_targets_met: i64,
    /// ... with at least one indicator off track.
    pub with_indicators_off_track: i64,
}

/// Summarises the plans of the signed implementing agreements among
/// `agreements` on `as_of`.
pub async fn plan_summary(
    db: &impl ConnectionTrait,
    agreements: &[agreement::Model],
    as_of: NaiveDate,
) -> Result<PlanSummary> {
    let signed: Vec<agreement::Model> = agreements
        .iter()
        .filter(|a| super::stage::implementing_signed(a.stage))
        .cloned()
        .collect();
    let judged = achievements(db, &signed, as_of).await?;
    let n = |f: &dyn Fn(&Achievement) -> bool| judged.iter().filter(|a| f(a)).count() as i64;
    Ok(PlanSummary {
        signed_implementing: signed.len() as i64,
        with_measurable_plan: n(&|a| a.is_measurable()),
        with_targets_met: n(&|a| a.all_met()),
        with_indicators_off_track: n(&|a| a.count(IndicatorStatus::OffTrack) > 0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn indicator(baseline: f64, target: f64, target_date: &str) -> work_plan_indicator::Model {
        work_plan_indicator::Model {
            id: Uuid::new_v4(),
            agreement_id: Uuid::nil(),
            name: "x".into(),
            unit: "u".into(),
            baseline,
            target,
            target_date: day(target_date),
            position: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 1,
        }
    }

    fn measured(
        i: &work_plan_indicator::Model,
        on: &str,
        value: f64,
    ) -> indicator_measurement::Model {
        indicator_measurement::Model {
            id: Uuid::new_v4(),
            indicator_id: i.id,
            evaluation_id: None,
            measured_on: day(on),
            value,
            note: None,
            created_at: Utc::now(),
        }
    }

    const START: &str = "2026-01-01";

    #[test]
    fn higher_is_better_met_and_on_track() {
        let i = indicator(10.0, 50.0, "2026-12-31");
        let m = measured(&i, "2026-06-01", 50.0);
        let p = judge(i.clone(), &[m], day(START), day("2026-07-01"));
        assert_eq!(p.status, IndicatorStatus::Met);
        assert_eq!(p.progress, Some(1.0));
        // Halfway in time, 60% of the way: on track.
        let m = measured(&i, "2026-06-01", 34.0);
        let p = judge(i, &[m], day(START), day("2026-07-01"));
        assert_eq!(p.status, IndicatorStatus::OnTrack);
        assert!((p.progress.unwrap() - 0.6).abs() < 1e-9);
    }

    #[test]
    fn lower_is_better_reads_the_same() {
        // Days to a permit, from 14 down to 2.
        let i = indicator(14.0, 2.0, "2026-12-31");
        let p = judge(
            i.clone(),
            &[measured(&i, "2026-03-01", 2.0)],
            day(START),
            day("2026-03-02"),
        );
        assert_eq!(p.status, IndicatorStatus::Met);
        // Worse than the baseline three quarters through the year.
        let p = judge(
            i.clone(),
            &[measured(&i, "2026-09-01", 15.0)],
            day(START),
            day("2026-10-01"),
        );
        assert_eq!(p.status, IndicatorStatus::OffTrack);
        assert!(p.progress.unwrap() < 0.0);
    }

    #[test]
    fn lagging_more_than_the_allowance_is_off_track() {
        let i = indicator(0.0, 100.0, "2026-12-31");
        // ~75% of the year gone, 40% of the way: lag 0.35 > 0.25.
        let p = judge(
            i.clone(),
            &[measured(&i, "2026-09-30", 40.0)],
            day(START),
            day("2026-10-01"),
        );
        assert_eq!(p.status, IndicatorStatus::OffTrack);
        // 60% of the way: lag 0.15, on track.
        let p = judge(
            i.clone(),
            &[measured(&i, "2026-09-30", 60.0)],
            day(START),
            day("2026-10-01"),
        );
        assert_eq!(p.status, IndicatorStatus::OnTrack);
    }

    #[test]
    fn past_the_date_unmet_or_unmeasured_is_off_track() {
        let i = indicator(0.0, 100.0, "2026-06-30");
        let p = judge(
            i.clone(),
            &[measured(&i, "2026-06-30", 99.0)],
            day(START),
            day("2026-07-01"),
        );
        assert_eq!(p.status, IndicatorStatus::OffTrack);
        let p = judge(i.clone(), &[], day(START), day("2026-06-30"));
        assert_eq!(p.status, IndicatorStatus::NotMeasured);
        let p = judge(i, &[], day(START), day("2026-07-01"));
        assert_eq!(p.status, IndicatorStatus::OffTrack);
    }

    #[test]
    fn the_latest_measurement_on_or_before_the_day_counts() {
        let i = indicator(0.0, 10.0, "2026-12-31");
        let ms = [
            measured(&i, "2026-02-01", 10.0),
            measured(&i, "2026-03-01", 3.0),
            measured(&i, "2026-11-01", 10.0),
        ];
        let p = judge(i.clone(), &ms, day(START), day("2026-04-01"));
        assert_eq!(p.latest.as_ref().unwrap().value, 3.0);
        assert_eq!(p.status, IndicatorStatus::OnTrack);
        let p = judge(i, &ms, day(START), day("2026-11-02"));
        assert_eq!(p.status, IndicatorStatus::Met);
    }

    #[test]
    fn a_target_date_before_the_start_counts_as_all_time_elapsed() {
        let i = indicator(0.0, 10.0, "2025-12-31");
        let p = judge(i, &[], day(START), day(START));
        assert_eq!(p.elapsed, 1.0);
    }
}
