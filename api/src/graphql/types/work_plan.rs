//! An agreement's work plan: indicators with their measurements,
//! activities, and planned against achieved (`Agreement.achievement`).

use async_graphql::{Context, ID, Object, SimpleObject};
use entity::{indicator_measurement, work_plan_activity, work_plan_indicator};

use super::{Agreement, load_many, load_one, loader};
use crate::domain::agreement::achievement::{
    self as judge, Achievement, IndicatorProgress as Progress, IndicatorStatus as Status,
};
use crate::error::Result;
use crate::graphql::loaders::*;
use crate::graphql::scalars::{Date, DateTime};

/// Where a work-plan indicator stands on the judging day.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndicatorStatus {
    /// The latest value reached the target.
    Met,
    /// Not met yet, progressing about as fast as time passes.
    OnTrack,
    /// Not met by its target date, or progress lags the time elapsed by
    /// more than a quarter of the way.
    OffTrack,
    /// Nothing measured yet, and the target date has not passed.
    NotMeasured,
}

impl From<Status> for IndicatorStatus {
    fn from(s: Status) -> Self {
        match s {
            Status::Met => Self::Met,
            Status::OnTrack => Self::OnTrack,
            Status::OffTrack => Self::OffTrack,
            Status::NotMeasured => Self::NotMeasured,
        }
    }
}

/// Something a write accepted but tells you to see to.
#[derive(SimpleObject, Clone, Debug)]
pub struct WriteWarning {
    /// Stable code, e.g. `NO_MEASURABLE_PLAN`.
    pub code: String,
    /// What to do about it.
    pub message: String,
}

impl From<crate::domain::agreement::write::Warning> for WriteWarning {
    fn from(w: crate::domain::agreement::write::Warning) -> Self {
        Self {
            code: w.code.to_owned(),
            message: w.message,
        }
    }
}

/// An indicator of an agreement's work plan: what is measured, in which
/// unit, from which baseline to which target by which date.
pub struct WorkPlanIndicator(pub work_plan_indicator::Model);

/// An indicator of an agreement's work plan: what is measured, in which
/// unit, from which baseline to which target by which date.
#[Object]
impl WorkPlanIndicator {
    /// Indicator id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The agreement whose plan it belongs to.
    async fn agreement(&self, ctx: &Context<'_>) -> Result<Option<Agreement>> {
        Ok(load_one(ctx, AgreementById(self.0.agreement_id))
            .await?
            .map(Agreement))
    }

    /// What is measured, e.g. "Surat keluar ditandatangani elektronik".
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Unit, e.g. "%" or "hari".
    async fn unit(&self) -> &str {
        &self.0.unit
    }

    /// Value when the plan was made.
    async fn baseline(&self) -> f64 {
        self.0.baseline
    }

    /// Value to reach.
    async fn target(&self) -> f64 {
        self.0.target
    }

    /// Whether a higher value is better (the target is above the baseline).
    async fn higher_is_better(&self) -> bool {
        self.0.target > self.0.baseline
    }

    /// When the target is to be reached.
    async fn target_date(&self) -> Date {
        Date(self.0.target_date)
    }

    /// Position in the plan (1-based).
    async fn position(&self) -> i32 {
        self.0.position
    }

    /// Values measured, latest first.
    async fn measurements(&self, ctx: &Context<'_>) -> Result<Vec<IndicatorMeasurement>> {
        Ok(load_many(ctx, MeasurementsOf(self.0.id))
            .await?
            .into_iter()
            .map(IndicatorMeasurement)
            .collect())
    }

    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When it was added.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
}

/// A value an indicator reached on a date.
pub struct IndicatorMeasurement(pub indicator_measurement::Model);

/// A value an indicator reached on a date.
#[Object]
impl IndicatorMeasurement {
    /// Measurement id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The indicator measured.
    async fn indicator_id(&self) -> ID {
        ID(self.0.indicator_id.to_string())
    }

    /// The evaluation it was recorded with.
    async fn evaluation_id(&self) -> Option<ID> {
        self.0.evaluation_id.map(|e| ID(e.to_string()))
    }

    /// Date of the measurement (the evaluation's date).
    async fn on(&self) -> Date {
        Date(self.0.measured_on)
    }

    /// The value, in the indicator's unit.
    async fn value(&self) -> f64 {
        self.0.value
    }

    /// How it was measured, or what explains it.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// An activity of an agreement's work plan.
pub struct WorkPlanActivity(pub work_plan_activity::Model);

/// An activity of an agreement's work plan: what is done, by whom, when.
#[Object]
impl WorkPlanActivity {
    /// Activity id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// What is done.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// The agency (OPD) or person responsible.
    async fn owner(&self) -> &str {
        &self.0.owner
    }

