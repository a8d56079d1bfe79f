//! The per-client request budget: off by default; when set, a client (its
//! token, else its address) beyond it gets HTTP 429 `RATE_LIMITED` with
//! `Retry-After`, and other clients are not affected.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::*;

async fn send(
    app: &TestApp,
    from: &str,
    token: Option<&str>,
    path: &str,
) -> (StatusCode, Option<String>, Value) {
    let mut req = if path == "/graphql" {
        Request::post(path)
            .header("content-type", "application/json")
            .body(Body::from(
                json!({ "query": "{ regions(first: 1) { totalCount } }" }).to_string(),
            ))
            .unwrap()
    } else {
        Request::get(path).body(Body::empty()).unwrap()
    };
    if let Some(t) = token {
        req.headers_mut()
            .insert("authorization", format!("Bearer {t}").parse().unwrap());
    }
    let peer: SocketAddr = format!("{from}:40000").parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(peer));
    let resp = api::app(app.state.clone()).oneshot(req).await.unwrap();
    let status = resp.status();
    let retry = resp
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        retry,
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    )
}

scenario!(
    a_client_over_its_budget_gets_429_and_others_do_not,
    spawn,
    |app| async move {
        // Off by default: 30 requests from one address all pass.
        for _ in 0..30 {
            assert_eq!(
                send(&app, "10.0.0.1", None, "/graphql").await.0,
                StatusCode::OK
            );
        }
        let limits = api::config::Limits {
            rate_limit_per_minute: 3,
            ..api::config::Limits::default()
        };
        let limited = TestApp::spawn_with_limits(app.backend, limits)
            .await
            .unwrap();
        app.close().await;
        let app = limited;
        for _ in 0..3 {
            assert_eq!(
                send(&app, "10.0.0.1", None, "/graphql").await.0,
                StatusCode::OK
            );
        }
        let (status, retry, body) = send(&app, "10.0.0.1", None, "/graphql").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        // 3 a minute: one more within 20 s (less the refill since the
        // first request).
        let retry: u64 = retry.expect("Retry-After").parse().unwrap();
        assert!((1..=20).contains(&retry), "{retry}");
        let e = expect_error(&body, "RATE_LIMITED");
        assert_eq!(e["extensions"]["retryAfterSeconds"], retry);
        // The calendar counts too; health does not.
        assert_eq!(
            send(&app, "10.0.0.1", None, "/visits/plan.ics").await.0,
            StatusCode::TOO_MANY_REQUESTS
        );
        assert_eq!(
            send(&app, "10.0.0.1", None, "/healthz").await.0,
            StatusCode::OK
        );
        // Another address, and a token from the same address, have budgets
        // of their own.
        assert_eq!(
            send(&app, "10.0.0.2", None, "/graphql").await.0,
            StatusCode::OK
        );
        let token = app.token("editor", Some("32.11")).await;
        for _ in 0..3 {
            assert_eq!(
                send(&app, "10.0.0.1", Some(&token), "/graphql").await.0,
                StatusCode::OK
            );
        }
        assert_eq!(
            send(&app, "10.0.0.1", Some(&token), "/graphql").await.0,
            StatusCode::TOO_MANY_REQUESTS
        );
        // Operators see the refusals.
        let (_, metrics, _) = app
            .http(Request::get("/metrics").body(Body::empty()).unwrap())
            .await;
        assert!(
            metrics.contains("berguru_graphql_errors_total{code=\"RATE_LIMITED\"} 3"),
            "{metrics}"
        );
        app.close().await;
    }
);
