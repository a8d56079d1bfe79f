//! GraphQL over HTTP, by the specification: media types, status codes,
//! malformed requests, mutations over GET.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::*;

const GQL_RESPONSE: &str = "application/graphql-response+json";

fn post(accept: Option<&str>, ctype: Option<&str>, body: &str) -> Request<Body> {
    let mut b = Request::post("/graphql");
    if let Some(a) = accept {
        b = b.header("accept", a);
    }
    if let Some(c) = ctype {
        b = b.header("content-type", c);
    }
    b.body(Body::from(body.to_owned())).unwrap()
}

scenario!(
    request_errors_answer_400_without_data_under_graphql_response_json,
    spawn,
    |app| async move {
        let (status, body, ctype) = app
            .http(post(
                Some(GQL_RESPONSE),
                Some("application/json"),
                r#"{"query":"{ regions { nope } }"}"#,
            ))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(ctype.unwrap().starts_with(GQL_RESPONSE));
        let v: Value = serde_json::from_str(&body).unwrap();
        assert!(v.get("data").is_none(), "{v}");
        assert_eq!(
            v["errors"][0]["extensions"]["code"],
            "GRAPHQL_VALIDATION_FAILED"
        );
        // The same under application/json: 200, still no data.
        let (status, body, ctype) = app
            .http(post(
                Some("application/json"),
                Some("application/json"),
                r#"{"query":"{ regions { nope } }"}"#,
            ))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(ctype.unwrap().starts_with("application/json"));
        // A field error executed: 200 with data under both.
        let (status, body, _) = app
            .http(post(
                Some(GQL_RESPONSE),
                Some("application/json"),
                r#"{"query":"{ region(code: \"bad\") { name } }"}"#,
            ))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(
            serde_json::from_str::<Value>(&body)
                .unwrap()
                .get("data")
                .is_some()
        );
        app.close().await;
    }
);

scenario!(
    malformed_requests_get_graphql_shaped_json_errors,
    spawn,
    |app| async move {
        for (ctype, body, want) in [
            (
                None,
                r#"{"query":"{ regions { totalCount } }"}"#,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ),
            (
                Some("text/plain"),
                r#"{"query":"{ regions { totalCount } }"}"#,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ),
            (
                Some("application/json"),
                "{not json",
                StatusCode::BAD_REQUEST,
            ),
            (Some("application/json"), "[]", StatusCode::BAD_REQUEST),
            (
                Some("application/json"),
                r#"{"variables":{}}"#,
                StatusCode::BAD_REQUEST,
            ),
            (
                Some("application/json"),
                r#"{"query":1}"#,
                StatusCode::BAD_REQUEST,
            ),
            (
                Some("application/json"),
                r#"{"query":"{ regions { totalCount } }","variables":"x"}"#,
                StatusCode::BAD_REQUEST,
            ),
            (
                Some("application/json"),
                r#"{"query":"{ regions { totalCount } }","operationName":3}"#,
                StatusCode::BAD_REQUEST,
            ),
            (
                Some("application/json"),
                r#"{"query":"{ regions { totalCount } }","extensions":[]}"#,
                StatusCode::BAD_REQUEST,
            ),
        ] {
            let (status, body, ctype_out) = app.http(post(None, ctype, body)).await;
            assert_eq!(status, want, "{ctype:?} {body}");
            let v: Value =
                serde_json::from_str(&body).unwrap_or_else(|_| panic!("not JSON: {body}"));
            assert!(
                v["errors"][0]["message"].is_string()
                    && v["errors"][0]["extensions"]["code"].is_string(),
                "{v}"
            );
            assert!(ctype_out.unwrap().contains("json"));
        }
        let (status, _, _) = app
            .http(post(
                Some("text/html"),
                Some("application/json"),
                r#"{"query":"{ regions { totalCount } }"}"#,
            ))
            .await;
        assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
        // A charset parameter is fine.
        let (status, _, _) = app
            .http(post(
                None,
                Some("application/json; charset=utf-8"),
                r#"{"query":"{ regions { totalCount } }"}"#,
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
        app.close().await;
    }
);

scenario!(
    get_runs_queries_with_json_variables_and_refuses_mutations,
    spawn,
    |app| async move {
        let uri = "/graphql?query=query%20(%24c%3A%20ID!)%20%7B%20region(code%3A%20%24c)%20%7B%20name%20%7D%20%7D&variables=%7B%22c%22%3A%2232.11%22%7D";
        let (status, body, _) = app
            .http(Request::get(uri).body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("Kabupaten Sumedang"));
        let uri = "/graphql?query=mutation%20%7B%20verifyPractice(input%3A%20%7Bid%3A%20%22x%22%2C%20version%3A%201%7D)%20%7B%20practice%20%7B%20id%20%7D%20%7D%20%7D";
        let req = Request::get(uri)
            .header("accept", GQL_RESPONSE)
            .body(Body::empty())
            .unwrap();
        let resp = tower::ServiceExt::oneshot(api::app(app.state.clone()), req)
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(resp.headers().get("allow").unwrap(), "POST");
        let (status, _, _) = app
            .http(Request::get("/graphql").body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "no query");
        app.close().await;
    }
);
