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
    send_to(&app.state, from, token, path).await
}

async fn send_to(
    state: &api::AppState,
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
    let resp = api::app(state.clone()).oneshot(req).await.unwrap();
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

scenario!(
    replicas_on_one_postgresql_charge_one_budget_per_client,
    spawn,
    |app| async move {
        let limits = api::config::Limits {
            rate_limit_per_minute: 4,
            ..api::config::Limits::default()
        };
        let a = TestApp::spawn_with_limits(app.backend, limits)
            .await
            .unwrap();
        app.close().await;
        // PostgreSQL: B is a second replica (its own pool and state) on
        // A's database. SQLite is one process, whose budget is its own:
        // B is A.
        let b = match a.backend {
            Backend::Postgres => {
                let db = api::db::connect_url(&a.url, 3).await.unwrap();
                let engine: api::search_sync::Engine =
                    std::sync::Arc::new(::search::embedded::EmbeddedEngine::in_ram().unwrap());
                let b = api::state(db, limits, engine);
                assert!(b.rate_limiter.as_ref().unwrap().is_shared());
                b
            }
            Backend::Sqlite => {
                assert!(!a.state.rate_limiter.as_ref().unwrap().is_shared());
                a.state.clone()
            }
        };
        // Four requests, alternating between the replicas, spend the
        // client's budget of four; the fifth is refused on either.
        for i in 0..4 {
            let state = if i % 2 == 0 { &a.state } else { &b };
            assert_eq!(
                send_to(state, "10.0.0.5", None, "/graphql").await.0,
                StatusCode::OK,
                "request {i}"
            );
        }
        for state in [&a.state, &b] {
            let (status, retry, body) = send_to(state, "10.0.0.5", None, "/graphql").await;
            assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
            let retry: u64 = retry.expect("Retry-After").parse().unwrap();
            assert!((1..=15).contains(&retry), "{retry}");
            expect_error(&body, "RATE_LIMITED");
        }
        // Another client still has its whole budget, on both.
        assert_eq!(
            send_to(&b, "10.0.0.6", None, "/graphql").await.0,
            StatusCode::OK
        );
        assert_eq!(
            send_to(&a.state, "10.0.0.6", None, "/graphql").await.0,
            StatusCode::OK
        );

        // Concurrent requests of one client through both replicas: exactly
        // the budget passes (the row lock charges them one by one).
        let (ok, refused) = {
            let mut tasks = Vec::new();
            for i in 0..16 {
                let state = if i % 2 == 0 {
                    a.state.clone()
                } else {
                    b.clone()
                };
                tasks.push(tokio::spawn(async move {
                    send_to(&state, "10.0.0.7", None, "/graphql").await.0
                }));
            }
            let mut ok = 0;
            let mut refused = 0;
            for t in tasks {
                match t.await.unwrap() {
                    StatusCode::OK => ok += 1,
                    StatusCode::TOO_MANY_REQUESTS => refused += 1,
                    s => panic!("{s}"),
                }
            }
            (ok, refused)
        };
        assert_eq!((ok, refused), (4, 12), "16 concurrent requests, budget 4");
        a.close().await;
    }
);
