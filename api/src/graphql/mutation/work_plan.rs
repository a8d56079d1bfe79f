//! Writes of an agreement's work plan: indicators and activities. Each
//! answers with the changed item and the agreement at its new `version`.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use super::{patch, viewer};
use crate::domain::agreement::plan::{
    self, ActivityPatch, IndicatorPatch, NewActivity, NewIndicator,
};
use crate::domain::parse_id;
use crate::error::Result;
use crate::graphql::db;
use crate::graphql::scalars::Date;
use crate::graphql::types::Agreement;
use crate::graphql::types::work_plan::{WorkPlanActivity, WorkPlanIndicator};

/// A new indicator for an agreement's work plan.
#[derive(InputObject)]
pub struct AddWorkPlanIndicatorInput {
    /// The agreement.
    pub agreement_id: ID,
    /// The agreement's `version` you last read (optional; a stale one is refused).
    pub version: Option<i32>,
    /// What is measured.
    pub name: String,
    /// Unit, e.g. "%", "hari", "dokumen".
    pub unit: String,
    /// Value when the plan is made.
    pub baseline: f64,
    /// Value to reach (below the baseline when lower is better).
    pub target: f64,
    /// When the target is to be reached.
    pub target_date: Date,
}

/// Changes to an indicator; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateWorkPlanIndicatorInput {
    /// Indicator id.
    pub id: ID,
    /// The indicator's `version` you last read.
    pub version: i32,
    /// What is measured.
    pub name: Option<String>,
    /// Unit.
    pub unit: Option<String>,
    /// Baseline value.
    pub baseline: Option<f64>,
    /// Target value.
    pub target: Option<f64>,
    /// Target date.
    pub target_date: Option<Date>,
}

/// A new activity for an agreement's work plan.
#[derive(InputObject)]
pub struct AddWorkPlanActivityInput {
    /// The agreement.
    pub agreement_id: ID,
    /// The agreement's `version` you last read (optional; a stale one is refused).
    pub version: Option<i32>,
    /// What is done.
    pub title: String,
    /// The agency (OPD) or person responsible.
    pub owner: String,
    /// Planned start.
    pub starts_on: Option<Date>,
    /// Planned end (not before the start).
    pub due_on: Option<Date>,
}

/// Changes to an activity: left out stays, `null` clears a date.
#[derive(InputObject)]
pub struct UpdateWorkPlanActivityInput {
    /// Activity id.
    pub id: ID,
    /// The activity's `version` you last read.
    pub version: i32,
    /// What is done.
    pub title: Option<String>,
    /// Who is responsible.
    pub owner: Option<String>,
    /// Planned start.
    #[graphql(default)]
    pub starts_on: MaybeUndefined<Date>,
    /// Planned end.
    #[graphql(default)]
    pub due_on: MaybeUndefined<Date>,
    /// When it was done (not in the future); `null` reopens it.
    #[graphql(default)]
    pub done_on: MaybeUndefined<Date>,
}

/// An indicator after a write, with its agreement.
#[derive(SimpleObject)]
pub struct WorkPlanIndicatorPayload {
    /// The indicator as saved.
    pub indicator: WorkPlanIndicator,
    /// The agreement (with its new `version`).
    pub agreement: Agreement,
}

/// An activity after a write, with its agreement.
#[derive(SimpleObject)]
pub struct WorkPlanActivityPayload {
    /// The activity as saved.
    pub activity: WorkPlanActivity,
    /// The agreement (with its new `version`).
    pub agreement: Agreement,
}

/// The agreement after an item of its plan was removed.
#[derive(SimpleObject)]
pub struct WorkPlanRemovalPayload {
    /// The agreement (with its new `version`).
    pub agreement: Agreement,
}

fn date(d: MaybeUndefined<Date>) -> Option<Option<chrono::NaiveDate>> {
    patch(d).map(|d| d.map(|d| d.0))
}

/// Writes of work plans.
#[derive(Default)]
pub struct WorkPlanMutation;

