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

/// The query string read as the GraphQL `VisitPlanInput` (same defaults,
/// scalars and enum values as `planVisits`), then turned into the domain's
/// input by the same [`crate::graphql::query::plan_input`]: one parsing for
/// both ways of asking for a plan.
fn plan_params(
    params: &[(String, String)],
) -> Result<crate::domain::visit::plan::PlanInput, ApiError> {
    use async_graphql::InputType;
    use serde_json::{Map, Value};
    let mut input = Map::new();
    let mut topics = Vec::new();
    for (k, v) in params {
        let key = match k.as_str() {
            "topic" | "topics" => {
                topics.push(Value::from(v.as_str()));
                continue;
            }
            "seeker" | "from" | "to" | "travelMode" => k.as_str(),
            "maxHosts" | "maxDays" => {
                // A number when it is one; anything else is refused below
                // as GraphQL would refuse it.
                let n = v.parse::<i64>().map(Value::from);
                input.insert(k.clone(), n.unwrap_or_else(|_| Value::from(v.as_str())));
                continue;
            }
            _ => continue,
        };
        input.insert(key.to_owned(), Value::from(v.as_str()));
    }
    input.insert("topics".to_owned(), Value::Array(topics));
    for required in ["seeker", "from", "to"] {
        if !input.contains_key(required) {
            return Err(ApiError::bad_input(
                required,
                format!("{required} is required"),
            ));
        }
    }
    let value = async_graphql::Value::from_json(Value::Object(input))
        .map_err(|e| ApiError::bad_input("query", e.to_string()))?;
    let parsed =
        crate::graphql::types::visit_plan::VisitPlanInput::parse(Some(value)).map_err(|e| {
            ApiError::bad_input("query", e.into_server_error(Default::default()).message)
        })?;
    crate::graphql::query::plan_input(parsed)
}
