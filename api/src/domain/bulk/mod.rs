//! Bulk import and export of practices and agreements, in CSV and JSON.
//!
//! An import is all or nothing: every row goes through the same domain
//! functions as the mutations, inside one transaction with a savepoint per
//! row, so every bad row is reported (with its line) and, if there is any,
//! nothing is written. `dry_run` reports without writing.
//!
//! Formats (documented in the README): JSON is an array of records with the
//! same camelCase names as the GraphQL API; CSV has one column per field,
//! lists separated by `|`, and nested lists (outcomes, parties) as JSON in
//! their cell (parties may also be `32.11|36.02`).

pub mod requests;

use std::collections::HashSet;

use chrono::NaiveDate;
use entity::{agreement, agreement_party, agreement_practice, outcome, practice, practice_sector};
use sea_orm::{
    ActiveEnum, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::domain::agreement::write::{self as agreements, Imported, NewAgreement, PartyInput};
use crate::domain::practice::write::{
    self as practices, NewPractice, OutcomeFields, PracticePatch,
};
use crate::domain::write;
use crate::error::{ApiError, Result};

/// File format of an import or export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    /// The format named by a file's extension.
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(Self::Csv),
            "json" => Some(Self::Json),
            _ => None,
        }
    }
}

/// A measured outcome in an import file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutcomeRecord {
    pub metric: String,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub baseline_value: Option<f64>,
    #[serde(default)]
    pub baseline_year: Option<i32>,
    #[serde(default)]
    pub achieved_value: Option<f64>,
    #[serde(default)]
    pub achieved_year: Option<i32>,
    #[serde(default)]
    pub source: Option<String>,
}

/// One practice in an import or export file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PracticeRecord {
    #[serde(default)]
    pub id: Option<Uuid>,
    #[serde(default)]
    pub slug: Option<String>,
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub description: Option<String>,
    pub owner_region_code: String,
    pub sectors: Vec<String>,
    pub form: String,
    #[serde(default)]
    pub is_digital: Option<bool>,
    #[serde(default)]
    pub maturity: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub last_verified_on: Option<NaiveDate>,
    #[serde(default)]
    pub year_started: Option<i32>,
    #[serde(default)]
    pub looking_for_adopters: Option<bool>,
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub links: Vec<String>,
    #[serde(default)]
    pub lessons_learned: Option<String>,
    #[serde(default)]
    pub outcomes: Vec<OutcomeRecord>,
}

/// A party in an import file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PartyRecord {
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub third_party_name: Option<String>,
    #[serde(default)]
    pub position: Option<i32>,
    #[serde(default)]
    pub signatory_name: Option<String>,
    #[serde(default)]
    pub signatory_title: Option<String>,
}

/// One agreement in an import or export file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AgreementRecord {
    #[serde(default)]
    pub id: Option<Uuid>,
    #[serde(default)]
    pub number: Option<String>,
    pub title: String,
    #[serde(default)]
    pub kind: Option<String>,
    pub category: String,
    #[serde(default)]
    pub stage: Option<String>,
    #[serde(default)]
    pub signed_on: Option<NaiveDate>,
    #[serde(default)]
    pub signed_place: Option<String>,
    #[serde(default)]
    pub valid_from: Option<NaiveDate>,
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
    #[serde(default)]
    pub scope: Vec<String>,
    #[serde(default)]
    pub agencies: Vec<String>,
    #[serde(default)]
    pub parent_id: Option<Uuid>,
    #[serde(default)]
    pub notes: Option<String>,
    pub parties: Vec<PartyRecord>,
    #[serde(default)]
    pub practice_ids: Vec<Uuid>,
}

/// One rejected row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// Line in a CSV file (the header is line 1), or item number in a JSON array (from 1).
    pub line: usize,
    pub field: Option<String>,
    pub message: String,
}

/// What an import did (or, on a dry run or with errors, would have done).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub errors: Vec<RowError>,
    pub dry_run: bool,
    /// True when the import was written (no errors, not a dry run).
    pub committed: bool,
}

