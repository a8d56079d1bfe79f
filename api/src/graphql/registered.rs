//! Registered (persisted) operations: with `anonymous_persisted_only`, a
//! client without a token may run only the operations the operator
//! registered in `persisted_operations_file`, named by the SHA-256 of
//! their text (`extensions.persistedQuery.sha256Hash`, the Apollo
//! protocol), as production frontends do to shut out arbitrary queries.
//! Clients with a token are not restricted.
//!
//! The file is either a JSON object `{ "<sha256>": "<operation text>" }` or
//! an Apollo persisted query manifest
//! (`{ "format": "apollo-persisted-query-manifest", "operations": [{ "id", "body" }] }`).
//! Every hash is checked against its text when the file is loaded.

use std::collections::HashMap;

use async_graphql::{Request, ServerError};
use sha2::{Digest, Sha256};

use crate::error::coded;

/// The operations an anonymous client may run.
#[derive(Debug, Default)]
pub struct RegisteredOperations {
    by_hash: HashMap<String, String>,
}

impl RegisteredOperations {
    /// Reads a registry (see the module docs); the error says what is
    /// wrong with it.
    pub fn parse(json: &str) -> Result<Self, String> {
        let v: serde_json::Value =
            serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
        let pairs: Vec<(String, String)> = match v.get("operations") {
            Some(ops) => ops
                .as_array()
                .ok_or("`operations` must be an array")?
                .iter()
                .map(|op| {
                    let field = |k: &str| {
                        op.get(k)
                            .and_then(|v| v.as_str())
                            .map(str::to_owned)
                            .ok_or_else(|| format!("an operation has no text `{k}`"))
                    };
                    Ok((field("id")?, field("body")?))
                })
                .collect::<Result<_, String>>()?,
            None => v
                .as_object()
                .ok_or("expected an object of hash -> operation, or a manifest")?
                .iter()
                .map(|(k, v)| {
                    v.as_str()
                        .map(|q| (k.clone(), q.to_owned()))
                        .ok_or_else(|| format!("the operation of {k} is not text"))
                })
                .collect::<Result<_, String>>()?,
        };
        let mut by_hash = HashMap::new();
        for (hash, query) in pairs {
            let hash = hash.to_ascii_lowercase();
            let actual = format!("{:x}", Sha256::digest(query.as_bytes()));
            if actual != hash {
                return Err(format!(
                    "{hash} is not the SHA-256 of its operation (that is {actual})"
                ));
            }
            async_graphql::parser::parse_query(&query)
                .map_err(|e| format!("operation {hash} does not parse: {e}"))?;
            by_hash.insert(hash, query);
        }
        Ok(Self { by_hash })
    }

    /// Reads the registry file at `path`.
    pub fn load(path: &std::path::Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Number of registered operations.
    pub fn len(&self) -> usize {
        self.by_hash.len()
    }

    /// True when none is registered.
    pub fn is_empty(&self) -> bool {
        self.by_hash.is_empty()
    }

    /// Admits an anonymous request naming a registered operation (its text
    /// then comes from the registry; a text sent along must be the same),
    /// and refuses any other with `PERSISTED_QUERY_REQUIRED`.
    pub fn admit(&self, mut request: Request) -> Result<Request, ServerError> {
        let refused = || {
            coded(
                "this server runs only registered operations for clients without a token: send extensions.persistedQuery.sha256Hash of one, or a token",
                "PERSISTED_QUERY_REQUIRED",
            )
        };
        let hash = request
            .extensions
            .get("persistedQuery")
            .and_then(|pq| pq.clone().into_json().ok())
            .and_then(|pq| pq.get("sha256Hash")?.as_str().map(str::to_ascii_lowercase))
            .ok_or_else(refused)?;
        let query = self.by_hash.get(&hash).ok_or_else(refused)?;
        if !request.query.is_empty() && request.query != *query {
            return Err(refused());
        }
        request.query = query.clone();
        request.extensions.remove("persistedQuery");
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(q: &str) -> String {
        format!("{:x}", Sha256::digest(q.as_bytes()))
    }

    #[test]
    fn both_file_forms_load_and_wrong_hashes_are_refused() {
        let q = "{ regions { totalCount } }";
        let map = serde_json::json!({ hash(q): q }).to_string();
        assert_eq!(RegisteredOperations::parse(&map).unwrap().len(), 1);
        let manifest = serde_json::json!({
            "format": "apollo-persisted-query-manifest",
            "version": 1,
            "operations": [{ "id": hash(q), "name": "Count", "type": "query", "body": q }],
        })
        .to_string();
        assert_eq!(RegisteredOperations::parse(&manifest).unwrap().len(), 1);
        let wrong = serde_json::json!({ hash("{ x }"): q }).to_string();
        assert!(RegisteredOperations::parse(&wrong).is_err());
        assert!(RegisteredOperations::parse("[]").is_err());
    }
}
