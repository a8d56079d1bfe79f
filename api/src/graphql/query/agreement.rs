//! Agreement reads.

use async_graphql::{Context, Enum, ID, InputObject, Object};

use crate::domain::agreement::query::{self as agreements, AgreementOrder};
use crate::domain::parse_id;
use crate::domain::region::query as regions;
use crate::error::Result;
use crate::graphql::connection::AgreementConnection;
use crate::graphql::enums::{AgreementCategory, AgreementKind, AgreementStage};
use crate::graphql::loaders::AgreementById;
use crate::graphql::pagination::PageRequest;
use crate::graphql::scalars::Date;
use crate::graphql::types::{Agreement, load_one};
use crate::graphql::{db, limits};

/// Which agreements to list.
#[derive(InputObject, Default)]
pub struct AgreementFilter {
    /// Only agreements this region is a party to (code, e.g. "32").
    pub party_region_code: Option<ID>,
    /// Only agreements of this legal form.
    pub kind: Option<AgreementKind>,
    /// Only agreements of this category.
    pub category: Option<AgreementCategory>,
    /// Only agreements at this stage.
    pub stage: Option<AgreementStage>,
    /// Only agreements signed on or after this date.
    pub signed_from: Option<Date>,
    /// Only agreements signed on or before this date.
    pub signed_to: Option<Date>,
    /// Only agreements that transfer this practice (id).
    pub practice_id: Option<ID>,
}

/// Orderings of the agreement list.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum AgreementOrderBy {
    /// Latest signing first; agreements without a signing date last.
    #[default]
    SignedOn,
    /// Title A-Z.
    Title,
}

/// Reads of agreements.
#[derive(Default)]
pub struct AgreementQuery;

/// Reads of agreements.
#[Object]
impl AgreementQuery {
    /// One agreement by id; null if none has that id.
    async fn agreement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Agreement id (UUID).")] id: ID,
    ) -> Result<Option<Agreement>> {
        let id = parse_id("id", &id)?;
        Ok(load_one(ctx, AgreementById(id)).await?.map(Agreement))
    }

    /// Agreements, filtered and ordered, a page at a time.
    #[graphql(complexity = "first.map_or(20, |f| f.max(0) as usize) * child_complexity + 1")]
    async fn agreements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which agreements to list.")] filter: Option<AgreementFilter>,
        #[graphql(desc = "Ordering; latest signing first by default.", default)]
        order_by: AgreementOrderBy,
        #[graphql(desc = "Page size (at most the configured maximum, 100 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts (`pageInfo.endCursor`).")]
        after: Option<String>,
    ) -> Result<AgreementConnection> {
        let order = match order_by {
            AgreementOrderBy::SignedOn => AgreementOrder::SignedOn,
            AgreementOrderBy::Title => AgreementOrder::Title,
        };
        let page = PageRequest::new(first, after, order.name(), limits(ctx)?)?;
        let filter = filter.unwrap_or_default();
        if let Some(code) = &filter.party_region_code {
            regions::check_code("filter.partyRegionCode", code)?;
        }
        let f = agreements::AgreementFilter {
            party_region_code: filter.party_region_code.map(|c| c.0),
            kind: filter.kind.map(Into::into),
            category: filter.category.map(Into::into),
            stage: filter.stage.map(Into::into),
            signed_from: filter.signed_from.map(|d| d.0),
            signed_to: filter.signed_to.map(|d| d.0),
            practice_id: filter
                .practice_id
                .map(|id| parse_id("filter.practiceId", &id))
                .transpose()?,
        };
        let db = db(ctx)?;
        agreements::check_filter(db, &f).await?;
        let rows = agreements::list(db, &f, order, page.after.as_ref(), page.first).await?;
        let edges = rows
            .items
            .into_iter()
            .map(|a| (order.cursor(&a), a))
            .collect();
        Ok(AgreementConnection::new(
            edges,
            rows.has_next,
            agreements::filtered(&f),
        ))
    }

    /// Signed, running agreements with no evaluation in the six months before
    /// `asOf` (default today): evaluate at least twice a year.
    async fn agreements_due_for_evaluation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Reference date (default today).")] as_of: Option<Date>,
        #[graphql(desc = "How many (at most the maximum page size).")] first: Option<i32>,
    ) -> Result<Vec<Agreement>> {
        let page = PageRequest::new(first, None, "due", limits(ctx)?)?;
        let as_of = as_of.map_or_else(|| chrono::Utc::now().date_naive(), |d| d.0);
        Ok(crate::domain::agreement::query::due_for_evaluation(
            db(ctx)?,
            as_of,
            None,
            Some(page.first),
        )
        .await?
        .into_iter()
        .map(Agreement)
        .collect())
    }

    /// Agreements in force whose work plan has an indicator off track on
    /// `asOf` (default today): not met by its target date, or progress
    /// lagging the time elapsed by more than a quarter of the way. Most
    /// indicators off track first; `Agreement.achievement` says which.
    async fn agreements_off_track(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only agreements this region (code) is party to.")] region_code: Option<
            ID,
        >,
        #[graphql(desc = "Judging day (default today).")] as_of: Option<Date>,
        #[graphql(desc = "How many (at most the maximum page size).")] first: Option<i32>,
    ) -> Result<Vec<Agreement>> {
        let page = PageRequest::new(first, None, "offTrack", limits(ctx)?)?;
        let as_of = as_of.map_or_else(|| chrono::Utc::now().date_naive(), |d| d.0);
        let db = db(ctx)?;
        let region = region_code.map(|c| c.0);
        if let Some(code) = &region {
            crate::domain::region::query::require(db, "regionCode", code).await?;
        }
        Ok(crate::domain::agreement::achievement::off_track(
            db,
            region.as_deref(),
            as_of,
            usize::try_from(page.first).unwrap_or(usize::MAX),
        )
        .await?
        .into_iter()
        .map(|(a, _)| Agreement(a))
        .collect())
    }

    /// Agreements still open whose term ends before `date`, soonest first.
    async fn agreements_expiring_before(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "End of the window.")] date: Date,
        #[graphql(desc = "How many (at most the maximum page size).")] first: Option<i32>,
    ) -> Result<Vec<Agreement>> {
        let page = PageRequest::new(first, None, "expiring", limits(ctx)?)?;
        Ok(crate::domain::agreement::query::expiring(
            db(ctx)?,
            None,
            date.0,
            None,
            Some(page.first),
        )
        .await?
        .into_iter()
        .map(Agreement)
        .collect())
    }

    /// Federation: resolves an `Agreement` reference by id.
    #[graphql(entity)]
    async fn find_agreement_by_id(
        &self,
        ctx: &Context<'_>,
        #[graphql(key)] id: ID,
    ) -> Result<Option<Agreement>> {
        let id = parse_id("id", &id)?;
        Ok(load_one(ctx, AgreementById(id)).await?.map(Agreement))
    }
}