    /// Planned start.
    async fn starts_on(&self) -> Option<Date> {
        self.0.starts_on.map(Date)
    }

    /// Planned end.
    async fn due_on(&self) -> Option<Date> {
        self.0.due_on.map(Date)
    }

    /// When it was done; null while open.
    async fn done_on(&self) -> Option<Date> {
        self.0.done_on.map(Date)
    }

    /// Position in the plan (1-based).
    async fn position(&self) -> i32 {
        self.0.position
    }

    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// One indicator judged on a date.
pub struct IndicatorProgress(pub Progress);

/// One indicator judged on a date: its latest value, how far it has come
/// and how much of its time has passed.
#[Object]
impl IndicatorProgress {
    /// The indicator.
    async fn indicator(&self) -> WorkPlanIndicator {
        WorkPlanIndicator(self.0.indicator.clone())
    }

    /// The latest measurement on or before the judging day.
    async fn latest(&self) -> Option<IndicatorMeasurement> {
        self.0.latest.clone().map(IndicatorMeasurement)
    }

    /// Share of the way from baseline to target the latest value covers
    /// (1.0 is the target; below 0 is worse than the baseline); null when
    /// nothing was measured.
    async fn progress(&self) -> Option<f64> {
        self.0.progress
    }

    /// Share of the time from the plan's start (signing, else validFrom)
    /// to the target date that has passed, 0 to 1.
    async fn elapsed(&self) -> f64 {
        self.0.elapsed
    }

    /// Met, on track, off track or not measured.
    async fn status(&self) -> IndicatorStatus {
        self.0.status.into()
    }
}

/// An agreement's work plan judged on a date: planned against achieved.
pub struct AgreementAchievement(pub Achievement);

/// An agreement's work plan judged on a date: planned against achieved.
#[Object]
impl AgreementAchievement {
    /// The judging day.
    async fn as_of(&self) -> Date {
        Date(self.0.as_of)
    }

    /// Whether the plan has at least one indicator.
    async fn measurable(&self) -> bool {
        self.0.is_measurable()
    }

    /// Each indicator, in plan order.
    async fn indicators(&self) -> Vec<IndicatorProgress> {
        self.0
            .indicators
            .iter()
            .cloned()
            .map(IndicatorProgress)
            .collect()
    }

    /// Indicators met.
    async fn met(&self) -> i32 {
        count(self.0.count(Status::Met))
    }

    /// Indicators on track.
    async fn on_track(&self) -> i32 {
        count(self.0.count(Status::OnTrack))
    }

    /// Indicators off track.
    async fn off_track(&self) -> i32 {
        count(self.0.count(Status::OffTrack))
    }

    /// Indicators not measured yet.
    async fn not_measured(&self) -> i32 {
        count(self.0.count(Status::NotMeasured))
    }

    /// Whether every indicator is met (false without indicators).
    async fn all_met(&self) -> bool {
        self.0.all_met()
    }

    /// Activities in the plan.
    async fn activities_total(&self) -> i32 {
        count(self.0.activities.len())
    }

    /// Activities done by the judging day.
    async fn activities_done(&self) -> i32 {
        count(self.0.activities_done())
    }

    /// Activities not done whose due date has passed.
    async fn activities_overdue(&self) -> i32 {
        count(self.0.activities_overdue())
    }
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Judges agreement `a`'s plan on `as_of` through the request's loaders
/// (three batched statements for any number of agreements in a query).
pub(crate) async fn achievement_of(
    ctx: &Context<'_>,
    a: &entity::agreement::Model,
    as_of: chrono::NaiveDate,
) -> Result<Achievement> {
    let indicators: Vec<work_plan_indicator::Model> = load_many(ctx, IndicatorsOf(a.id)).await?;
    let activities: Vec<work_plan_activity::Model> = load_many(ctx, ActivitiesOf(a.id)).await?;
    let measurements = if indicators.is_empty() {
        Vec::new()
    } else {
        loader(ctx)?
            .load_many(indicators.iter().map(|i| MeasurementsOf(i.id)))
            .await?
            .into_values()
            .flatten()
            .collect()
    };
    Ok(judge::assemble(
        std::slice::from_ref(a),
        indicators,
        activities,
        measurements,
        as_of,
    )
    .pop()
    .unwrap_or(Achievement {
        agreement_id: a.id,
        as_of,
        indicators: Vec::new(),
        activities: Vec::new(),
    }))
}
