//! Practice reads.

use async_graphql::{Context, Enum, ID, InputObject, Object};
use entity::practice;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::domain::parse_id;
use crate::domain::practice::query::{self as practices, PracticeOrder};
use crate::domain::region::query as regions;
use crate::error::{ApiError, Result};
use crate::graphql::connection::PracticeConnection;
use crate::graphql::enums::{PracticeStatus, Sector};
use crate::graphql::loaders::PracticeById;
use crate::graphql::pagination::PageRequest;
use crate::graphql::types::{Practice, load_one};
use crate::graphql::{db, limits};

/// Which practices to list.
#[derive(InputObject, Default)]
pub struct PracticeFilter {
    /// Only practices owned by this region (code, e.g. "32.11").
    pub owner_region_code: Option<ID>,
    /// Only practices owned by this province or its regencies and cities.
    pub province_code: Option<ID>,
    /// Only practices in this sector.
    pub sector: Option<Sector>,
    /// Only practices with this status.
    pub status: Option<PracticeStatus>,
    /// Only practices whose owner is (or is not) looking for adopters.
    pub looking_for_adopters: Option<bool>,
    /// Also list archived practices (default false).
    #[graphql(default)]
    pub include_archived: bool,
}

/// Orderings of the practice list.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum PracticeOrderBy {
    /// Title A-Z.
    #[default]
    Title,
    /// Most recently updated first.
    UpdatedAt,
}

/// Reads of practices.
#[derive(Default)]
pub struct PracticeQuery;

/// Reads of practices.
#[Object]
impl PracticeQuery {
    /// One practice by id or by slug (give exactly one); null if none matches.
    async fn practice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Practice id (UUID).")] id: Option<ID>,
        #[graphql(desc = "Practice slug, e.g. \"sumedang-e-office\".")] slug: Option<String>,
    ) -> Result<Option<Practice>> {
        match (id, slug) {
            (Some(id), None) => {
                let id = parse_id("id", &id)?;
                Ok(load_one(ctx, PracticeById(id)).await?.map(Practice))
            }
            (None, Some(slug)) => Ok(practice::Entity::find()
                .filter(practice::Column::Slug.eq(slug.trim()))
                .one(db(ctx)?)
                .await?
                .map(Practice)),
            _ => Err(ApiError::BadUserInput {
                message: "give exactly one of id and slug".into(),
                field: None,
            }),
        }
    }

    /// Practices, filtered and ordered, a page at a time.
    #[graphql(complexity = "first.map_or(20, |f| f.max(0) as usize) * child_complexity + 1")]
    async fn practices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which practices to list.")] filter: Option<PracticeFilter>,
        #[graphql(desc = "Ordering; title by default.", default)] order_by: PracticeOrderBy,
        #[graphql(desc = "Page size (at most the configured maximum, 100 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts (`pageInfo.endCursor`).")]
        after: Option<String>,
    ) -> Result<PracticeConnection> {
        practice_connection(ctx, filter, order_by, first, after, |f| f).await
    }

    /// Federation: resolves a `Practice` reference by id.
    #[graphql(entity)]
    async fn find_practice_by_id(
        &self,
        ctx: &Context<'_>,
        #[graphql(key)] id: ID,
    ) -> Result<Option<Practice>> {
        let id = parse_id("id", &id)?;
        Ok(load_one(ctx, PracticeById(id)).await?.map(Practice))
    }
}

/// A page of the practice list, as `practices` answers it; `fix` overrides
/// parts of the filter (`practicesLookingForAdopters` fixes the status and
/// `lookingForAdopters`), so both lists share filtering, order and cursors.
pub(crate) async fn practice_connection(
    ctx: &Context<'_>,
    filter: Option<PracticeFilter>,
    order_by: PracticeOrderBy,
    first: Option<i32>,
    after: Option<String>,
    fix: impl FnOnce(practices::PracticeFilter) -> practices::PracticeFilter,
) -> Result<PracticeConnection> {
    let order = match order_by {
        PracticeOrderBy::Title => PracticeOrder::Title,
        PracticeOrderBy::UpdatedAt => PracticeOrder::UpdatedAt,
    };
    let page = PageRequest::new(first, after, order.name(), limits(ctx)?)?;
    let filter = filter.unwrap_or_default();
    if let Some(code) = &filter.owner_region_code {
        regions::check_code("filter.ownerRegionCode", code)?;
    }
    let f = fix(practices::PracticeFilter {
        owner_region_code: filter.owner_region_code.map(|c| c.0),
        province_code: filter.province_code.map(|c| c.0),
        sector: filter.sector.map(Into::into),
        status: filter.status.map(Into::into),
        looking_for_adopters: filter.looking_for_adopters,
        include_archived: filter.include_archived,
    });
    let db = db(ctx)?;
    practices::check_filter(db, &f).await?;
    let rows = practices::list(db, &f, order, page.after.as_ref(), page.first).await?;
    let edges = rows
        .items
        .into_iter()
        .map(|p| (order.cursor(&p), p))
        .collect();
    Ok(PracticeConnection::new(
        edges,
        rows.has_next,
        practices::filtered(&f),
    ))
}
