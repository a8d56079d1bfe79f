//! Region reads.

use async_graphql::{Context, ID, InputObject, Object};

use crate::domain::Cursor;
use crate::domain::region::query as regions;
use crate::error::Result;
use crate::graphql::connection::RegionConnection;
use crate::graphql::enums::RegionKind;
use crate::graphql::loaders::RegionByCode;
use crate::graphql::pagination::PageRequest;
use crate::graphql::types::{Region, load_one};
use crate::graphql::{db, limits};

const ORDER: &str = "regions:CODE";

/// Which regions to list.
#[derive(InputObject, Default)]
pub struct RegionFilter {
    /// Only provinces, regencies or cities.
    pub kind: Option<RegionKind>,
    /// Only the regencies and cities of this province (e.g. "32").
    pub province_code: Option<ID>,
    /// Name starts with this, ignoring case and the words "Kabupaten"/"Kota"
    /// ("sumed" finds "Kabupaten Sumedang").
    pub name_prefix: Option<String>,
}

/// Reads of regions.
#[derive(Default)]
pub struct RegionQuery;

/// Reads of regions.
#[Object]
impl RegionQuery {
    /// One region by its Kemendagri code ("32", "32.11"); null if no region
    /// has that code.
    async fn region(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Kemendagri code, e.g. \"32.11\".")] code: ID,
    ) -> Result<Option<Region>> {
        regions::check_code("code", &code)?;
        Ok(load_one(ctx, RegionByCode(code.0)).await?.map(Region))
    }

    /// Regions in code order (each province before its regencies and cities).
    #[graphql(complexity = "first.map_or(20, |f| f.max(0) as usize) * child_complexity + 1")]
    async fn regions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which regions to list.")] filter: Option<RegionFilter>,
        #[graphql(desc = "Page size (at most the configured maximum, 100 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts (`pageInfo.endCursor`).")]
        after: Option<String>,
    ) -> Result<RegionConnection> {
        let page = PageRequest::new(first, after, ORDER, limits(ctx)?)?;
        let filter = filter.unwrap_or_default();
        let f = regions::RegionFilter {
            kind: filter.kind.map(Into::into),
            province_code: filter.province_code.map(|c| c.0),
            name_prefix: filter.name_prefix,
        };
        let db = db(ctx)?;
        regions::check_filter(db, &f).await?;
        let after_code = page.after.as_ref().map(|c| c.id.as_str());
        let rows = regions::list(db, &f, after_code, page.first).await?;
        let edges = rows
            .items
            .into_iter()
            .map(|r| {
                (
                    Cursor {
                        order: ORDER.to_owned(),
                        key: None,
                        id: r.code.clone(),
                    },
                    r,
                )
            })
            .collect();
        Ok(RegionConnection::new(
            edges,
            rows.has_next,
            regions::filtered(&f),
        ))
    }

    /// Federation: resolves a `Region` reference by code.
    #[graphql(entity)]
    async fn find_region_by_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(key)] code: ID,
    ) -> Result<Option<Region>> {
        Ok(load_one(ctx, RegionByCode(code.0)).await?.map(Region))
    }
}
