//! Adoption reads: one by id, and those due for a follow-up.

use async_graphql::{Context, ID, Object};

use crate::domain::adoption::follow_up;
use crate::domain::parse_id;
use crate::error::Result;
use crate::graphql::loaders::AdoptionById;
use crate::graphql::pagination::PageRequest;
use crate::graphql::scalars::Date;
use crate::graphql::types::{Adoption, load_one};
use crate::graphql::{db, limits};

/// Reads of adoptions.
#[derive(Default)]
pub struct AdoptionQuery;

/// Reads of adoptions.
#[Object]
impl AdoptionQuery {
    /// One adoption by id; null if none has that id.
    async fn adoption(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Adoption id (UUID).")] id: ID,
    ) -> Result<Option<Adoption>> {
        let id = parse_id("id", &id)?;
        Ok(load_one(ctx, AdoptionById(id)).await?.map(Adoption))
    }

    /// Adoptions being piloted or adopted by `region` (a province: by it
    /// and its regencies and cities) whose next follow-up falls on or before
    /// `asOf` (default today), most overdue first. A follow-up is due
    /// `follow_up_months` (default 12) after the later of the last
    /// follow-up and the adoption date (else the start).
    async fn adoptions_due_for_follow_up(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The adopting region (code), or a province.")] region: ID,
        #[graphql(desc = "Reference date (default today).")] as_of: Option<Date>,
        #[graphql(desc = "How many (at most the maximum page size).")] first: Option<i32>,
    ) -> Result<Vec<Adoption>> {
        let limits = limits(ctx)?;
        let page = PageRequest::new(first, None, "followUp", limits)?;
        let as_of = as_of.map_or_else(|| chrono::Utc::now().date_naive(), |d| d.0);
        Ok(follow_up::due_for_follow_up(
            db(ctx)?,
            &region.0,
            as_of,
            limits.follow_up_months,
            usize::try_from(page.first).unwrap_or(usize::MAX),
        )
        .await?
        .into_iter()
        .map(|d| Adoption(d.adoption))
        .collect())
    }
}
