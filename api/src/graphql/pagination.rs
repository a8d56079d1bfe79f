//! Relay cursor pagination: opaque cursors (keyset, not offsets, so a page
//! stays stable while rows are added) and the shared `PageInfo`.

use async_graphql::SimpleObject;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::config::Limits;
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

/// The decoded content of a cursor: the ordering it belongs to, the sort
/// key of the last row seen (absent when that row's key was null) and its id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(rename = "o")]
    pub order: String,
    #[serde(rename = "k", default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(rename = "i")]
    pub id: String,
}

impl Cursor {
    /// The opaque text handed to clients.
    pub fn encode(&self) -> String {
        // A struct of strings always serialises.
        let json = serde_json::to_vec(self).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    /// Reads a cursor given as `after`; it must belong to `order`.
    pub fn decode(text: &str, order: &str) -> Result<Self> {
        let bad = || {
            ApiError::bad_input(
                "after",
                "invalid cursor: pass the endCursor of a previous page of the same query",
            )
        };
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| bad())?;
        let c: Cursor = serde_json::from_slice(&bytes).map_err(|_| bad())?;
        if c.order != order {
            return Err(bad());
        }
        Ok(c)
    }
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
    fn a_cursor_round_trips_and_is_bound_to_its_ordering() -> Result<()> {
        let c = Cursor {
            order: "TITLE".into(),
            key: Some("Desa Digital".into()),
            id: "x".into(),
        };
        assert_eq!(Cursor::decode(&c.encode(), "TITLE")?, c);
        assert!(Cursor::decode(&c.encode(), "UPDATED_AT").is_err());
        assert!(Cursor::decode("not a cursor", "TITLE").is_err());
        Ok(())
    }

    #[test]
    fn page_size_over_the_limit_is_bad_input() {
        let limits = Limits::default();
        let e = PageRequest::new(Some(1000), None, "X", &limits);
        assert!(matches!(e, Err(ApiError::BadUserInput { .. })));
        assert!(PageRequest::new(Some(-1), None, "X", &limits).is_err());
    }
}
