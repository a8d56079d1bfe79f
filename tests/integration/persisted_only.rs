//! `anonymous_persisted_only`: clients without a token run only the
//! registered operations (named by hash); clients with a token anything.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use sha2::{Digest, Sha256};

use super::*;

const REGISTERED: &str = "query Count { regions { totalCount } }";

fn post(body: Value, token: Option<&str>) -> Request<Body> {
    let mut req = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("accept", "application/graphql-response+json");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    req.body(Body::from(body.to_string())).unwrap()
}

scenario!(
    anonymous_clients_run_only_registered_operations,
    spawn,
    |app| async move {
        let mut app = app;
        let hash = format!("{:x}", Sha256::digest(REGISTERED.as_bytes()));
        let registry = api::graphql::registered::RegisteredOperations::parse(
            &json!({ hash.clone(): REGISTERED }).to_string(),
        )
        .unwrap();
        app.state.anonymous_operations = Some(Arc::new(registry));
        let by_hash =
            json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } });

        // A registered operation, by its hash alone.
        let (status, body, _) = app.http(post(by_hash.clone(), None)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert!(
            v["data"]["regions"]["totalCount"].as_i64().unwrap() > 500,
            "{v}"
        );

        // Anything else is refused before it runs.
        for refused in [
            json!({ "query": "{ regions { totalCount } }" }),
            json!({ "query": "{ practices { totalCount } }", "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } }),
            json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": "0".repeat(64) } } }),
        ] {
            let (status, body, _) = app.http(post(refused, None)).await;
            let v: Value = serde_json::from_str(&body).unwrap();
            expect_error(&v, "PERSISTED_QUERY_REQUIRED");
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        }

        // A client with a token is not restricted.
        let token = app.token("editor", Some("32.11")).await;
        let (status, body, _) = app
            .http(post(
                json!({ "query": "{ practices { totalCount } }" }),
                Some(&token),
            ))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(!body.contains("errors"), "{body}");
        app.close().await;
    }
);
