//! Bulk import and export of what a province keeps in a spreadsheet of its
//! cooperation (issue 16): learning requests and the indicators of work
//! plans, in CSV and JSON, all or nothing, with the same rules as the
//! mutations (`postLearningRequest`, `addWorkPlanIndicator`).

use chrono::NaiveDate;
use entity::{
    learning_request, learning_request_practice, learning_request_sector, work_plan_indicator,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    ImportReport, RowOutcome, Rows, enum_value, import_rows, opt, parse_cell, parse_rows,
    split_list,
};
use crate::auth::Viewer;
use crate::domain::agreement::plan::{self, NewIndicator};
use crate::domain::request::write::{self as requests, NewRequest};
use crate::error::{ApiError, Result};

/// One learning request in an import or export file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestRecord {
    #[serde(default)]
    pub id: Option<Uuid>,
    pub region_code: String,
    pub topic: String,
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub problem: Option<String>,
    #[serde(default)]
    pub objectives: Vec<String>,
    #[serde(default)]
    pub preferred_from: Option<NaiveDate>,
    #[serde(default)]
    pub preferred_to: Option<NaiveDate>,
    #[serde(default)]
    pub budget_min_idr: Option<i64>,
    #[serde(default)]
    pub budget_max_idr: Option<i64>,
    pub contact_agency: String,
    #[serde(default)]
    pub practice_ids: Vec<Uuid>,
}

/// One work-plan indicator in an import or export file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IndicatorRecord {
    pub agreement_id: Uuid,
    pub name: String,
    pub unit: String,
    pub baseline: f64,
    pub target: f64,
    pub target_date: NaiveDate,
}

/// The CSV columns of learning requests, in order.
pub const REQUEST_COLUMNS: [&str; 12] = [
    "id",
    "region_code",
    "topic",
    "sectors",
    "problem",
    "objectives",
    "preferred_from",
    "preferred_to",
    "budget_min_idr",
    "budget_max_idr",
    "contact_agency",
    "practice_ids",
];

/// The CSV columns of work-plan indicators, in order.
pub const INDICATOR_COLUMNS: [&str; 6] = [
    "agreement_id",
    "name",
    "unit",
    "baseline",
    "target",
    "target_date",
];