fn enum_value<E: ActiveEnum<Value = String>>(field: &str, v: &str) -> Result<E> {
    let norm = v.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    E::try_from_value(&norm).map_err(|_| {
        let allowed: Vec<String> = E::values();
        ApiError::bad_input(
            field,
            format!("{v:?} is not one of: {}", allowed.join(", ")),
        )
    })
}

fn split_list(cell: &str) -> Vec<String> {
    cell.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn opt(cell: &str) -> Option<String> {
    let t = cell.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn parse_cell<T: std::str::FromStr>(field: &str, cell: &str) -> Result<Option<T>> {
    match opt(cell) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| ApiError::bad_input(field, format!("{v:?} is not a valid {field}"))),
    }
}

fn parse_bool(field: &str, cell: &str) -> Result<Option<bool>> {
    match opt(cell).map(|v| v.to_ascii_lowercase()) {
        None => Ok(None),
        Some(v) if ["true", "yes", "ya", "1"].contains(&v.as_str()) => Ok(Some(true)),
        Some(v) if ["false", "no", "tidak", "0"].contains(&v.as_str()) => Ok(Some(false)),
        Some(v) => Err(ApiError::bad_input(
            field,
            format!("{v:?} is not true or false"),
        )),
    }
}

/// The CSV columns of practices, in order.
pub const PRACTICE_COLUMNS: [&str; 18] = [
    "id",
    "slug",
    "title",
    "summary",
    "description",
    "owner_region_code",
    "sectors",
    "form",
    "is_digital",
    "maturity",
    "status",
    "last_verified_on",
    "year_started",
    "looking_for_adopters",
    "contact",
    "links",
    "lessons_learned",
    "outcomes",
];

/// The CSV columns of agreements, in order.
pub const AGREEMENT_COLUMNS: [&str; 16] = [
    "id",
    "number",
    "title",
    "kind",
    "category",
    "stage",
    "signed_on",
    "signed_place",
    "valid_from",
    "valid_until",
    "scope",
    "agencies",
    "parent_id",
    "notes",
    "parties",
    "practice_ids",
];

type Rows<T> = Vec<(usize, std::result::Result<T, ApiError>)>;

fn csv_rows(content: &str, columns: &[&str]) -> Result<Vec<(usize, csv::StringRecord)>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(content.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ApiError::bad_input("content", format!("CSV header: {e}")))?
        .clone();
    let got: Vec<&str> = headers.iter().map(str::trim).collect();
    if got != columns {
        return Err(ApiError::bad_input(
            "content",
            format!("CSV columns must be exactly: {}", columns.join(",")),
        ));
    }
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec =
            rec.map_err(|e| ApiError::bad_input("content", format!("CSV line {}: {e}", i + 2)))?;
        out.push((i + 2, rec));
    }
    Ok(out)
}

/// A file's bytes as text. A file that is not UTF-8 is refused naming the
/// line and the column (in bytes, from 1) of its first byte that is not,
/// so a spreadsheet saved in another encoding is found at once.
pub fn decode(bytes: &[u8]) -> Result<&str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        let column = good.len() - good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1) + 1;
        ApiError::bad_input(
            "content",
            format!(
                "line {line}, column {column}: the file is not UTF-8 text (save it as UTF-8 and import again)"
            ),
        )
    })
}

/// Parses a practices file into numbered records (a row that does not parse
/// keeps its error).
pub fn parse_practices(content: &str, format: Format) -> Result<Rows<PracticeRecord>> {
    parse_rows(
        content,
        format,
        "practices",
        &PRACTICE_COLUMNS,
        practice_from_csv,
    )
}

/// Numbered records of a JSON array or a CSV file with `columns`: a record
/// holding NUL is refused naming its field, before it is read.
fn parse_rows<T: serde::de::DeserializeOwned>(
    content: &str,
    format: Format,
    what: &str,
    columns: &[&str],
    from_csv: fn(&csv::StringRecord) -> Result<T>,
) -> Result<Rows<T>> {
    match format {
        Format::Json => {
            let items: Vec<serde_json::Value> = serde_json::from_str(content).map_err(|e| {
                ApiError::bad_input(
                    "content",
                    format!("JSON: {e} (expected an array of {what})"),
                )
            })?;
            Ok(items
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    let record = json_nul(&v).and_then(|()| {
                        serde_json::from_value(v)
                            .map_err(|e| ApiError::bad_input("record", e.to_string()))
                    });
                    (i + 1, record)
                })
                .collect())
        }
        Format::Csv => Ok(csv_rows(content, columns)?
            .into_iter()
            .map(|(line, r)| (line, csv_nul(&r, columns).and_then(|()| from_csv(&r))))
            .collect()),
    }
}

