//! `GET /visits/plan.ics`: a visit plan as an iCalendar file.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::graphql::viewer;
use super::spec::error_response;
use crate::error::ApiError;

/// `GET /visits/plan.ics?seeker=36.02&topic=e-office&topic=desa+digital&from=2026-12-01&to=2026-12-02`
/// (also `maxHosts`, `maxDays`, `travelMode` = `AUTO`, `ROAD` or `AIR`):
/// the plan of `planVisits` as an iCalendar file to import into calendars.
/// Bad input is a 400 with the GraphQL error shape and its stable code.
pub(super) async fn visit_plan_ics(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Query(params): axum::extract::Query<Vec<(String, String)>>,
) -> Response {
    // Authenticated like `/graphql`, though the plan needs no viewer.
    if let Err(refused) = viewer(&state, &headers).await {
        return refused;
    }
    let input = match plan_params(&params) {
        Ok(i) => i,
        Err(e) => return error_response(StatusCode::BAD_REQUEST, e),
    };
    match crate::domain::visit::plan::plan(&state.db, state.search.as_ref(), &state.guru, &input)
        .await
    {
        Ok(plan) => {
            let name = format!(
                "attachment; filename=\"berguru-plan-{}-{}.ics\"",
                plan.seeker.code,
                plan.from.format("%Y%m%d")
            );
            (
                StatusCode::OK,
                [
                    (
                        header::CONTENT_TYPE,
                        "text/calendar; charset=utf-8".to_owned(),
                    ),
                    (header::CONTENT_DISPOSITION, name),
                ],
                crate::domain::visit::plan::to_ics(&plan),
            )
                .into_response()
        }
        Err(e) => {
            let status = match e.code() {
                "BAD_USER_INPUT" => StatusCode::BAD_REQUEST,
                "NOT_FOUND" => StatusCode::NOT_FOUND,
                "SEARCH_UNAVAILABLE" => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            error_response(status, e)
        }
    }
}

fn plan_params(
    params: &[(String, String)],
) -> Result<crate::domain::visit::plan::PlanInput, ApiError> {
    use crate::domain::visit::plan::{PlanInput, TravelMode};
    let one = |k: &str| {
        params
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let date = |k: &str| -> Result<chrono::NaiveDate, ApiError> {
        let v = one(k).ok_or_else(|| ApiError::bad_input(k, format!("{k} is required")))?;
        chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map_err(|_| ApiError::bad_input(k, format!("{v:?} is not a date like 2026-12-01")))
    };
    let number = |k: &str| -> Result<Option<usize>, ApiError> {
        one(k)
            .map(|v| {
                v.parse::<usize>()
                    .map_err(|_| ApiError::bad_input(k, format!("{v:?} is not a whole number")))
            })
            .transpose()
    };
    let seeker = one("seeker")
        .ok_or_else(|| ApiError::bad_input("seeker", "seeker is required"))?
        .to_owned();
    let topics: Vec<String> = params
        .iter()
        .filter(|(k, _)| k == "topic" || k == "topics")
        .map(|(_, v)| v.clone())
        .collect();
    let travel_mode = match one("travelMode") {
        None | Some("AUTO") => TravelMode::Auto,
        Some("ROAD") => TravelMode::Road,
        Some("AIR") => TravelMode::Air,
        Some(v) => {
            return Err(ApiError::bad_input(
                "travelMode",
                format!("{v:?} is not AUTO, ROAD or AIR"),
            ));
        }
    };
    Ok(PlanInput {
        seeker,
        topics,
        from: date("from")?,
        to: date("to")?,
        max_hosts: number("maxHosts")?.unwrap_or(3),
        max_days: number("maxDays")?,
        travel_mode,
    })
}
