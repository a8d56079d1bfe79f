//! Domain rules and queries as plain `async fn`s over `&impl
//! ConnectionTrait`, so they run on a pool or inside a transaction alike.
//! Resolvers stay thin and call these. One folder per aggregate (region,
//! practice, agreement, adoption, visit, request), each with its queries and its
//! writes; the guru finder reads across them; `webhook` keeps regions'
//! endpoints; `write` holds what every write shares. Nothing here knows GraphQL or HTTP.

pub mod adoption;
pub mod agreement;
pub mod bulk;
pub mod digest;
pub mod facilitation;
pub mod guru;
pub mod ics;
pub mod practice;
pub mod region;
pub mod request;
pub mod token;
pub mod visit;
pub mod webhook;
pub mod write;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
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

/// Keyset pagination: a cursor is opaque to clients (keyset, not offsets, so
/// a page stays stable while rows are added).
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
}
