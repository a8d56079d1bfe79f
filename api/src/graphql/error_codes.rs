//! Gives every error async-graphql raises itself a stable `extensions.code`,
//! as our own errors have: `GRAPHQL_PARSE_FAILED` for a query that does not
//! parse, `GRAPHQL_VALIDATION_FAILED` for one that breaks the schema or a
//! limit (depth, unknown field, bad variable), and `BAD_USER_INPUT` for an
//! argument that cannot be coerced during execution (e.g. a malformed
//! `Date`). Only request-level hooks are used: nothing runs per field.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Response, ServerError, ServerResult, ValidationResult, Variables};

use crate::config::Limits;

/// The extension factory registered on the schema; it also enforces the
/// query limits, each with a code of its own (`QUERY_TOO_DEEP`,
/// `QUERY_TOO_COMPLEX`, `TOO_MANY_ALIASES`).
#[derive(Debug, Default, Clone, Copy)]
pub struct ErrorCodes {
    pub limits: Limits,
}

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

fn limit_error(code: &str, message: String) -> ServerError {
    let mut e = ServerError::new(message, None);
    ensure_code(&mut e, code);
    e
}

fn count_aliases(doc: &ExecutableDocument) -> usize {
    fn walk(set: &SelectionSet) -> usize {
        set.items
            .iter()
            .map(|sel| match &sel.node {
                Selection::Field(f) => {
                    usize::from(f.node.alias.is_some()) + walk(&f.node.selection_set.node)
                }
                Selection::InlineFragment(i) => walk(&i.node.selection_set.node),
                Selection::FragmentSpread(_) => 0,
            })
            .sum()
    }
    doc.operations
        .iter()
        .map(|(_, op)| walk(&op.node.selection_set.node))
        .sum::<usize>()
        + doc
            .fragments
            .values()
            .map(|f| walk(&f.node.selection_set.node))
            .sum::<usize>()
}

fn ensure_code(e: &mut ServerError, code: &str) {
    let ext = e.extensions.get_or_insert_with(Default::default);
    if ext.get("code").is_none() {
        ext.set("code", code);
    }
}

#[async_trait::async_trait]
impl Extension for ErrorCodes {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await.map_err(|mut e| {
            ensure_code(&mut e, "GRAPHQL_PARSE_FAILED");
            e
        })?;
        let aliases = count_aliases(&doc);
        if aliases > self.limits.max_aliases {
            return Err(limit_error(
                "TOO_MANY_ALIASES",
                format!(
                    "the query uses {aliases} aliases; at most {} are allowed",
                    self.limits.max_aliases
                ),
            ));
        }
        Ok(doc)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await.map_err(|mut errors| {
            for e in &mut errors {
                ensure_code(e, "GRAPHQL_VALIDATION_FAILED");
            }
            errors
        })?;
        if result.depth > self.limits.max_depth {
            return Err(vec![limit_error(
                "QUERY_TOO_DEEP",
                format!(
                    "the query is {} levels deep; at most {} are allowed",
                    result.depth, self.limits.max_depth
                ),
            )]);
        }
        if result.complexity > self.limits.max_complexity {
            return Err(vec![limit_error(
                "QUERY_TOO_COMPLEX",
                format!(
                    "the query's complexity is {} (a list counts `first` times its fields); at most {} is allowed",
                    result.complexity, self.limits.max_complexity
                ),
            )]);
        }
        Ok(result)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut resp = next.run(ctx, operation_name).await;
        for e in &mut resp.errors {
            ensure_code(e, "BAD_USER_INPUT");
        }
        resp
    }
}
