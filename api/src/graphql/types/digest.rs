//! `RegionDigest`: what happened in a region's cooperation over a period
//! and what falls due soon.

use async_graphql::{Context, Object};

use super::practice::DanglingReference;
use super::{Adoption, Agreement, ExpressionOfInterest, LearningRequest, Region, Visit, load_one};
use crate::domain::digest::Digest;
use crate::error::{ApiError, Result};
use crate::graphql::loaders::RegionByCode;
use crate::graphql::scalars::Date;

/// A region's digest over a period: news (requests in its sectors,
/// expressions awaiting its answer) and what falls due (agreements
/// expiring, due for evaluation or off track, follow-ups, visits). The
/// same due dates are an iCalendar feed at `/regions/{code}/due.ics`.
pub struct RegionDigest(pub Digest);

/// A region's digest over a period: news and what falls due.
#[Object]
impl RegionDigest {
    /// The region.
    async fn region(&self, ctx: &Context<'_>) -> Result<Region> {
        load_one(ctx, RegionByCode(self.0.region.clone()))
            .await?
            .map(Region)
            .ok_or_else(|| ApiError::internal(&DanglingReference("digest region")))
    }

    /// First day of the period.
    async fn from(&self) -> Date {
        Date(self.0.window.from)
    }

    /// Last day of the period.
    async fn to(&self) -> Date {
        Date(self.0.window.to)
    }

    /// Last day due dates are looked for (`to` plus `dueWithinDays`).
    async fn due_by(&self) -> Date {
        Date(self.0.window.due_by())
    }

    /// Open learning requests other regions posted in the period in the
    /// sectors of this region's own practices (what it could teach), newest
    /// first.
    async fn new_requests(&self) -> Vec<LearningRequest> {
        self.0
            .new_requests
            .iter()
            .cloned()
            .map(LearningRequest)
            .collect()
    }

    /// Pending expressions of interest answering this region's open
    /// requests: they wait for its answer (accept or decline), oldest
    /// first.
    async fn expressions_awaiting_answer(&self) -> Vec<ExpressionOfInterest> {
        self.0
            .awaiting_answer
            .iter()
            .cloned()
            .map(ExpressionOfInterest)
            .collect()
    }

    /// This region's own expressions of interest still pending.
    async fn expressions_pending(&self) -> Vec<ExpressionOfInterest> {
        self.0
            .own_pending
            .iter()
            .cloned()
            .map(ExpressionOfInterest)
            .collect()
    }

    /// Agreements it is party to whose term ends between `from` and
    /// `dueBy`, soonest first.
    async fn agreements_expiring(&self) -> Vec<Agreement> {
        self.0
            .agreements_expiring
            .iter()
            .cloned()
            .map(Agreement)
            .collect()
    }

    /// Agreements it is party to, running with no evaluation in six
    /// months on `to`.
    async fn agreements_due_for_evaluation(&self) -> Vec<Agreement> {
        self.0
            .agreements_due_for_evaluation
            .iter()
            .cloned()
            .map(Agreement)
            .collect()
    }

    /// Agreements it is party to with a work-plan indicator off track on
    /// `to`.
    async fn agreements_off_track(&self) -> Vec<Agreement> {
        self.0
            .agreements_off_track
            .iter()
            .cloned()
            .map(Agreement)
            .collect()
    }

    /// Its adoptions (a province: also its regencies' and cities') whose
    /// follow-up falls due by `dueBy`, most overdue first.
    async fn adoptions_due_for_follow_up(&self) -> Vec<Adoption> {
        self.0
            .follow_ups_due
            .iter()
            .map(|d| Adoption(d.adoption.clone()))
            .collect()
    }

    /// Benchmarking visits it makes or hosts starting between `from` and
    /// `dueBy`, soonest first.
    async fn visits(&self) -> Vec<Visit> {
        self.0.visits.iter().cloned().map(Visit).collect()
    }
}
