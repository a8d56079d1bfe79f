//! Types of the coordinator views: `cooperationStats` (a region's
//! cooperation over a period) and `adoptionFunnel` (where the adopters of a
//! practice stand).

use async_graphql::{Context, Object, SimpleObject};

use crate::domain::agreement::cooperation::{CooperationStats as Stats, FunnelStage};
use crate::error::Result;
use crate::graphql::enums::{AdoptionStage, AgreementStage};
use crate::graphql::scalars::Date;
use crate::graphql::types::region::PartnerCategoryCounts;
use crate::graphql::types::{Adoption, Agreement, Practice, Region, Visit};

/// Agreements at one stage.
#[derive(SimpleObject)]
pub struct StageCount {
    /// The stage.
    pub stage: AgreementStage,
    /// Agreements at it.
    pub count: i64,
}

/// How far frameworks got: the complaint is that agreements stall at the MoU.
#[derive(SimpleObject)]
pub struct CooperationFunnel {
    /// Framework agreements (Kesepakatan Bersama, Nota Kesepakatan) signed.
    pub frameworks_signed: i64,
    /// ... with an implementing agreement (Perjanjian Kerja Sama) signed.
    pub reached_implementing_agreement: i64,
    /// ... being implemented or evaluated.
    pub reached_implementation: i64,
    /// Frameworks still without an implementing agreement a year after
    /// signing (or with no signing date recorded).
    pub stalled_after_framework: i64,
}

/// How the region's signed implementing agreements (PKS) stand on
/// measurable work plans: most cooperation never gets past the framework,
/// and a signed PKS often has little impact for lack of clear, measurable
/// planning.
#[derive(SimpleObject)]
pub struct WorkPlanStats {
    /// Agreements in the period whose implementing agreement was signed
    /// (signed, carried out, evaluated, ended at term or renewed).
    pub signed_implementing: i64,
    /// ... with a measurable work plan (at least one indicator).
    pub with_measurable_plan: i64,
    /// ... with every indicator met on `asOf`.
    pub with_targets_met: i64,
    /// ... with at least one indicator off track on `asOf`.
    pub with_indicators_off_track: i64,
    /// Share (0-1) of them with a measurable plan; null when there are none.
    pub measurable_share: Option<f64>,
    /// Share (0-1) of them with every target met; null when there are none.
    pub targets_met_share: Option<f64>,
}

/// Facilitation requests to a province's cooperation bureau, by status.
#[derive(SimpleObject)]
pub struct FacilitationCounts {
    /// In the queue, not yet assigned.
    pub submitted: i64,
    /// Being handled.
    pub assigned: i64,
    /// Answered, not yet closed.
    pub answered: i64,
    /// Settled by the bureau.
    pub closed: i64,
    /// Taken back by the requesting region.
    pub withdrawn: i64,
}

/// A region's cooperation over a period.
pub struct CooperationStats(pub Stats);

/// A region's cooperation over a period, as a coordinator reports it.
#[Object]
impl CooperationStats {
    /// The region.
    async fn region(&self) -> Region {
        Region(self.0.region.clone())
    }

    /// Start of the period (agreements dated by signing, else by recording).
    async fn from(&self) -> Option<Date> {
        self.0.from.map(Date)
    }

    /// End of the period.
    async fn to(&self) -> Option<Date> {
        self.0.to.map(Date)
    }

    /// The day expiry, stalling and evaluation are judged at (today).
    async fn as_of(&self) -> Date {
        Date(self.0.as_of)
    }

    /// Agreements in the period.
    async fn total(&self) -> i64 {
        i64::try_from(self.0.agreements.len()).unwrap_or(i64::MAX)
    }

    /// By the category of the partner; an agreement with partners in two
    /// categories counts in both.
    async fn by_partner_category(&self) -> PartnerCategoryCounts {
        self.0.by_category.into()
    }

    /// By stage along the legal path (stages with none are left out).
    async fn by_stage(&self) -> Vec<StageCount> {
        self.0
            .by_stage
            .iter()
            .map(|(s, n)| StageCount {
                stage: (*s).into(),
                count: *n,
            })
            .collect()
    }

    /// How far the frameworks got.
    async fn funnel(&self) -> CooperationFunnel {
        CooperationFunnel {
            frameworks_signed: self.0.frameworks_signed,
            reached_implementing_agreement: self.0.reached_implementing_agreement,
            reached_implementation: self.0.reached_implementation,
            stalled_after_framework: i64::try_from(self.0.stalled_after_framework.len())
                .unwrap_or(i64::MAX),
        }
    }

