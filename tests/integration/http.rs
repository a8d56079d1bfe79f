//! The HTTP surface, in process (tower `oneshot`) and on a real port.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

use crate::*;

scenario!(
    graphql_over_http_post_and_get_answer_json,
    with_demo,
    |app| async move {
        let (status, body) = app
            .post_graphql(r#"{ region(code: "32.73") { name } }"#)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["data"]["region"]["name"], "Kota Bandung");

        let req = Request::get(
            "/graphql?query=%7B%20region(code%3A%20%2232%22)%20%7B%20name%20%7D%20%7D",
        )
        .body(Body::empty())
        .unwrap();
        let (status, body, _) = app.http(req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("Jawa Barat"));
        app.close().await;
    }
);

scenario!(
    health_readiness_and_graphiql_are_served,
    spawn,
    |app| async move {
        let (status, body, _) = app
            .http(Request::get("/healthz").body(Body::empty()).unwrap())
            .await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
        let (status, body, _) = app
            .http(Request::get("/readyz").body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("ready"));
        let (status, body, ctype) = app
            .http(Request::get("/graphiql").body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(ctype.unwrap_or_default().starts_with("text/html"));
        assert!(body.contains("graphiql") || body.contains("GraphiQL"));
        // Every script and style comes from this server, none from a CDN.
        let refs: Vec<&str> = body
            .split(['"', '\''])
            .filter(|p| p.ends_with(".js") || p.ends_with(".css"))
            .collect();
        assert_eq!(refs.len(), 5, "{refs:?}");
        for r in &refs {
            assert!(r.starts_with("/assets/graphiql/"), "{r}");
            let (status, asset, ctype) = app
                .http(Request::get(*r).body(Body::empty()).unwrap())
                .await;
            assert_eq!(status, StatusCode::OK, "{r}");
            let ctype = ctype.unwrap_or_default();
            if r.ends_with(".js") {
                assert!(ctype.starts_with("text/javascript"), "{r}: {ctype}");
            } else {
                assert!(ctype.starts_with("text/css"), "{r}: {ctype}");
            }
            assert!(!asset.is_empty());
        }
        assert!(!body.contains("https://") && !body.contains("http://"));
        let (status, _, _) = app
            .http(
                Request::get("/assets/graphiql/../Cargo.toml")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        app.close().await;
    }
);

scenario!(
    readiness_reports_an_unreachable_database,
    spawn,
    |app| async move {
        app.db.clone().close().await.expect("close pool");
        let (status, body, _) = app
            .http(Request::get("/readyz").body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    }
);

scenario!(
    the_server_answers_on_a_real_port,
    with_demo,
    |app| async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = api::app(app.state.clone());
        let server = tokio::spawn(async move { axum::serve(listener, router).await });

        let body = r#"{"query":"{ practice(slug: \"sumedang-e-office\") { owner { name } } }"}"#;
        let request = format!(
            "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.contains("Kabupaten Sumedang"), "{response}");
        server.abort();
        app.close().await;
    }
);

scenario!(
    the_http_layer_authenticates_bearer_tokens_and_can_require_them_for_reads,
    with_demo,
    |app| async move {
        let post = |token: Option<&str>| {
            let mut b = Request::post("/graphql").header("content-type", "application/json");
            if let Some(t) = token {
                b = b.header("authorization", t);
            }
            b.body(Body::from(
                r#"{"query":"{ region(code: \"32\") { name } }"}"#,
            ))
            .unwrap()
        };
        let (status, body, _) = app.http(post(Some("Bearer bgr_unknown"))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
        let (status, _, _) = app.http(post(Some("Basic dXNlcjpwYXNz"))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let token = app.token("editor", Some("32.11")).await;
        let (status, body, _) = app.http(post(Some(&format!("Bearer {token}")))).await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let mut locked = app.state.clone();
        locked.require_token_for_reads = true;
        let resp = api::app(locked.clone()).oneshot(post(None)).await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
        let resp = api::app(locked)
            .oneshot(post(Some(&format!("Bearer {token}"))))
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        app.close().await;
    }
);

scenario!(
    the_bearer_scheme_is_required_in_any_case_on_graphql_and_ics,
    with_demo,
    |app| async move {
        let token = app.token("editor", Some("32.11")).await;
        let post = |auth: &str| {
            Request::post("/graphql")
                .header("content-type", "application/json")
                .header("authorization", auth)
                .body(Body::from(
                    r#"{"query":"{ region(code: \"32\") { name } }"}"#,
                ))
                .unwrap()
        };
        let (status, body, _) = app.http(post(&format!("bearer {token}"))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        for refused in [token.clone(), format!("Token {token}"), "Bearer ".into()] {
            let (status, body, _) = app.http(post(&refused)).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{refused}: {body}");
            let v: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(v["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
        }
        let ics = Request::get(
            "/visits/plan.ics?seeker=36.02&topic=e-office&from=2026-12-01&to=2026-12-02",
        )
        .header("authorization", token.as_str())
        .body(Body::empty())
        .unwrap();
        let (status, body, _) = app.http(ics).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        app.close().await;
    }
);

scenario!(
    the_websocket_endpoint_upgrades_with_graphql_transport_ws,
    spawn,
    |app| async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = api::app(app.state.clone());
        let server = tokio::spawn(async move { axum::serve(listener, router).await });
        let handshake = format!(
            "GET /graphql/ws HTTP/1.1\r\nHost: {addr}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n"
        );
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.write_all(handshake.as_bytes()).await.unwrap();
        let mut buf = vec![0u8; 1024];
        let n = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        let head = String::from_utf8_lossy(&buf[..n]).to_lowercase();
        assert!(head.starts_with("http/1.1 101"), "{head}");
        assert!(
            head.contains("sec-websocket-protocol: graphql-transport-ws"),
            "{head}"
        );
        server.abort();
        app.close().await;
    }
);

scenario!(
    metrics_count_operations_latency_errors_and_pool_use,
    spawn,
    |app| async move {
        let post = |body: &str| {
            Request::post("/graphql")
                .header("content-type", "application/json")
                .body(Body::from(body.to_owned()))
                .unwrap()
        };
        let router = api::app(app.state.clone());
        for _ in 0..2 {
            router.clone().oneshot(post(r#"{"query":"query RegionCount { regions { totalCount } }","operationName":"RegionCount"}"#)).await.unwrap();
        }
        router
            .clone()
            .oneshot(post(
                r#"{"query":"{ regions(first: 1000) { totalCount } }"}"#,
            ))
            .await
            .unwrap();
        let resp = router
            .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert!(
            resp.headers()
                .get("content-type")
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("text/plain")
        );
        let body = String::from_utf8(
            http_body_util::BodyExt::collect(resp.into_body())
                .await
                .unwrap()
                .to_bytes()
                .to_vec(),
        )
        .unwrap();
        assert!(
            body.contains("berguru_graphql_requests_total{operation=\"RegionCount\"} 2"),
            "{body}"
        );
        assert!(
            body.contains("berguru_graphql_requests_total{operation=\"anonymous\"} 1"),
            "{body}"
        );
        // The second RegionCount came from the response cache.
        assert!(
            body.contains("berguru_response_cache_hits_total 1"),
            "{body}"
        );
        assert!(
            body.contains(
                "berguru_graphql_request_duration_seconds_count{operation=\"RegionCount\"} 2"
            ),
            "{body}"
        );
        assert!(
            body.contains("berguru_graphql_errors_total{code=\"BAD_USER_INPUT\"} 1"),
            "{body}"
        );
        assert!(
            body.contains("berguru_db_pool_connections{state=\"open\"}"),
            "{body}"
        );
        assert!(body.contains("berguru_search_outbox_backlog 0"), "{body}");
        app.close().await;
    }
);
