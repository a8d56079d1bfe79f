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
                "SEARCH_UNAVAILABLE" | "SERVICE_UNAVAILABLE" => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            error_response(status, e)
        }
    }
}

/// The query string read as the GraphQL `VisitPlanInput`: each parameter
/// parsed by its GraphQL input type (the `Date` scalar, the `TravelMode`
/// enum, `Int`), with `planVisits`' defaults, then turned into the domain's
/// input by the same [`crate::graphql::query::plan_input`]: one parsing for
/// both ways of asking for a plan. An error names the parameter.
fn plan_params(
    params: &[(String, String)],
) -> Result<crate::domain::visit::plan::PlanInput, ApiError> {
    use crate::graphql::types::visit_plan::{DEFAULT_MAX_HOSTS, VisitPlanInput};
    let one = |k: &str| {
        params
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let required =
        |k: &str| one(k).ok_or_else(|| ApiError::bad_input(k, format!("{k} is required")));
    let input = VisitPlanInput {
        seeker: async_graphql::ID(required("seeker")?.to_owned()),
        topics: params
            .iter()
            .filter(|(k, _)| k == "topic" || k == "topics")
            .map(|(_, v)| v.clone())
            .collect(),
        from: typed("from", required("from")?)?,
        to: typed("to", required("to")?)?,
        max_hosts: one("maxHosts")
            .map(|v| typed("maxHosts", v))
            .transpose()?
            .unwrap_or(DEFAULT_MAX_HOSTS),
        max_days: one("maxDays").map(|v| typed("maxDays", v)).transpose()?,
        travel_mode: one("travelMode")
            .map(|v| typed("travelMode", v))
            .transpose()?
            .unwrap_or_default(),
    };
    crate::graphql::query::plan_input(input)
}

/// Parameter `name` parsed as GraphQL would parse a value of type `T` (a
/// whole number is passed as a number, anything else as a string).
fn typed<T: async_graphql::InputType>(name: &str, value: &str) -> Result<T, ApiError> {
    let graphql_value = match value.parse::<i64>() {
        Ok(n) => async_graphql::Value::from(n),
        Err(_) => async_graphql::Value::from(value),
    };
    T::parse(Some(graphql_value))
        .map_err(|e| ApiError::bad_input(name, e.into_server_error(Default::default()).message))
}

/// `GET /regions/{code}/due.ics?dueWithinDays=90` (also `from`, `to`):
/// the due dates of the region's digest (agreements' term ends, follow-ups
/// due, visits) as an iCalendar feed, with stable UIDs so a subscribed
/// calendar updates its events. Authenticated like `/graphql`.
pub(super) async fn region_due_ics(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Path(code): axum::extract::Path<String>,
    axum::extract::Query(params): axum::extract::Query<Vec<(String, String)>>,
) -> Response {
    if let Err(refused) = viewer(&state, &headers).await {
        return refused;
    }
    let result = async {
        let one = |k: &str| {
            params
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        let date = |k: &str| {
            one(k)
                .map(|v| typed::<crate::graphql::scalars::Date>(k, v).map(|d| d.0))
                .transpose()
        };
        let window = crate::domain::digest::Window::new(
            date("from")?,
            date("to")?,
            one("dueWithinDays")
                .map(|v| typed::<i32>("dueWithinDays", v).map(i64::from))
                .transpose()?
                .or(Some(90)),
        )?;
        let region = crate::domain::region::query::require(&state.db, "code", &code).await?;
        let d =
            crate::domain::digest::digest(&state.db, &code, window, state.limits.follow_up_months)
                .await?;
        Ok::<_, ApiError>(crate::domain::digest::to_ics(&d, &region.name))
    }
    .await;
    match result {
        Ok(ics) => (
            StatusCode::OK,
            [
                (
                    header::CONTENT_TYPE,
                    "text/calendar; charset=utf-8".to_owned(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"berguru-due-{code}.ics\""),
                ),
            ],
            ics,
        )
            .into_response(),
        Err(e) => {
            let status = match e.code() {
                "BAD_USER_INPUT" => StatusCode::BAD_REQUEST,
                "NOT_FOUND" => StatusCode::NOT_FOUND,
                "SERVICE_UNAVAILABLE" => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            error_response(status, e)
        }
    }
}