fn practice_from_csv(r: &csv::StringRecord) -> Result<PracticeRecord> {
    let c = |i: usize| r.get(i).unwrap_or("");
    Ok(PracticeRecord {
        id: parse_cell("id", c(0))?,
        slug: opt(c(1)),
        title: c(2).to_owned(),
        summary: c(3).to_owned(),
        description: opt(c(4)),
        owner_region_code: c(5).trim().to_owned(),
        sectors: split_list(c(6)),
        form: c(7).to_owned(),
        is_digital: parse_bool("is_digital", c(8))?,
        maturity: opt(c(9)),
        status: opt(c(10)),
        last_verified_on: parse_cell("last_verified_on", c(11))?,
        year_started: parse_cell("year_started", c(12))?,
        looking_for_adopters: parse_bool("looking_for_adopters", c(13))?,
        contact: opt(c(14)),
        links: split_list(c(15)),
        lessons_learned: opt(c(16)),
        outcomes: match opt(c(17)) {
            None => Vec::new(),
            Some(j) => serde_json::from_str(&j).map_err(|e| {
                ApiError::bad_input("outcomes", format!("outcomes must be a JSON array: {e}"))
            })?,
        },
    })
}

/// Parses an agreements file into numbered records.
pub fn parse_agreements(content: &str, format: Format) -> Result<Rows<AgreementRecord>> {
    parse_rows(
        content,
        format,
        "agreements",
        &AGREEMENT_COLUMNS,
        agreement_from_csv,
    )
}

