//! The audit log, for admins.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime as ChronoDateTime, Utc};
use entity::audit_entry;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::domain::Cursor;
use crate::domain::{Page, parse_id};
use crate::error::{ApiError, Result};
use crate::graphql::connection::AuditConnection;
use crate::graphql::mutation::viewer;
use crate::graphql::pagination::PageRequest;
use crate::graphql::scalars::DateTime;
use crate::graphql::{db, limits};

const ORDER: &str = "audit:AT_DESC";

/// Which audit entries to list.
#[derive(InputObject, Default)]
pub struct AuditFilter {
    /// Only writes of this kind of object (`Practice`, `Agreement`, ...).
    pub object_type: Option<String>,
    /// Only writes of this object.
    pub object_id: Option<String>,
    /// Only writes made with this token.
    pub actor_token_id: Option<ID>,
    /// Only writes at or after this time.
    pub from: Option<DateTime>,
    /// Only writes before this time.
    pub to: Option<DateTime>,
}

/// Reads of the audit log.
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// Every write, newest first (admins only).
    #[graphql(complexity = "first.map_or(20, |f| f.max(0) as usize) * child_complexity + 1")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which entries to list.")] filter: Option<AuditFilter>,
        #[graphql(desc = "Page size (at most the configured maximum).")] first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts (`pageInfo.endCursor`).")]
        after: Option<String>,
    ) -> Result<AuditConnection> {
        viewer(ctx).require_admin()?;
        let page = PageRequest::new(first, after, ORDER, limits(ctx)?)?;
        let f = filter.unwrap_or_default();
        let mut q = audit_entry::Entity::find();
        if let Some(t) = f.object_type {
            q = q.filter(audit_entry::Column::ObjectType.eq(t));
        }
        if let Some(id) = f.object_id {
            q = q.filter(audit_entry::Column::ObjectId.eq(id));
        }
        if let Some(id) = f.actor_token_id {
            q = q.filter(
                audit_entry::Column::ActorTokenId.eq(parse_id("filter.actorTokenId", &id)?),
            );
        }
        if let Some(from) = f.from {
            q = q.filter(audit_entry::Column::At.gte(from.0));
        }
        if let Some(to) = f.to {
            q = q.filter(audit_entry::Column::At.lt(to.0));
        }
        let count = q.clone();
        if let Some(c) = &page.after {
            let bad = || ApiError::bad_input("after", "invalid cursor");
            let at: ChronoDateTime<Utc> =
                ChronoDateTime::parse_from_rfc3339(c.key.as_deref().ok_or_else(bad)?)
                    .map_err(|_| bad())?
                    .with_timezone(&Utc);
            let id = parse_id("after", &c.id)?;
            q = q.filter(
                Condition::any().add(audit_entry::Column::At.lt(at)).add(
                    Condition::all()
                        .add(audit_entry::Column::At.eq(at))
                        .add(audit_entry::Column::Id.gt(id)),
                ),
            );
        }
        let rows = q
            .order_by_desc(audit_entry::Column::At)
            .order_by_asc(audit_entry::Column::Id)
            .limit(page.first + 1)
            .all(db(ctx)?)
            .await?;
        let rows = Page::from_rows(rows, page.first);
        let edges = rows
            .items
            .into_iter()
            .map(|e| {
                (
                    Cursor {
                        order: ORDER.to_owned(),
                        key: Some(e.at.to_rfc3339()),
                        id: e.id.to_string(),
                    },
                    e,
                )
            })
            .collect();
        Ok(AuditConnection::new(edges, rows.has_next, count))
    }
}
