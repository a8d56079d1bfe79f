//! Relay cursor pagination: the shared `PageInfo` and the validated page
//! request; the opaque keyset cursors themselves are the domain's
//! ([`crate::domain::Cursor`]).

use async_graphql::SimpleObject;

use crate::config::Limits;
use crate::domain::Cursor;
use crate::error::{ApiError, Result};

/// Where a page ends, for fetching the next one.
/// `@shareable` in the supergraph: other subgraphs define the same type.
#[derive(SimpleObject, Clone, Debug, Default)]
#[graphql(shareable)]
pub struct PageInfo {
    /// True when more items follow the last edge.
    pub has_next_page: bool,
    /// Cursor of the last edge; pass it as `after` for the next page.
    pub end_cursor: Option<String>,
}

/// A validated page request.
#[derive(Clone, Debug)]
pub struct PageRequest {
    /// Rows wanted.
    pub first: u64,
    /// Decoded `after` cursor.
    pub after: Option<Cursor>,
}

impl PageRequest {
    /// Validates `first` against the limits and decodes `after`.
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        order: &str,
        limits: &Limits,
    ) -> Result<Self> {
        let first = match first {
            None => u64::from(limits.default_page_size),
            Some(n) if n < 0 => {
                return Err(ApiError::bad_input("first", "first must not be negative"));
            }
            Some(n) if n as u64 > u64::from(limits.max_page_size) => {
                return Err(ApiError::bad_input(
                    "first",
                    format!(
                        "first must be at most {} (the maximum page size)",
                        limits.max_page_size
                    ),
                ));
            }
            Some(n) => n as u64,
        };
        let after = after.map(|a| Cursor::decode(&a, order)).transpose()?;
        Ok(Self { first, after })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_size_over_the_limit_is_bad_input() {
        let limits = Limits::default();
        let e = PageRequest::new(Some(1000), None, "X", &limits);
        assert!(matches!(e, Err(ApiError::BadUserInput { .. })));
        assert!(PageRequest::new(Some(-1), None, "X", &limits).is_err());
    }
}