    /// How the signed implementing agreements stand on measurable plans
    /// and met targets (judged on `asOf`).
    async fn work_plans(&self) -> WorkPlanStats {
        let p = self.0.plans;
        let share =
            |n: i64| (p.signed_implementing > 0).then(|| n as f64 / p.signed_implementing as f64);
        WorkPlanStats {
            signed_implementing: p.signed_implementing,
            with_measurable_plan: p.with_measurable_plan,
            with_targets_met: p.with_targets_met,
            with_indicators_off_track: p.with_indicators_off_track,
            measurable_share: share(p.with_measurable_plan),
            targets_met_share: share(p.with_targets_met),
        }
    }

    /// Facilitation requests to the cooperation bureau, by status: the
    /// province's whole queue for a province, the region's own requests
    /// otherwise (every request, whenever submitted). Beside `funnel`
    /// (frameworks signed, PKS signed, in implementation) it shows where
    /// proposals wait: in the bureau's queue, or after the bureau.
    async fn facilitation(&self, ctx: &Context<'_>) -> Result<FacilitationCounts> {
        let counts =
            crate::domain::facilitation::counts(crate::graphql::db(ctx)?, &self.0.region).await?;
        let n = |s: entity::FacilitationStatus| {
            counts
                .iter()
                .find(|(x, _)| *x == s)
                .map_or(0, |(_, n)| i64::try_from(*n).unwrap_or(i64::MAX))
        };
        use entity::FacilitationStatus::*;
        Ok(FacilitationCounts {
            submitted: n(Submitted),
            assigned: n(Assigned),
            answered: n(Answered),
            closed: n(Closed),
            withdrawn: n(Withdrawn),
        })
    }

    /// The stalled frameworks, oldest first.
    async fn stalled(&self) -> Vec<Agreement> {
        let mut v: Vec<_> = self.0.stalled_after_framework.clone();
        v.sort_by_key(|a| (a.signed_on, a.id));
        v.into_iter().map(Agreement).collect()
    }

    /// Agreements not closed whose term ends within 180 days.
    async fn expiring(&self) -> Vec<Agreement> {
        self.0.expiring.iter().cloned().map(Agreement).collect()
    }

    /// Running agreements with no evaluation in the last six months.
    async fn due_for_evaluation(&self) -> Vec<Agreement> {
        self.0
            .due_for_evaluation
            .iter()
            .cloned()
            .map(Agreement)
            .collect()
    }

    /// The agreements in the period, latest first.
    async fn agreements(&self) -> Vec<Agreement> {
        self.0.agreements.iter().cloned().map(Agreement).collect()
    }
}

/// One stage of an adoption funnel.
pub struct AdoptionFunnelStage(pub FunnelStage);

/// Adoptions at one stage, with what lies behind them.
#[Object]
impl AdoptionFunnelStage {
    /// The stage.
    async fn stage(&self) -> AdoptionStage {
        self.0.stage.into()
    }

    /// Adoptions at it.
    async fn count(&self) -> i64 {
        i64::try_from(self.0.adoptions.len()).unwrap_or(i64::MAX)
    }

    /// The adoptions, by region code.
    async fn adoptions(&self) -> Vec<Adoption> {
        self.0.adoptions.iter().cloned().map(Adoption).collect()
    }

    /// Agreements under which these adoptions happen.
    async fn agreements(&self, ctx: &Context<'_>) -> Result<Vec<Agreement>> {
        let l = crate::graphql::types::loader(ctx)?;
        let found = l
            .load_many(
                self.0
                    .agreement_ids
                    .iter()
                    .map(|id| crate::graphql::loaders::AgreementById(*id)),
            )
            .await?;
        Ok(self
            .0
            .agreement_ids
            .iter()
            .filter_map(|id| found.get(&crate::graphql::loaders::AgreementById(*id)))
            .cloned()
            .map(Agreement)
            .collect())
    }

    /// Benchmarking visits behind these adoptions (linked to them, or made
    /// by the adopter to study the practice), earliest first.
    async fn visits(&self) -> Vec<Visit> {
        self.0.visits.iter().cloned().map(Visit).collect()
    }
}

/// Where the adopters of a practice stand.
#[derive(SimpleObject)]
pub struct AdoptionFunnel {
    /// The practice.
    pub practice: Practice,
    /// All adoptions.
    pub total: i64,
    /// Interested, preparing, piloting, adopted, stopped, in that order.
    pub stages: Vec<AdoptionFunnelStage>,
}
