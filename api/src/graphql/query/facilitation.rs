//! Facilitation reads: a province bureau's queue, a region's requests.

use async_graphql::{Context, ID, InputObject, Object};

use crate::domain::{facilitation, parse_id};
use crate::error::Result;
use crate::graphql::enums::FacilitationStatus;
use crate::graphql::mutation::viewer;
use crate::graphql::pagination::PageRequest;
use crate::graphql::types::facilitation::FacilitationRequest;
use crate::graphql::{db, limits};

/// Which facilitation requests to list: a province's queue or a region's
/// own (at least one of the two).
#[derive(InputObject, Default)]
pub struct FacilitationFilter {
    /// The province whose bureau handles them (its admins, or a national
    /// admin).
    pub province_code: Option<ID>,
    /// The requesting region (its writers, or admins over it).
    pub region_code: Option<ID>,
    /// Only these statuses (default: the open ones: SUBMITTED, ASSIGNED,
    /// ANSWERED).
    #[graphql(default)]
    pub statuses: Vec<FacilitationStatus>,
}

/// Facilitation reads.
#[derive(Default)]
pub struct FacilitationQuery;

/// Facilitation reads.
#[Object]
impl FacilitationQuery {
    /// Facilitation requests, oldest first: a province bureau's queue
    /// (`provinceCode`) or a region's own (`regionCode`).
    async fn facilitation_requests(
        &self,
        ctx: &Context<'_>,
        filter: FacilitationFilter,
        #[graphql(desc = "How many (at most the maximum page size).")] first: Option<i32>,
    ) -> Result<Vec<FacilitationRequest>> {
        let page = PageRequest::new(first, None, "facilitation", limits(ctx)?)?;
        let f = facilitation::Filter {
            province_code: filter.province_code.map(|c| c.0),
            region_code: filter.region_code.map(|c| c.0),
            statuses: filter.statuses.into_iter().map(Into::into).collect(),
        };
        Ok(facilitation::list(db(ctx)?, viewer(ctx), &f, page.first)
            .await?
            .into_iter()
            .map(FacilitationRequest)
            .collect())
    }

    /// One facilitation request by id (its region's writers, its
    /// province's admins); null if none has that id.
    async fn facilitation_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Request id (UUID).")] id: ID,
    ) -> Result<Option<FacilitationRequest>> {
        let id = parse_id("id", &id)?;
        Ok(facilitation::one(db(ctx)?, viewer(ctx), id)
            .await?
            .map(FacilitationRequest))
    }
}
