//! Domain rules and queries as plain `async fn`s over `&impl
//! ConnectionTrait`, so they run on a pool or inside a transaction alike.
//! Resolvers stay thin and call these.

pub mod adoption_visit_edit;
pub mod agreement_edit;
pub mod agreements;
pub mod bulk;
pub mod cooperation;
pub mod guru;
pub mod practice_edit;
pub mod practices;
pub mod regions;
pub mod stats;
pub mod tokens;
pub mod visit_plan;
pub mod write;

use uuid::Uuid;

use crate::error::{ApiError, Result};

/// One page of rows and whether more follow.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next: bool,
}

impl<T> Page<T> {
    /// Splits `rows` fetched with `limit + 1` into a page of `limit`.
    pub fn from_rows(mut rows: Vec<T>, limit: u64) -> Self {
        let has_next = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        Self {
            items: rows,
            has_next,
        }
    }
}

/// Parses a UUID given by a client in `field`.
pub fn parse_id(field: &str, id: &str) -> Result<Uuid> {
    Uuid::parse_str(id.trim())
        .map_err(|_| ApiError::bad_input(field, format!("{id:?} is not a valid id (a UUID)")))
}

/// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