fn agreement_from_csv(r: &csv::StringRecord) -> Result<AgreementRecord> {
    let c = |i: usize| r.get(i).unwrap_or("");
    let parties = match opt(c(14)) {
        None => Vec::new(),
        Some(j) if j.starts_with('[') => serde_json::from_str(&j)
            .map_err(|e| ApiError::bad_input("parties", format!("parties JSON: {e}")))?,
        Some(codes) => split_list(&codes)
            .into_iter()
            .map(|code| PartyRecord {
                region_code: Some(code),
                third_party_name: None,
                position: None,
                signatory_name: None,
                signatory_title: None,
            })
            .collect(),
    };
    let practice_ids = split_list(c(15))
        .iter()
        .map(|id| {
            Uuid::parse_str(id)
                .map_err(|_| ApiError::bad_input("practice_ids", format!("{id:?} is not an id")))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(AgreementRecord {
        id: parse_cell("id", c(0))?,
        number: opt(c(1)),
        title: c(2).to_owned(),
        kind: opt(c(3)),
        category: c(4).to_owned(),
        stage: opt(c(5)),
        signed_on: parse_cell("signed_on", c(6))?,
        signed_place: opt(c(7)),
        valid_from: parse_cell("valid_from", c(8))?,
        valid_until: parse_cell("valid_until", c(9))?,
        scope: split_list(c(10)),
        agencies: split_list(c(11)),
        parent_id: parse_cell("parent_id", c(12))?,
        notes: opt(c(13)),
        parties,
        practice_ids,
    })
}

fn new_practice(r: &PracticeRecord) -> Result<NewPractice> {
    Ok(NewPractice {
        title: r.title.clone(),
        summary: r.summary.clone(),
        slug: r.slug.clone(),
        description: r.description.clone(),
        owner_region_code: r.owner_region_code.clone(),
        sectors: r
            .sectors
            .iter()
            .map(|s| enum_value("sectors", s))
            .collect::<Result<Vec<_>>>()?,
        form: enum_value("form", &r.form)?,
        is_digital: r.is_digital,
        maturity: r
            .maturity
            .as_deref()
            .map(|m| enum_value("maturity", m))
            .transpose()?,
        status: r
            .status
            .as_deref()
            .map(|s| enum_value("status", s))
            .transpose()?
            .unwrap_or(entity::PracticeStatus::Active),
        last_verified_on: r.last_verified_on,
        year_started: r.year_started,
        looking_for_adopters: r.looking_for_adopters.unwrap_or(false),
        contact: r.contact.clone(),
        links: r.links.clone(),
        lessons_learned: r.lessons_learned.clone(),
    })
}

fn outcome_fields(o: &OutcomeRecord) -> OutcomeFields {
    OutcomeFields {
        metric: o.metric.clone(),
        unit: o.unit.clone(),
        baseline_value: o.baseline_value,
        baseline_year: o.baseline_year,
        achieved_value: o.achieved_value,
        achieved_year: o.achieved_year,
        source: o.source.clone(),
    }
}

/// The refusal of a text holding U+0000: no database text can store it
/// (PostgreSQL refuses it outright), on SQLite and PostgreSQL alike.
fn nul_error(field: &str) -> ApiError {
    ApiError::bad_input(
        field,
        format!("{field} contains the NUL character (U+0000), which no text can hold"),
    )
}

/// Refuses a CSV row with U+0000 in a cell, naming its column.
fn csv_nul(r: &csv::StringRecord, columns: &[&str]) -> Result<()> {
    match r.iter().position(|c| c.contains('\0')) {
        Some(i) => Err(nul_error(columns.get(i).copied().unwrap_or("content"))),
        None => Ok(()),
    }
}

/// Refuses a JSON record with U+0000 in any text, naming its top field.
fn json_nul(v: &serde_json::Value) -> Result<()> {
    fn holds(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::String(s) => s.contains('\0'),
            serde_json::Value::Array(a) => a.iter().any(holds),
            serde_json::Value::Object(o) => o.iter().any(|(k, v)| k.contains('\0') || holds(v)),
            _ => false,
        }
    }
    match v {
        serde_json::Value::Object(o) => {
            match o.iter().find(|(k, v)| k.contains('\0') || holds(v)) {
                Some((k, _)) => Err(nul_error(k)),
                None => Ok(()),
            }
        }
        other if holds(other) => Err(nul_error("record")),
        _ => Ok(()),
    }
}

fn row_error(line: usize, e: ApiError) -> RowError {
    let field = match &e {
        ApiError::BadUserInput { field, .. } => field.clone(),
        _ => None,
    };
    RowError {
        line,
        field,
        message: format!("{}: {}", e.code(), e.message()),
    }
}

/// Imports practices: creates new ones, updates those whose id exists.
pub async fn import_practices(
    db: &DatabaseConnection,
    viewer: &Viewer,
    rows: Rows<PracticeRecord>,
    dry_run: bool,
    progress: impl FnMut(usize),
) -> Result<ImportReport> {
    import_rows(db, viewer, rows, dry_run, progress, import_practice).await
}

/// Every row through `one`, each in a savepoint of one transaction, in the
/// order given: a refused row keeps its error (by line) and the others go
/// on, so the report names every bad row; the transaction commits only
/// when no row was refused and it is not a dry run (all or nothing).
pub(super) async fn import_rows<T>(
    db: &DatabaseConnection,
    viewer: &Viewer,
    rows: Rows<T>,
    dry_run: bool,
    mut progress: impl FnMut(usize),
    one: impl AsyncFn(&sea_orm::DatabaseTransaction, &Viewer, &T) -> Result<RowOutcome>,
) -> Result<ImportReport> {
    viewer.require_writer()?;
    let mut report = ImportReport {
        rows: rows.len(),
        dry_run,
        ..ImportReport::default()
    };
    let txn = write::begin(db).await?;
    for (i, (line, row)) in rows.into_iter().enumerate() {
        progress(i + 1);
        let record = match row {
            Ok(r) => r,
            Err(e) => {
                report.errors.push(row_error(line, e));
                continue;
            }
        };
        let sp = txn.begin().await?;
        match one(&sp, viewer, &record).await {
            Ok(outcome) => {
                sp.commit().await?;
                match outcome {
                    RowOutcome::Created => report.created += 1,
                    RowOutcome::Updated => report.updated += 1,
                    RowOutcome::Unchanged => report.unchanged += 1,
                }
            }
            Err(e) => {
                sp.rollback().await?;
                report.errors.push(row_error(line, e));
            }
        }
    }
    report.errors.sort_by_key(|e| e.line);
    finish(txn, &mut report).await?;
    Ok(report)
}

async fn finish(txn: sea_orm::DatabaseTransaction, report: &mut ImportReport) -> Result<()> {
    if report.errors.is_empty() && !report.dry_run {
        write::commit(txn).await?;
        report.committed = true;
    } else {
        txn.rollback().await?;
    }
    Ok(())
}

/// What importing one row did.
pub(super) enum RowOutcome {
    Created,
    Updated,
    Unchanged,
}

async fn import_practice(
    txn: &sea_orm::DatabaseTransaction,
    viewer: &Viewer,
    r: &PracticeRecord,
) -> Result<RowOutcome> {
    let input = new_practice(r)?;
    let existing = match r.id {
        Some(id) => practice::Entity::find_by_id(id).one(txn).await?,
        None => None,
    };
    match existing {
        None => {
            let p = practices::create_in(txn, viewer, input, r.id).await?;
            for o in &r.outcomes {
                practices::add_outcome_in(txn, viewer, p.id, outcome_fields(o)).await?;
            }
            Ok(RowOutcome::Created)
        }
        Some(current) => {
            if export_practice(txn, &current).await? == *r {
                return Ok(RowOutcome::Unchanged);
            }
            if current.owner_region_code != input.owner_region_code {
                return Err(ApiError::bad_input(
                    "ownerRegionCode",
                    "an import cannot move a practice to another owner",
                ));
            }
            let p = practices::update_in(
                txn,
                viewer,
                current.id,
                current.version,
                PracticePatch {
                    title: Some(input.title),
                    summary: Some(input.summary),
                    description: Some(input.description),
                    sectors: Some(input.sectors),
                    form: Some(input.form),
                    is_digital: Some(input.is_digital),
                    maturity: Some(input.maturity),
                    status: Some(input.status),
                    year_started: Some(input.year_started),
                    contact: Some(input.contact),
                    links: Some(input.links),
                    lessons_learned: Some(input.lessons_learned),
                },
            )
            .await?;
            outcome::Entity::delete_many()
                .filter(outcome::Column::PracticeId.eq(p.id))
                .exec(txn)
                .await?;
            for o in &r.outcomes {
                practices::add_outcome_in(txn, viewer, p.id, outcome_fields(o)).await?;
            }
            Ok(RowOutcome::Updated)
        }
    }
}

/// Imports agreements: creates new ones; an existing id must match the
/// stored agreement (update agreements with the mutations).
pub async fn import_agreements(
    db: &DatabaseConnection,
    viewer: &Viewer,
    rows: Rows<AgreementRecord>,
    dry_run: bool,
    progress: impl FnMut(usize),
) -> Result<ImportReport> {
    // Parents first, so a PKS can name a framework in the same file.
    let mut rows = rows;
    rows.sort_by_key(|(line, _)| *line);
    let (parents, children): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .partition(|(_, r)| r.as_ref().map(|r| r.parent_id.is_none()).unwrap_or(true));
    let rows = parents.into_iter().chain(children).collect();
    import_rows(db, viewer, rows, dry_run, progress, import_agreement).await
}

async fn import_agreement(
    txn: &sea_orm::DatabaseTransaction,
    viewer: &Viewer,
    r: &AgreementRecord,
) -> Result<RowOutcome> {
    if let Some(id) = r.id
        && let Some(current) = agreement::Entity::find_by_id(id).one(txn).await?
    {
        return if export_agreement(txn, &current).await? == *r {
            Ok(RowOutcome::Unchanged)
        } else {
            Err(ApiError::conflict(format!(
                "agreement {id} exists and differs; change it with updateAgreement or advanceAgreement"
            )))
        };
    }
    let stage = r
        .stage
        .as_deref()
        .map(|s| enum_value("stage", s))
        .transpose()?
        .unwrap_or(entity::AgreementStage::Proposed);
    agreements::create_in(
        txn,
        viewer,
        NewAgreement {
            title: r.title.clone(),
            number: r.number.clone(),
            kind: r
                .kind
                .as_deref()
                .map(|k| enum_value("kind", k))
                .transpose()?,
            category: enum_value("category", &r.category)?,
            scope: r.scope.clone(),
            agencies: r.agencies.clone(),
            parties: r
                .parties
                .iter()
                .map(|p| PartyInput {
                    region_code: p.region_code.clone(),
                    third_party_name: p.third_party_name.clone(),
                    position: p.position,
                    signatory_name: p.signatory_name.clone(),
                    signatory_title: p.signatory_title.clone(),
                })
                .collect(),
            parent_id: r.parent_id,
            valid_from: r.valid_from,
            valid_until: r.valid_until,
            notes: r.notes.clone(),
            practice_ids: r.practice_ids.clone(),
        },
        Some(Imported {
            id: r.id,
            stage,
            signed_on: r.signed_on,
            signed_place: r.signed_place.clone(),
        }),
    )
    .await?;
    Ok(RowOutcome::Created)
}

async fn export_practice(
    db: &impl sea_orm::ConnectionTrait,
    p: &practice::Model,
) -> Result<PracticeRecord> {
    let mut sectors: Vec<String> = practice_sector::Entity::find()
        .filter(practice_sector::Column::PracticeId.eq(p.id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.sector.to_value())
        .collect();
    sectors.sort();
    let outcomes = outcome::Entity::find()
        .filter(outcome::Column::PracticeId.eq(p.id))
        .order_by_asc(outcome::Column::AchievedYear)
        .order_by_asc(outcome::Column::Metric)
        .order_by_asc(outcome::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|o| OutcomeRecord {
            metric: o.metric,
            unit: o.unit,
            baseline_value: o.baseline_value,
            baseline_year: o.baseline_year,
            achieved_value: o.achieved_value,
            achieved_year: o.achieved_year,
            source: o.source,
        })
        .collect();
    Ok(PracticeRecord {
        id: Some(p.id),
        slug: Some(p.slug.clone()),
        title: p.title.clone(),
        summary: p.summary.clone(),
        description: p.description.clone(),
        owner_region_code: p.owner_region_code.clone(),
        sectors,
        form: p.form.to_value(),
        is_digital: p.is_digital,
        maturity: p.maturity.map(|m| m.to_value()),
        status: Some(p.status.to_value()),
        last_verified_on: p.last_verified_on,
        year_started: p.year_started,
        looking_for_adopters: Some(p.looking_for_adopters),
        contact: p.contact.clone(),
        links: p.links.0.clone(),
        lessons_learned: p.lessons_learned.clone(),
        outcomes,
    })
}

async fn export_agreement(
    db: &impl sea_orm::ConnectionTrait,
    a: &agreement::Model,
) -> Result<AgreementRecord> {
    let parties = agreement_party::Entity::find()
        .filter(agreement_party::Column::AgreementId.eq(a.id))
        .order_by_asc(agreement_party::Column::Position)
        .order_by_asc(agreement_party::Column::RegionCode)
        .order_by_asc(agreement_party::Column::ThirdPartyName)
        .all(db)
        .await?
        .into_iter()
        .map(|p| PartyRecord {
            region_code: p.region_code,
            third_party_name: p.third_party_name,
            position: p.position,
            signatory_name: p.signatory_name,
            signatory_title: p.signatory_title,
        })
        .collect();
    let mut practice_ids: Vec<Uuid> = agreement_practice::Entity::find()
        .filter(agreement_practice::Column::AgreementId.eq(a.id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.practice_id)
        .collect();
    practice_ids.sort();
    Ok(AgreementRecord {
        id: Some(a.id),
        number: a.number.clone(),
        title: a.title.clone(),
        kind: a.kind.map(|k| k.to_value()),
        category: a.category.to_value(),
        stage: Some(a.stage.to_value()),
        signed_on: a.signed_on,
        signed_place: a.signed_place.clone(),
        valid_from: a.valid_from,
        valid_until: a.valid_until,
        scope: a.scope.0.clone(),
        agencies: a.agencies.0.clone(),
        parent_id: a.parent_id,
        notes: a.notes.clone(),
        parties,
        practice_ids,
    })
}

/// Every practice (archived ones included), by slug.
pub async fn export_practices(db: &DatabaseConnection) -> Result<Vec<PracticeRecord>> {
    let mut out = Vec::new();
    for p in practice::Entity::find()
        .order_by_asc(practice::Column::Slug)
        .all(db)
        .await?
    {
        out.push(export_practice(db, &p).await?);
    }
    Ok(out)
}

/// Every agreement, frameworks before the agreements under them, by title.
pub async fn export_agreements(db: &DatabaseConnection) -> Result<Vec<AgreementRecord>> {
    let all = agreement::Entity::find()
        .order_by_asc(agreement::Column::Title)
        .order_by_asc(agreement::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for a in all
        .iter()
        .filter(|a| a.parent_id.is_none())
        .chain(all.iter().filter(|a| a.parent_id.is_some()))
    {
        if seen.insert(a.id) {
            out.push(export_agreement(db, a).await?);
        }
    }
    Ok(out)
}

/// Renders records in `format`.
pub fn render_practices(records: &[PracticeRecord], format: Format) -> Result<String> {
    match format {
        Format::Json => serde_json::to_string_pretty(records).map_err(|e| ApiError::internal(&e)),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(PRACTICE_COLUMNS)
                .map_err(|e| ApiError::internal(&e))?;
            for r in records {
                let outcomes = if r.outcomes.is_empty() {
                    String::new()
                } else {
                    serde_json::to_string(&r.outcomes).map_err(|e| ApiError::internal(&e))?
                };
                w.write_record([
                    r.id.map(|i| i.to_string()).unwrap_or_default(),
                    r.slug.clone().unwrap_or_default(),
                    r.title.clone(),
                    r.summary.clone(),
                    r.description.clone().unwrap_or_default(),
                    r.owner_region_code.clone(),
                    r.sectors.join("|"),
                    r.form.clone(),
                    r.is_digital.map(|b| b.to_string()).unwrap_or_default(),
                    r.maturity.clone().unwrap_or_default(),
                    r.status.clone().unwrap_or_default(),
                    r.last_verified_on
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    r.year_started.map(|y| y.to_string()).unwrap_or_default(),
                    r.looking_for_adopters
                        .map(|b| b.to_string())
                        .unwrap_or_default(),
                    r.contact.clone().unwrap_or_default(),
                    r.links.join("|"),
                    r.lessons_learned.clone().unwrap_or_default(),
                    outcomes,
                ])
                .map_err(|e| ApiError::internal(&e))?;
            }
            let bytes = w.into_inner().map_err(|e| ApiError::internal(&e))?;
            String::from_utf8(bytes).map_err(|e| ApiError::internal(&e))
        }
    }
}

/// Renders records in `format`.
pub fn render_agreements(records: &[AgreementRecord], format: Format) -> Result<String> {
    match format {
        Format::Json => serde_json::to_string_pretty(records).map_err(|e| ApiError::internal(&e)),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(AGREEMENT_COLUMNS)
                .map_err(|e| ApiError::internal(&e))?;
            for r in records {
                let parties =
                    serde_json::to_string(&r.parties).map_err(|e| ApiError::internal(&e))?;
                w.write_record([
                    r.id.map(|i| i.to_string()).unwrap_or_default(),
                    r.number.clone().unwrap_or_default(),
                    r.title.clone(),
                    r.kind.clone().unwrap_or_default(),
                    r.category.clone(),
                    r.stage.clone().unwrap_or_default(),
                    r.signed_on.map(|d| d.to_string()).unwrap_or_default(),
                    r.signed_place.clone().unwrap_or_default(),
                    r.valid_from.map(|d| d.to_string()).unwrap_or_default(),
                    r.valid_until.map(|d| d.to_string()).unwrap_or_default(),
                    r.scope.join("|"),
                    r.agencies.join("|"),
                    r.parent_id.map(|i| i.to_string()).unwrap_or_default(),
                    r.notes.clone().unwrap_or_default(),
                    parties,
                    r.practice_ids
                        .iter()
                        .map(Uuid::to_string)
                        .collect::<Vec<_>>()
                        .join("|"),
                ])
                .map_err(|e| ApiError::internal(&e))?;
            }
            let bytes = w.into_inner().map_err(|e| ApiError::internal(&e))?;
            String::from_utf8(bytes).map_err(|e| ApiError::internal(&e))
        }
    }
}
