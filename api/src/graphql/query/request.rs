//! Learning request reads.

use async_graphql::{Context, ID, InputObject, Object};

use crate::domain::parse_id;
use crate::domain::region::query as regions;
use crate::domain::request::query as requests;
use crate::error::Result;
use crate::graphql::connection::LearningRequestConnection;
use crate::graphql::enums::{LearningRequestStatus, Sector};
use crate::graphql::loaders::LearningRequestById;
use crate::graphql::pagination::PageRequest;
use crate::graphql::types::{LearningRequest, load_one};
use crate::graphql::{db, limits};

/// Which learning requests to list.
#[derive(InputObject, Default)]
pub struct LearningRequestFilter {
    /// Only requests in this status (e.g. OPEN).
    pub status: Option<LearningRequestStatus>,
    /// Only requests of this region (code, e.g. "36.02").
    pub region_code: Option<ID>,
    /// Only requests about this sector.
    pub sector: Option<Sector>,
}

/// Reads of learning requests.
#[derive(Default)]
pub struct RequestQuery;

/// Reads of learning requests.
#[Object]
impl RequestQuery {
    /// One learning request by id; null if none has that id.
    async fn learning_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Learning request id (UUID).")] id: ID,
    ) -> Result<Option<LearningRequest>> {
        let id = parse_id("id", &id)?;
        Ok(load_one(ctx, LearningRequestById(id))
            .await?
            .map(LearningRequest))
    }

    /// Learning requests, newest first, a page at a time.
    #[graphql(complexity = "first.map_or(20, |f| f.max(0) as usize) * child_complexity + 1")]
    async fn learning_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which requests to list.")] filter: Option<LearningRequestFilter>,
        #[graphql(desc = "Page size (at most the configured maximum, 100 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts (`pageInfo.endCursor`).")]
        after: Option<String>,
    ) -> Result<LearningRequestConnection> {
        let page = PageRequest::new(first, after, requests::ORDER, limits(ctx)?)?;
        let filter = filter.unwrap_or_default();
        if let Some(code) = &filter.region_code {
            regions::check_code("filter.regionCode", code)?;
        }
        let f = requests::RequestFilter {
            status: filter.status.map(Into::into),
            region_code: filter.region_code.map(|c| c.0),
            sector: filter.sector.map(Into::into),
        };
        let db = db(ctx)?;
        requests::check_filter(db, &f).await?;
        let rows = requests::list(db, &f, page.after.as_ref(), page.first).await?;
        let edges = rows
            .items
            .into_iter()
            .map(|r| (requests::cursor(&r), r))
            .collect();
        Ok(LearningRequestConnection::new(
            edges,
            rows.has_next,
            requests::filtered(&f),
        ))
    }

    /// Federation: resolves a `LearningRequest` reference by id.
    #[graphql(entity)]
    async fn find_learning_request_by_id(
        &self,
        ctx: &Context<'_>,
        #[graphql(key)] id: ID,
    ) -> Result<Option<LearningRequest>> {
        let id = parse_id("id", &id)?;
        Ok(load_one(ctx, LearningRequestById(id))
            .await?
            .map(LearningRequest))
    }
}
