//! GraphQL over HTTP, as the specification (graphql.github.io/graphql-over-http)
//! says: parsing GET and POST requests, negotiating the response media type,
//! and choosing the status code.
//!
//! - `Accept: application/graphql-response+json` gets that media type, and a
//!   request error (parse, validation, variable coercion: the request never
//!   executed) answers 400 with no `data` entry.
//! - `application/json` (or no Accept, or `*/*`) gets `application/json` and
//!   200 for any well-formed GraphQL response, as legacy clients expect.
//! - An Accept the server cannot satisfy answers 406; a POST that is not
//!   `application/json` answers 415; malformed JSON or a missing or
//!   mistyped `query`, `variables`, `operationName` or `extensions` answers
//!   400; a mutation over GET answers 405. Every one of these bodies is a
//!   GraphQL-shaped JSON error with a stable code.

use async_graphql::parser::types::OperationType;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// The response media types the server speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaType {
    /// `application/graphql-response+json`: status codes carry request errors.
    GraphQlResponse,
    /// `application/json`: the legacy media type.
    Json,
}

impl MediaType {
    /// A short name, for cache keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GraphQlResponse => "graphql-response",
            Self::Json => "json",
        }
    }

    fn header(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::GraphQlResponse => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        })
    }
}

/// Picks the response media type from `Accept`; `None` when none is acceptable.
pub fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(MediaType::Json);
    };
    let mut best: Option<(f32, MediaType)> = None;
    for part in accept.split(',') {
        let mut pieces = part.split(';');
        let range = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let media = match range.as_str() {
            "application/graphql-response+json" => MediaType::GraphQlResponse,
            "application/json" | "application/*" | "*/*" => MediaType::Json,
            _ => continue,
        };
        if q <= 0.0 {
            continue;
        }
        // Prefer the higher weight, then graphql-response+json.
        let better = match best {
            None => true,
            Some((bq, bm)) => {
                q > bq || (q == bq && media == MediaType::GraphQlResponse && bm != media)
            }
        };
        if better {
            best = Some((q, media));
        }
    }
    best.map(|(_, m)| m)
}

/// A request-level failure before execution: its status, code and message.
#[derive(Debug)]
pub struct Rejection {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl Rejection {
    fn bad(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "BAD_REQUEST",
            message: message.into(),
        }
    }

    /// The GraphQL-shaped error response.
    pub fn into_response(self, media: MediaType) -> Response {
        let body =
            json!({ "errors": [{ "message": self.message, "extensions": { "code": self.code } }] });
        let mut resp = (self.status, body.to_string()).into_response();
        resp.headers_mut()
            .insert(header::CONTENT_TYPE, media.header());
        if self.status == StatusCode::METHOD_NOT_ALLOWED {
            resp.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
        }
        resp
    }
}

fn object_or_null(params: &Map<String, Value>, key: &str) -> Result<Option<Value>, Rejection> {
    match params.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::Object(_)) => Ok(Some(v.clone())),
        Some(_) => Err(Rejection::bad(format!("`{key}` must be an object or null"))),
    }
}

/// Builds an async-graphql request from the parameters of a GET or POST.
pub fn build_request(params: Map<String, Value>) -> Result<async_graphql::Request, Rejection> {
    let extensions = object_or_null(&params, "extensions")?;
    let query = match params.get("query") {
        Some(Value::String(q)) => q.clone(),
        // Automatic persisted queries may send only a hash.
        None | Some(Value::Null)
            if extensions
                .as_ref()
                .is_some_and(|e| e.get("persistedQuery").is_some()) =>
        {
            String::new()
        }
        None | Some(Value::Null) => return Err(Rejection::bad("the request has no `query`")),
        Some(_) => return Err(Rejection::bad("`query` must be a string")),
    };
    let variables = object_or_null(&params, "variables")?;
    let operation_name = match params.get("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(Rejection::bad("`operationName` must be a string or null")),
    };
    let mut req = async_graphql::Request::new(query);
    if let Some(v) = variables {
        req = req.variables(async_graphql::Variables::from_json(v));
    }
    if let Some(name) = operation_name {
        req = req.operation_name(name);
    }
    if let Some(Value::Object(ext)) = extensions {
        for (k, v) in ext {
            if let Ok(v) = async_graphql::Value::from_json(v) {
                req.extensions.insert(k, v);
            }
        }
    }
    Ok(req)
}

/// Parses a POST: `application/json` with a JSON object body.
pub fn parse_post(headers: &HeaderMap, body: &[u8]) -> Result<Map<String, Value>, Rejection> {
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = ctype
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence != "application/json" {
        return Err(Rejection {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code: "UNSUPPORTED_MEDIA_TYPE",
            message: "send the request as `Content-Type: application/json`".into(),
        });
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Rejection::bad("the body must be a JSON object")),
        Err(e) => Err(Rejection::bad(format!("the body is not valid JSON: {e}"))),
    }
}

