//! Learning requests: the filtered list (newest first, keyset pages) and
//! the loads every write starts from.

use chrono::{DateTime, Utc};
use entity::{
    LearningRequestStatus, Sector, expression_of_interest, learning_request,
    learning_request_sector,
};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Select,
};
use uuid::Uuid;

use crate::domain::{Cursor, Page, parse_id};
use crate::error::{ApiError, Result};

/// The one ordering of the list (newest first), bound into cursors.
pub const ORDER: &str = "learningRequests:CREATED_AT_DESC";

/// Which requests to list.
#[derive(Clone, Debug, Default)]
pub struct RequestFilter {
    pub status: Option<LearningRequestStatus>,
    pub region_code: Option<String>,
    pub sector: Option<Sector>,
}

/// The cursor pointing after `r`.
pub fn cursor(r: &learning_request::Model) -> Cursor {
    Cursor {
        order: ORDER.to_owned(),
        key: Some(r.created_at.to_rfc3339()),
        id: r.id.to_string(),
    }
}

/// Validates a filter before it runs.
pub async fn check_filter(db: &impl ConnectionTrait, f: &RequestFilter) -> Result<()> {
    if let Some(code) = &f.region_code {
        crate::domain::region::query::require(db, "filter.regionCode", code).await?;
    }
    Ok(())
}

/// The filtered query, without ordering or paging (also used for counts).
pub fn filtered(f: &RequestFilter) -> Select<learning_request::Entity> {
    let mut q = learning_request::Entity::find();
    if let Some(s) = f.status {
        q = q.filter(learning_request::Column::Status.eq(s));
    }
    if let Some(code) = &f.region_code {
        q = q.filter(learning_request::Column::RegionCode.eq(code.as_str()));
    }
    if let Some(sector) = f.sector {
        q = q.filter(
            learning_request::Column::Id.in_subquery(
                Query::select()
                    .column(learning_request_sector::Column::LearningRequestId)
                    .from(learning_request_sector::Entity)
                    .and_where(learning_request_sector::Column::Sector.eq(sector))
                    .to_owned(),
            ),
        );
    }
    q
}

/// One page of requests, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    f: &RequestFilter,
    after: Option<&Cursor>,
    limit: u64,
) -> Result<Page<learning_request::Model>> {
    let mut q = filtered(f);
    if let Some(c) = after {
        let bad = || ApiError::bad_input("after", "invalid cursor");
        let at: DateTime<Utc> = DateTime::parse_from_rfc3339(c.key.as_deref().ok_or_else(bad)?)
            .map_err(|_| bad())?
            .with_timezone(&Utc);
        let id = parse_id("after", &c.id)?;
        q = q.filter(
            Condition::any()
                .add(learning_request::Column::CreatedAt.lt(at))
                .add(
                    Condition::all()
                        .add(learning_request::Column::CreatedAt.eq(at))
                        .add(learning_request::Column::Id.gt(id)),
                ),
        );
    }
    let rows = q
        .order_by_desc(learning_request::Column::CreatedAt)
        .order_by_asc(learning_request::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    Ok(Page::from_rows(rows, limit))
}

/// The request `id`, or `NOT_FOUND`.
pub async fn require(db: &impl ConnectionTrait, id: Uuid) -> Result<learning_request::Model> {
    learning_request::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no learning request has id {id}")))
}

/// The expression of interest `id`, or `NOT_FOUND`.
pub async fn require_expression(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<expression_of_interest::Model> {
    expression_of_interest::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no expression of interest has id {id}")))
}
