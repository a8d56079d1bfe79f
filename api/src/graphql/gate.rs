//! The gate every GraphQL request passes, around the schema rather than
//! inside it: persisted queries are resolved, the query is parsed once and
//! the alias limit checked before execution; afterwards every error
//! async-graphql raised itself gets a stable `extensions.code`, as our own
//! errors have: `GRAPHQL_PARSE_FAILED` for a query that does not parse,
//! `GRAPHQL_VALIDATION_FAILED` for one that breaks the schema (unknown
//! field, bad variable, unknown operation), `QUERY_TOO_DEEP` and
//! `QUERY_TOO_COMPLEX` for the limits the schema enforces, and
//! `BAD_USER_INPUT` for an argument that cannot be coerced during execution
//! (e.g. a malformed `Date`).
//!
//! Why not async-graphql extensions: with any extension registered,
//! async-graphql 7 resolves every field and every list item through boxed
//! extension futures (its fast path checks `extensions.is_empty()`).
//! Profiling the nested list query put 42% of its CPU time there.

use std::future::Future;

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql::{Request, Response, ServerError};

use super::apq::PersistedQueries;
use super::shape;
use crate::config::Limits;
use crate::error::{coded, ensure_code};

/// What runs before and after the schema for every request.
#[derive(Clone)]
pub struct Gate {
    limits: Limits,
    apq: PersistedQueries,
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gate")
            .field("limits", &self.limits)
            .finish()
    }
}

/// The message async-graphql uses for the complexity limit set on the
/// schema builder; matched to give it our code. (Depth is measured by the
/// gate itself: see [`shape`].)
const TOO_COMPLEX: &str = "Query is too complex.";

impl Gate {
    /// A gate enforcing `limits`, with a persisted-query cache of
    /// `limits.apq_cache_size` entries.
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            apq: PersistedQueries::new(limits.apq_cache_size),
        }
    }

    /// Before execution: resolves a persisted query, parses the query once
    /// (the schema reuses the document) and checks the alias and depth
    /// limits, and whether introspection is allowed. An
    /// error refuses the request, nothing having run
    /// ([`Response::from_errors`] makes the answer).
    /// With the request comes the type of the operation it will run (a
    /// mutation when that is unclear: not cached, and it invalidates).
    pub fn admit(&self, request: Request) -> Result<(Request, OperationType), ServerError> {
        let mut request = self.apq.resolve(request)?;
        if let Some(at) = shape::nul_in_variables(&request.variables) {
            return Err(nul_refused(&at));
        }
        let name = request.operation_name.clone();
        let doc = request.parsed_query().map_err(|mut e| {
            ensure_code(&mut e, "GRAPHQL_PARSE_FAILED");
            e
        })?;
        if let Some(at) = shape::nul_in_document(doc) {
            return Err(nul_refused(&at));
        }
        let aliases = shape::count_aliases(doc);
        if aliases > self.limits.max_aliases {
            return Err(coded(
                format!(
                    "the query uses {aliases} aliases; at most {} are allowed",
                    self.limits.max_aliases
                ),
                "TOO_MANY_ALIASES",
            ));
        }
        let shape = shape::measure(doc);
        if shape.introspects && !self.limits.introspection {
            return Err(coded(
                "introspection is switched off on this server (`introspection = false`); ask its operators for the schema",
                "INTROSPECTION_DISABLED",
            ));
        }
        if shape.depth > self.limits.max_depth {
            return Err(coded(
                format!(
                    "the query is nested {} levels deep; at most {} are allowed",
                    shape.depth, self.limits.max_depth
                ),
                "QUERY_TOO_DEEP",
            ));
        }
        // Unclear: treated as a mutation (not cached, and it invalidates);
        // the schema then refuses it.
        let ty = selected_operation(doc, name.as_deref()).unwrap_or(OperationType::Mutation);
        Ok((request, ty))
    }

    /// After execution: a code on every error that has none.
    pub fn finish(&self, mut resp: Response) -> Response {
        // Nothing executed: the errors are the request's (validation).
        let request_error = resp.data == async_graphql::Value::Null
            && !resp.errors.is_empty()
            && resp.errors.iter().all(|e| e.path.is_empty());
        for e in &mut resp.errors {
            if e.extensions
                .as_ref()
                .is_some_and(|x| x.get("code").is_some())
            {
                continue;
            }
            if e.message == TOO_COMPLEX {
                e.message = format!(
                    "the query's complexity is over {} (a list counts `first` times its fields); at most {} is allowed",
                    self.limits.max_complexity, self.limits.max_complexity
                );
                ensure_code(e, "QUERY_TOO_COMPLEX");
            } else if request_error {
                ensure_code(e, "GRAPHQL_VALIDATION_FAILED");
            } else {
                ensure_code(e, "BAD_USER_INPUT");
            }
        }
        resp
    }
}

impl Gate {
    /// Admits `request`, runs it with `execute`, codes its errors, and
    /// after a mutation invalidates `cache` before the answer leaves.
    /// Also tells whether the request was a query (`false` when refused or
    /// a mutation): only those answers may be cached.
    pub async fn run<F: Future<Output = Response>>(
        &self,
        request: Request,
        cache: Option<&crate::response_cache::ResponseCache>,
        execute: impl FnOnce(Request) -> F,
    ) -> (Response, bool) {
        match self.admit(request) {
            Ok((request, ty)) => {
                let resp = self.finish(execute(request).await);
                if ty != OperationType::Query
                    && let Some(cache) = cache
                {
                    cache.invalidate();
                }
                (resp, ty == OperationType::Query)
            }
            Err(refused) => (Response::from_errors(vec![refused]), false),
        }
    }
}

/// The refusal of a request whose argument or variable `at` holds U+0000.
fn nul_refused(at: &str) -> ServerError {
    let mut e = coded(
        format!("`{at}` contains the NUL character (U+0000), which no text can hold; remove it"),
        "BAD_USER_INPUT",
    );
    if let Some(ext) = e.extensions.as_mut() {
        ext.set("field", at.trim_start_matches('$'));
    }
    e
}

/// The type of the operation `name` selects in `doc`; `None` when it
/// selects none (unknown name, or several operations and no name).
pub fn selected_operation(doc: &ExecutableDocument, name: Option<&str>) -> Option<OperationType> {
    match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, op)| op.node.ty),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| op.node.ty)
        }
        (DocumentOperations::Multiple(_), None) => None,
    }
}
