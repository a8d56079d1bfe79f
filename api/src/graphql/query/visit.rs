//! Visit reads.

use async_graphql::{Context, ID, Object};

use crate::domain::parse_id;
use crate::error::Result;
use crate::graphql::loaders::VisitById;
use crate::graphql::types::{Visit, load_one};

/// Reads of benchmarking visits.
#[derive(Default)]
pub struct VisitQuery;

/// Reads of benchmarking visits.
#[Object]
impl VisitQuery {
    /// One visit by id; null if none has that id.
    async fn visit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Visit id (UUID).")] id: ID,
    ) -> Result<Option<Visit>> {
        let id = parse_id("id", &id)?;
        Ok(load_one(ctx, VisitById(id)).await?.map(Visit))
    }

    /// Federation: resolves a `Visit` reference by id.
    #[graphql(entity)]
    async fn find_visit_by_id(
        &self,
        ctx: &Context<'_>,
        #[graphql(key)] id: ID,
    ) -> Result<Option<Visit>> {
        let id = parse_id("id", &id)?;
        Ok(load_one(ctx, VisitById(id)).await?.map(Visit))
    }
}
