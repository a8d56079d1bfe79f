//! Relay connections for the top-level lists. `totalCount` runs its count
//! only when asked for.

use async_graphql::{Context, Object};
use entity::{agreement, audit_entry, learning_request, practice, region};
use sea_orm::{PaginatorTrait, Select};

use super::pagination::PageInfo;
use super::types::{Agreement, AuditEntry, LearningRequest, Practice, Region};
use crate::domain::Cursor;
use crate::error::Result;

macro_rules! connection {
    ($(#[$cm:meta])* $conn:ident, $(#[$em:meta])* $edge:ident, $node:ident, $entity:ident) => {
        $(#[$em])*
        pub struct $edge {
            cursor: String,
            node: $entity::Model,
        }

        $(#[$em])*
        #[Object]
        impl $edge {
            /// Opaque cursor of this edge; pass it as `after` to continue behind it.
            async fn cursor(&self) -> &str {
                &self.cursor
            }

            /// The item.
            async fn node(&self) -> $node {
                $node(self.node.clone())
            }
        }

        $(#[$cm])*
        pub struct $conn {
            edges: Vec<(Cursor, $entity::Model)>,
            has_next: bool,
            count: Select<$entity::Entity>,
        }

        impl $conn {
            /// A page of rows with their cursors; `count` is the filtered
            /// query used for `totalCount`.
            pub fn new(edges: Vec<(Cursor, $entity::Model)>, has_next: bool, count: Select<$entity::Entity>) -> Self {
                Self { edges, has_next, count }
            }
        }

        $(#[$cm])*
        #[Object]
        impl $conn {
            /// The items of this page with their cursors.
            async fn edges(&self) -> Vec<$edge> {
                self.edges
                    .iter()
                    .map(|(c, n)| $edge { cursor: c.encode(), node: n.clone() })
                    .collect()
            }

            /// The items of this page, without cursors.
            async fn nodes(&self) -> Vec<$node> {
                self.edges.iter().map(|(_, n)| $node(n.clone())).collect()
            }

            /// Whether more items follow, and the cursor to fetch them.
            async fn page_info(&self) -> PageInfo {
                PageInfo {
                    has_next_page: self.has_next,
                    end_cursor: self.edges.last().map(|(c, _)| c.encode()),
                }
            }

            /// Number of items matching the filter, over all pages.
            async fn total_count(&self, ctx: &Context<'_>) -> Result<u64> {
                Ok(self.count.clone().count(super::db(ctx)?).await?)
            }
        }
    };
}

connection!(
    /// A page of regions.
    RegionConnection,
    /// A region in a page, with its cursor.
    RegionEdge,
    Region,
    region
);
connection!(
    /// A page of practices.
    PracticeConnection,
    /// A practice in a page, with its cursor.
    PracticeEdge,
    Practice,
    practice
);
connection!(
    /// A page of agreements.
    AgreementConnection,
    /// An agreement in a page, with its cursor.
    AgreementEdge,
    Agreement,
    agreement
);
connection!(
    /// A page of audit entries.
    AuditConnection,
    /// An audit entry in a page, with its cursor.
    AuditEdge,
    AuditEntry,
    audit_entry
);
connection!(
    /// A page of learning requests.
    LearningRequestConnection,
    /// A learning request in a page, with its cursor.
    LearningRequestEdge,
    LearningRequest,
    learning_request
);
