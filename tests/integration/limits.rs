//! Request limits, each refused with a code of its own; request ids; CORS.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

use crate::*;

scenario!(
    complex_queries_and_alias_floods_are_refused_with_their_codes,
    spawn,
    |app| async move {
        // 100 regions x 100 sub-regions x fields: far over the complexity budget.
        let q =
            "{ regions(first: 100) { nodes { code subRegions { code name province { name } } } } }";
        let ok = app.query(q).await;
        assert!(
            ok.get("errors").is_none(),
            "sub-region lists are not multiplied by `first`: {ok:#}"
        );
        let heavy = "{ a: practices(first: 100) { nodes { agreements { title } } } b: regions(first: 100) { nodes { code } } }";
        assert!(app.query(heavy).await.get("errors").is_none());
        let nested = "{ regions(first: 100) { nodes { code } } practices(first: 100) { nodes { title } } agreements(first: 100) { nodes { title } } }";
        assert!(app.query(nested).await.get("errors").is_none());

        let aliases: String = (0..31)
            .map(|i| format!("r{i}: region(code: \"32\") {{ name }} "))
            .collect();
        let e = expect_error(
            &app.query(&format!("{{ {aliases} }}")).await,
            "TOO_MANY_ALIASES",
        );
        assert!(e["message"].as_str().unwrap().contains("31"));
        app.close().await;
    }
);

scenario!(
    complexity_counts_first_times_the_fields_below,
    spawn,
    |app| async move {
        let limits = api::config::Limits {
            max_complexity: 500,
            ..api::config::Limits::default()
        };
        let small = TestApp::spawn_with_limits(app.backend, limits)
            .await
            .unwrap();
        assert!(
            small
                .query("{ regions(first: 10) { nodes { code name } } }")
                .await
                .get("errors")
                .is_none()
        );
        let e = expect_error(
            &small
                .query("{ regions(first: 100) { nodes { code name kind capital population } } }")
                .await,
            "QUERY_TOO_COMPLEX",
        );
        assert!(e["message"].as_str().unwrap().contains("at most 500"));
        small.close().await;
        app.close().await;
    }
);

scenario!(
    an_oversized_body_is_refused_with_413_as_json,
    spawn,
    |app| async move {
        let big = format!(
            r#"{{"query":"{{ regions {{ totalCount }} }}","extensions":{{"pad":"{}"}}}}"#,
            "x".repeat(1024 * 1024 + 10)
        );
        let req = Request::post("/graphql")
            .header("content-type", "application/json")
            .body(Body::from(big))
            .unwrap();
        let (status, body, _) = app.http(req).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["errors"][0]["extensions"]["code"], "PAYLOAD_TOO_LARGE");
        app.close().await;
    }
);

scenario!(
    request_ids_are_echoed_or_made_and_cors_follows_the_configured_origins,
    spawn,
    |app| async move {
        let req = Request::get("/healthz")
            .header("x-request-id", "abc-123")
            .body(Body::empty())
            .unwrap();
        let resp = api::app(app.state.clone()).oneshot(req).await.unwrap();
        assert_eq!(resp.headers().get("x-request-id").unwrap(), "abc-123");
        let resp = api::app(app.state.clone())
            .oneshot(Request::get("/healthz").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(
            resp.headers().get("x-request-id").unwrap().len(),
            36,
            "a UUID is made"
        );

        let mut state = app.state.clone();
        state.cors_allowed_origins = vec!["https://portal.jabarprov.go.id".into()];
        let preflight = |origin: &str| {
            Request::options("/graphql")
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .header(
                    "access-control-request-headers",
                    "content-type, authorization",
                )
                .body(Body::empty())
                .unwrap()
        };
        let resp = api::app(state.clone())
            .oneshot(preflight("https://portal.jabarprov.go.id"))
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::NO_CONTENT);
        assert_eq!(
            resp.headers().get("access-control-allow-origin").unwrap(),
            "https://portal.jabarprov.go.id"
        );
        assert!(
            resp.headers()
                .get("access-control-allow-headers")
                .unwrap()
                .to_str()
                .unwrap()
                .contains("authorization")
        );
        let resp = api::app(state.clone())
            .oneshot(preflight("https://evil.example"))
            .await
            .unwrap();
        assert!(resp.headers().get("access-control-allow-origin").is_none());
        // Without configured origins there are no CORS headers at all.
        let resp = api::app(app.state.clone())
            .oneshot(preflight("https://portal.jabarprov.go.id"))
            .await
            .unwrap();
        assert!(resp.headers().get("access-control-allow-origin").is_none());
        app.close().await;
    }
);

scenario!(
    automatic_persisted_queries_over_post_and_hash_only_get,
    spawn,
    |app| async move {
        use sha2::Digest;
        let q = "{ region(code: \"32.11\") { name } }";
        let hash = format!("{:x}", sha2::Sha256::digest(q.as_bytes()));
        let ext = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
        let post = |body: Value| {
            Request::post("/graphql")
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))
                .unwrap()
        };
        // Unknown hash: the code Apollo clients look for.
        let (_, body, _) = app.http(post(json!({ "extensions": ext }))).await;
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["errors"][0]["message"], "PersistedQueryNotFound");
        assert_eq!(
            v["errors"][0]["extensions"]["code"],
            "PERSISTED_QUERY_NOT_FOUND"
        );
        // Register with the full query, then hash only, over POST and GET.
        let (status, body, _) = app
            .http(post(json!({ "query": q, "extensions": ext })))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, body, _) = app.http(post(json!({ "extensions": ext }))).await;
        assert!(body.contains("Kabupaten Sumedang"), "{body}");
        let uri = format!(
            "/graphql?extensions=%7B%22persistedQuery%22%3A%7B%22version%22%3A1%2C%22sha256Hash%22%3A%22{hash}%22%7D%7D"
        );
        let (status, body, _) = app
            .http(Request::get(uri).body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("Kabupaten Sumedang"));
        // A hash that does not match its query is refused.
        let bad = json!({ "persistedQuery": { "version": 1, "sha256Hash": "00" } });
        let (_, body, _) = app
            .http(post(json!({ "query": q, "extensions": bad })))
            .await;
        assert!(body.contains("BAD_USER_INPUT"), "{body}");
        app.close().await;
    }
);