fn request_from_csv(r: &csv::StringRecord) -> Result<RequestRecord> {
    let c = |i: usize| r.get(i).unwrap_or("");
    let practice_ids = split_list(c(11))
        .iter()
        .map(|id| {
            Uuid::parse_str(id)
                .map_err(|_| ApiError::bad_input("practice_ids", format!("{id:?} is not an id")))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(RequestRecord {
        id: parse_cell("id", c(0))?,
        region_code: c(1).trim().to_owned(),
        topic: c(2).to_owned(),
        sectors: split_list(c(3)),
        problem: opt(c(4)),
        objectives: split_list(c(5)),
        preferred_from: parse_cell("preferred_from", c(6))?,
        preferred_to: parse_cell("preferred_to", c(7))?,
        budget_min_idr: parse_cell("budget_min_idr", c(8))?,
        budget_max_idr: parse_cell("budget_max_idr", c(9))?,
        contact_agency: c(10).to_owned(),
        practice_ids,
    })
}

fn required<T: std::str::FromStr>(field: &str, cell: &str) -> Result<T> {
    parse_cell(field, cell)?
        .ok_or_else(|| ApiError::bad_input(field, format!("{field} is required")))
}

fn indicator_from_csv(r: &csv::StringRecord) -> Result<IndicatorRecord> {
    let c = |i: usize| r.get(i).unwrap_or("");
    Ok(IndicatorRecord {
        agreement_id: required("agreement_id", c(0))?,
        name: c(1).to_owned(),
        unit: c(2).to_owned(),
        baseline: required("baseline", c(3))?,
        target: required("target", c(4))?,
        target_date: required("target_date", c(5))?,
    })
}

/// Parses a learning-requests file into numbered records.
pub fn parse_requests(content: &str, format: super::Format) -> Result<Rows<RequestRecord>> {
    parse_rows(
        content,
        format,
        "learning requests",
        &REQUEST_COLUMNS,
        request_from_csv,
    )
}

/// Parses a work-plan indicators file into numbered records.
pub fn parse_indicators(content: &str, format: super::Format) -> Result<Rows<IndicatorRecord>> {
    parse_rows(
        content,
        format,
        "work-plan indicators",
        &INDICATOR_COLUMNS,
        indicator_from_csv,
    )
}

/// Imports learning requests: creates new ones (with the file's id when
/// given); a row whose id exists must match the stored request (change
/// requests with the mutations).
pub async fn import_requests(
    db: &DatabaseConnection,
    viewer: &Viewer,
    rows: Rows<RequestRecord>,
    dry_run: bool,
    progress: impl FnMut(usize),
) -> Result<ImportReport> {
    import_rows(db, viewer, rows, dry_run, progress, async |txn, viewer, r: &RequestRecord| {
        let sectors = r
            .sectors
            .iter()
            .map(|s| enum_value("sectors", s))
            .collect::<Result<Vec<entity::Sector>>>()?;
        if let Some(id) = r.id
            && let Some(current) = learning_request::Entity::find_by_id(id).one(txn).await?
        {
            // Compared as stored: sectors by their names, lists sorted.
            let mut given = r.clone();
            given.sectors = sectors.iter().map(entity::wire_name).collect();
            given.sectors.sort();
            given.sectors.dedup();
            given.practice_ids.sort();
            given.practice_ids.dedup();
            if export_request(txn, &current).await? == given {
                return Ok(RowOutcome::Unchanged);
            }
            return Err(ApiError::bad_input(
                "id",
                "a learning request with this id exists and differs; change it with updateLearningRequest",
            ));
        }
        requests::post_request_in(
            txn,
            viewer,
            NewRequest {
                region_code: r.region_code.clone(),
                topic: r.topic.clone(),
                sectors,
                problem: r.problem.clone(),
                objectives: r.objectives.clone(),
                preferred_from: r.preferred_from,
                preferred_to: r.preferred_to,
                budget_min_idr: r.budget_min_idr,
                budget_max_idr: r.budget_max_idr,
                contact_agency: r.contact_agency.clone(),
                practice_ids: r.practice_ids.clone(),
            },
            r.id,
        )
        .await?;
        Ok(RowOutcome::Created)
    })
    .await
}

/// Imports work-plan indicators: adds each to its agreement's plan (the
/// agreement's party regions' writers; an agreement that is not closed).
pub async fn import_indicators(
    db: &DatabaseConnection,
    viewer: &Viewer,
    rows: Rows<IndicatorRecord>,
    dry_run: bool,
    progress: impl FnMut(usize),
) -> Result<ImportReport> {
    import_rows(
        db,
        viewer,
        rows,
        dry_run,
        progress,
        async |txn, viewer, r: &IndicatorRecord| {
            plan::add_indicator_in(
                txn,
                viewer,
                r.agreement_id,
                None,
                NewIndicator {
                    name: r.name.clone(),
                    unit: r.unit.clone(),
                    baseline: r.baseline,
                    target: r.target,
                    target_date: r.target_date,
                },
            )
            .await?;
            Ok(RowOutcome::Created)
        },
    )
    .await
}

async fn export_request(
    db: &impl sea_orm::ConnectionTrait,
    r: &learning_request::Model,
) -> Result<RequestRecord> {
    let mut sectors: Vec<String> = learning_request_sector::Entity::find()
        .filter(learning_request_sector::Column::LearningRequestId.eq(r.id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| entity::wire_name(&s.sector))
        .collect();
    sectors.sort();
    let mut practice_ids: Vec<Uuid> = learning_request_practice::Entity::find()
        .filter(learning_request_practice::Column::LearningRequestId.eq(r.id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.practice_id)
        .collect();
    practice_ids.sort();
    Ok(RequestRecord {
        id: Some(r.id),
        region_code: r.region_code.clone(),
        topic: r.topic.clone(),
        sectors,
        problem: r.problem.clone(),
        objectives: r.objectives.0.clone(),
        preferred_from: r.preferred_from,
        preferred_to: r.preferred_to,
        budget_min_idr: r.budget_min_idr,
        budget_max_idr: r.budget_max_idr,
        contact_agency: r.contact_agency.clone(),
        practice_ids,
    })
}

/// Every learning request (of `region` when given), oldest first, as
/// re-importable records.
pub async fn export_requests(
    db: &DatabaseConnection,
    region: Option<&str>,
) -> Result<Vec<RequestRecord>> {
    let mut q = learning_request::Entity::find();
    if let Some(r) = region {
        q = q.filter(learning_request::Column::RegionCode.eq(r));
    }
    let mut out = Vec::new();
    for r in q
        .order_by_asc(learning_request::Column::CreatedAt)
        .order_by_asc(learning_request::Column::Id)
        .all(db)
        .await?
    {
        out.push(export_request(db, &r).await?);
    }
    Ok(out)
}

/// Every work-plan indicator, by agreement and position.
pub async fn export_indicators(db: &DatabaseConnection) -> Result<Vec<IndicatorRecord>> {
    Ok(work_plan_indicator::Entity::find()
        .order_by_asc(work_plan_indicator::Column::AgreementId)
        .order_by_asc(work_plan_indicator::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|i| IndicatorRecord {
            agreement_id: i.agreement_id,
            name: i.name,
            unit: i.unit,
            baseline: i.baseline,
            target: i.target,
            target_date: i.target_date,
        })
        .collect())
}

fn csv_text(header: &[&str], rows: Vec<Vec<String>>) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let internal = |e: csv::Error| ApiError::internal(&e);
    w.write_record(header).map_err(internal)?;
    for r in rows {
        w.write_record(&r).map_err(internal)?;
    }
    let bytes = w.into_inner().map_err(|e| ApiError::internal(&e))?;
    String::from_utf8(bytes).map_err(|e| ApiError::internal(&e))
}

fn json_text<T: Serialize>(records: &[T]) -> Result<String> {
    serde_json::to_string_pretty(records).map_err(|e| ApiError::internal(&e))
}

fn cell<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// Learning requests as CSV or JSON (re-importable).
pub fn render_requests(records: &[RequestRecord], format: super::Format) -> Result<String> {
    match format {
        super::Format::Json => json_text(records),
        super::Format::Csv => csv_text(
            &REQUEST_COLUMNS,
            records
                .iter()
                .map(|r| {
                    vec![
                        cell(&r.id),
                        r.region_code.clone(),
                        r.topic.clone(),
                        r.sectors.join("|"),
                        cell(&r.problem),
                        r.objectives.join("|"),
                        cell(&r.preferred_from),
                        cell(&r.preferred_to),
                        cell(&r.budget_min_idr),
                        cell(&r.budget_max_idr),
                        r.contact_agency.clone(),
                        r.practice_ids
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("|"),
                    ]
                })
                .collect(),
        ),
    }
}

/// Work-plan indicators as CSV or JSON (re-importable).
pub fn render_indicators(records: &[IndicatorRecord], format: super::Format) -> Result<String> {
    match format {
        super::Format::Json => json_text(records),
        super::Format::Csv => csv_text(
            &INDICATOR_COLUMNS,
            records
                .iter()
                .map(|r| {
                    vec![
                        r.agreement_id.to_string(),
                        r.name.clone(),
                        r.unit.clone(),
                        r.baseline.to_string(),
                        r.target.to_string(),
                        r.target_date.to_string(),
                    ]
                })
                .collect(),
        ),
    }
}
