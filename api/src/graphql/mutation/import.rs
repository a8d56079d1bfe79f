//! Bulk import for admins (the same as `berguru import`).

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};

use super::viewer;
use crate::domain::bulk::{self, Format};
use crate::error::Result;
use crate::graphql::db;

/// Format of an import file.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// Comma-separated values with the documented columns.
    Csv,
    /// A JSON array of records.
    Json,
}

/// A file to import.
#[derive(InputObject)]
pub struct ImportInput {
    /// CSV or JSON.
    pub format: ImportFormat,
    /// The file's content.
    pub content: String,
    /// Check and report, write nothing.
    #[graphql(default)]
    pub dry_run: bool,
}

/// A rejected row of an import.
#[derive(SimpleObject)]
pub struct ImportRowError {
    /// Line in a CSV file (the header is line 1), or item number in a JSON array.
    pub line: i32,
    /// The field at fault, when known.
    pub field: Option<String>,
    /// What is wrong, starting with its code.
    pub message: String,
}

/// What an import did; with any error (or a dry run) nothing was written.
#[derive(SimpleObject)]
pub struct ImportReport {
    /// Rows read.
    pub rows: i32,
    /// Rows that create an object.
    pub created: i32,
    /// Rows that update an object.
    pub updated: i32,
    /// Rows identical to what is stored.
    pub unchanged: i32,
    /// Every rejected row.
    pub errors: Vec<ImportRowError>,
    /// True for a dry run.
    pub dry_run: bool,
    /// True when the import was written.
    pub committed: bool,
}

impl From<bulk::ImportReport> for ImportReport {
    fn from(r: bulk::ImportReport) -> Self {
        let n = |v: usize| i32::try_from(v).unwrap_or(i32::MAX);
        Self {
            rows: n(r.rows),
            created: n(r.created),
            updated: n(r.updated),
            unchanged: n(r.unchanged),
            errors: r
                .errors
                .into_iter()
                .map(|e| ImportRowError {
                    line: n(e.line),
                    field: e.field,
                    message: e.message,
                })
                .collect(),
            dry_run: r.dry_run,
            committed: r.committed,
        }
    }
}

fn format(f: ImportFormat) -> Format {
    match f {
        ImportFormat::Csv => Format::Csv,
        ImportFormat::Json => Format::Json,
    }
}

/// Bulk imports (admins).
#[derive(Default)]
pub struct ImportMutation;

#[Object]
impl ImportMutation {
    /// Imports practices, all or nothing; existing ids are updated.
    async fn import_practices(
        &self,
        ctx: &Context<'_>,
        input: ImportInput,
    ) -> Result<ImportReport> {
        let v = viewer(ctx);
        v.require_admin()?;
        let rows = bulk::parse_practices(&input.content, format(input.format))?;
        Ok(
            bulk::import_practices(db(ctx)?, v, rows, input.dry_run, |_| {})
                .await?
                .into(),
        )
    }

    /// Imports learning requests, all or nothing (columns in the README);
    /// a row whose id exists must match the stored request.
    async fn import_learning_requests(
        &self,
        ctx: &Context<'_>,
        input: ImportInput,
    ) -> Result<ImportReport> {
        let v = viewer(ctx);
        v.require_admin()?;
        let rows = bulk::requests::parse_requests(&input.content, format(input.format))?;
        Ok(
            bulk::requests::import_requests(db(ctx)?, v, rows, input.dry_run, |_| {})
                .await?
                .into(),
        )
    }

    /// Imports work-plan indicators into their agreements' plans, all or
    /// nothing (columns in the README).
    async fn import_work_plan_indicators(
        &self,
        ctx: &Context<'_>,
        input: ImportInput,
    ) -> Result<ImportReport> {
        let v = viewer(ctx);
        v.require_admin()?;
        let rows = bulk::requests::parse_indicators(&input.content, format(input.format))?;
        Ok(
            bulk::requests::import_indicators(db(ctx)?, v, rows, input.dry_run, |_| {})
                .await?
                .into(),
        )
    }

    /// Imports agreements, all or nothing.
    async fn import_agreements(
        &self,
        ctx: &Context<'_>,
        input: ImportInput,
    ) -> Result<ImportReport> {
        let v = viewer(ctx);
        v.require_admin()?;
        let rows = bulk::parse_agreements(&input.content, format(input.format))?;
        Ok(
            bulk::import_agreements(db(ctx)?, v, rows, input.dry_run, |_| {})
                .await?
                .into(),
        )
    }
}