/// Parses a GET's query string; `variables` and `extensions` are JSON text.
pub fn parse_get(query: Option<&str>) -> Result<Map<String, Value>, Rejection> {
    let mut map = Map::new();
    for (k, v) in form_urlencoded(query.unwrap_or("")) {
        let value = match k.as_str() {
            "variables" | "extensions" => serde_json::from_str(&v)
                .map_err(|_| Rejection::bad(format!("`{k}` must be JSON text")))?,
            _ => Value::String(v),
        };
        map.insert(k, value);
    }
    Ok(map)
}

fn form_urlencoded(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// True when the operation a GET would run is a mutation (or subscription):
/// those answer 405 over GET. A query that does not parse is left to the
/// executor, which reports it as a request error.
pub fn is_mutation(query: &str, operation_name: Option<&str>) -> bool {
    let Ok(doc) = async_graphql::parser::parse_query(query) else {
        return false;
    };
    matches!(
        crate::graphql::gate::selected_operation(&doc, operation_name),
        Some(OperationType::Mutation | OperationType::Subscription)
    )
}

/// The status and JSON body of an executed response.
pub fn serialise(resp: async_graphql::Response, media: MediaType) -> (StatusCode, String) {
    // A request error: nothing executed (no data, no error inside the data).
    let request_error = resp.data == async_graphql::Value::Null
        && !resp.errors.is_empty()
        && resp.errors.iter().all(|e| e.path.is_empty());
    let status = if request_error && media == MediaType::GraphQlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    if !request_error {
        // Straight to text: no intermediate JSON tree.
        if let Ok(body) = serde_json::to_string(&resp) {
            return (status, body);
        }
    }
    let mut body = serde_json::to_value(&resp)
        .unwrap_or_else(|_| json!({ "errors": [{ "message": "Internal error" }] }));
    if request_error && let Value::Object(map) = &mut body {
        map.remove("data");
    }
    (status, body.to_string())
}

/// A response with `body` (JSON) as `media`.
pub fn with_body(
    status: StatusCode,
    body: impl Into<axum::body::Body>,
    media: MediaType,
) -> Response {
    let mut out = (status, body.into()).into_response();
    out.headers_mut()
        .insert(header::CONTENT_TYPE, media.header());
    out
}

/// A GraphQL-shaped JSON error body with an HTTP status, for failures
/// before a GraphQL request is built (authentication, `.ics` input).
pub(crate) fn error_response(status: StatusCode, e: crate::error::ApiError) -> Response {
    let err: async_graphql::Error = e.into();
    let body = json!({ "errors": [{ "message": err.message, "extensions": err.extensions }] });
    (status, axum::Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT,
            HeaderValue::from_str(v).unwrap_or(HeaderValue::from_static("")),
        );
        h
    }

    #[test]
    fn accept_negotiation_follows_the_spec() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(MediaType::Json));
        assert_eq!(
            negotiate(&accept("application/graphql-response+json")),
            Some(MediaType::GraphQlResponse)
        );
        assert_eq!(
            negotiate(&accept(
                "application/json, application/graphql-response+json"
            )),
            Some(MediaType::GraphQlResponse)
        );
        assert_eq!(
            negotiate(&accept(
                "application/graphql-response+json;q=0.5, application/json"
            )),
            Some(MediaType::Json)
        );
        assert_eq!(negotiate(&accept("*/*")), Some(MediaType::Json));
        assert_eq!(negotiate(&accept("text/plain")), None);
    }

    #[test]
    fn query_strings_decode_percent_and_plus() {
        let m = parse_get(Some(
            "query=%7B%20a%20%7D&operationName=A+B&variables=%7B%22x%22%3A1%7D",
        ))
        .map_err(|r| r.message);
        let m = m.unwrap_or_default();
        assert_eq!(m["query"], "{ a }");
        assert_eq!(m["operationName"], "A B");
        assert_eq!(m["variables"], json!({ "x": 1 }));
    }

    #[test]
    fn mutations_are_recognised_for_get() {
        assert!(is_mutation("mutation { a }", None));
        assert!(!is_mutation("{ a }", None));
        assert!(is_mutation("query A { a } mutation B { b }", Some("B")));
        assert!(!is_mutation("not graphql", None));
    }
}

#[cfg(test)]
mod apq_tests {
    use super::*;

    #[test]
    fn extensions_reach_the_request() {
        let mut m = Map::new();
        m.insert(
            "extensions".into(),
            json!({ "persistedQuery": { "version": 1, "sha256Hash": "ab" } }),
        );
        let req = build_request(m).map_err(|r| r.message);
        let req = req.unwrap_or_else(|m| panic!("{m}"));
        assert!(
            req.extensions.get("persistedQuery").is_some(),
            "{:?}",
            req.extensions
        );
    }
}