#[Object]
impl WorkPlanMutation {
    /// Adds an indicator to an agreement's work plan (editors of a party
    /// region; not on a closed agreement).
    async fn add_work_plan_indicator(
        &self,
        ctx: &Context<'_>,
        input: AddWorkPlanIndicatorInput,
    ) -> Result<WorkPlanIndicatorPayload> {
        let id = parse_id("input.agreementId", &input.agreement_id)?;
        let (i, a) = plan::add_indicator(
            db(ctx)?,
            viewer(ctx),
            id,
            input.version,
            NewIndicator {
                name: input.name,
                unit: input.unit,
                baseline: input.baseline,
                target: input.target,
                target_date: input.target_date.0,
            },
        )
        .await?;
        Ok(WorkPlanIndicatorPayload {
            indicator: WorkPlanIndicator(i),
            agreement: Agreement(a),
        })
    }

    /// Changes an indicator; refused with `CONFLICT` when `version` is stale.
    async fn update_work_plan_indicator(
        &self,
        ctx: &Context<'_>,
        input: UpdateWorkPlanIndicatorInput,
    ) -> Result<WorkPlanIndicatorPayload> {
        let id = parse_id("input.id", &input.id)?;
        let (i, a) = plan::update_indicator(
            db(ctx)?,
            viewer(ctx),
            id,
            input.version,
            IndicatorPatch {
                name: input.name,
                unit: input.unit,
                baseline: input.baseline,
                target: input.target,
                target_date: input.target_date.map(|d| d.0),
            },
        )
        .await?;
        Ok(WorkPlanIndicatorPayload {
            indicator: WorkPlanIndicator(i),
            agreement: Agreement(a),
        })
    }

    /// Removes an indicator that has no measurements.
    async fn remove_work_plan_indicator(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Indicator id.")] id: ID,
    ) -> Result<WorkPlanRemovalPayload> {
        let id = parse_id("id", &id)?;
        let a = plan::remove_indicator(db(ctx)?, viewer(ctx), id).await?;
        Ok(WorkPlanRemovalPayload {
            agreement: Agreement(a),
        })
    }

    /// Adds an activity to an agreement's work plan.
    async fn add_work_plan_activity(
        &self,
        ctx: &Context<'_>,
        input: AddWorkPlanActivityInput,
    ) -> Result<WorkPlanActivityPayload> {
        let id = parse_id("input.agreementId", &input.agreement_id)?;
        let (act, a) = plan::add_activity(
            db(ctx)?,
            viewer(ctx),
            id,
            input.version,
            NewActivity {
                title: input.title,
                owner: input.owner,
                starts_on: input.starts_on.map(|d| d.0),
                due_on: input.due_on.map(|d| d.0),
            },
        )
        .await?;
        Ok(WorkPlanActivityPayload {
            activity: WorkPlanActivity(act),
            agreement: Agreement(a),
        })
    }

    /// Changes an activity (set `doneOn` when it is done); refused with
    /// `CONFLICT` when `version` is stale.
    async fn update_work_plan_activity(
        &self,
        ctx: &Context<'_>,
        input: UpdateWorkPlanActivityInput,
    ) -> Result<WorkPlanActivityPayload> {
        let id = parse_id("input.id", &input.id)?;
        let (act, a) = plan::update_activity(
            db(ctx)?,
            viewer(ctx),
            id,
            input.version,
            ActivityPatch {
                title: input.title,
                owner: input.owner,
                starts_on: date(input.starts_on),
                due_on: date(input.due_on),
                done_on: date(input.done_on),
            },
        )
        .await?;
        Ok(WorkPlanActivityPayload {
            activity: WorkPlanActivity(act),
            agreement: Agreement(a),
        })
    }

    /// Removes an activity.
    async fn remove_work_plan_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Activity id.")] id: ID,
    ) -> Result<WorkPlanRemovalPayload> {
        let id = parse_id("id", &id)?;
        let a = plan::remove_activity(db(ctx)?, viewer(ctx), id).await?;
        Ok(WorkPlanRemovalPayload {
            agreement: Agreement(a),
        })
    }
}
