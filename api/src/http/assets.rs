//! The GraphiQL page and its scripts and styles, compiled into the binary.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// The GraphiQL page (at `/graphiql`); its scripts and styles come from this server
/// (`/assets/graphiql/*`), never a CDN: government networks are often closed.
pub(super) async fn graphiql() -> Html<&'static str> {
    Html(include_str!("../../assets/graphiql/index.html"))
}

/// The GraphiQL assets, compiled into the binary (see
/// `api/assets/graphiql/SOURCE.md` for versions and licences).
pub(super) async fn graphiql_asset(
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    const JS: &str = "text/javascript; charset=utf-8";
    let (body, content_type): (&'static [u8], &str) = match file.as_str() {
        "graphiql.min.js" => (include_bytes!("../../assets/graphiql/graphiql.min.js"), JS),
        "graphiql.min.css" => (
            include_bytes!("../../assets/graphiql/graphiql.min.css"),
            "text/css; charset=utf-8",
        ),
        "react.production.min.js" => (
            include_bytes!("../../assets/graphiql/react.production.min.js"),
            JS,
        ),
        "react-dom.production.min.js" => (
            include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
            JS,
        ),
        "berguru-graphiql.js" => (
            include_bytes!("../../assets/graphiql/berguru-graphiql.js"),
            JS,
        ),
        _ => return (StatusCode::NOT_FOUND, "not found").into_response(),
    };
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type),
            (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}
