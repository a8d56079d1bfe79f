//! Errors: stable codes, and no internals reaching the client.

use crate::*;
use sea_orm::ConnectionTrait;

scenario!(
    a_database_failure_reaches_the_client_only_as_internal_error,
    with_demo,
    |app| async move {
        app.db
            .execute_unprepared("DROP TABLE outcomes")
            .await
            .expect("drop");
        let resp = app
            .query(r#"{ practice(slug: "jabar-desa-digital") { title outcomes { metric } } }"#)
            .await;
        let e = expect_error(&resp, "INTERNAL_SERVER_ERROR");
        assert_eq!(e["message"], "Internal error");
        assert!(e["extensions"]["errorId"].is_string());
        let text = resp.to_string().to_lowercase();
        for leak in [
            "no such table",
            "does not exist",
            "select ",
            "sqlx",
            "dberr",
        ] {
            assert!(
                !text.contains(leak),
                "internal detail {leak:?} leaked: {text}"
            );
        }
        app.close().await;
    }
);

scenario!(
    page_size_over_the_maximum_is_bad_input_naming_the_limit,
    spawn,
    |app| async move {
        let e = expect_error(
            &app.query("{ regions(first: 101) { totalCount } }").await,
            "BAD_USER_INPUT",
        );
        assert!(e["message"].as_str().unwrap().contains("100"));
        assert_eq!(e["extensions"]["field"], "first");
        expect_error(
            &app.query("{ regions(first: -1) { totalCount } }").await,
            "BAD_USER_INPUT",
        );
        expect_error(
            &app.query(r#"{ regions(after: "garbage") { totalCount } }"#)
                .await,
            "BAD_USER_INPUT",
        );
        app.close().await;
    }
);

scenario!(
    queries_deeper_than_the_limit_are_refused_with_a_code,
    spawn,
    |app| async move {
        // region > province > subRegions > province > ... : 14 levels.
        let mut q = String::from("code");
        for i in 0..13 {
            q = if i % 2 == 0 {
                format!("province {{ {q} }}")
            } else {
                format!("subRegions {{ {q} }}")
            };
        }
        let resp = app
            .query(&format!(r#"{{ region(code: "32.11") {{ {q} }} }}"#))
            .await;
        let e = expect_error(&resp, "QUERY_TOO_DEEP");
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("at most 12"),
            "{resp:#}"
        );
        app.close().await;
    }
);

scenario!(
    syntax_errors_and_bad_argument_values_carry_codes,
    spawn,
    |app| async move {
        expect_error(&app.query("{ regions { ").await, "GRAPHQL_PARSE_FAILED");
        expect_error(
            &app.query("{ regions { nope } }").await,
            "GRAPHQL_VALIDATION_FAILED",
        );
        let e = expect_error(
            &app.query(r#"{ agreements(filter: { signedFrom: "5 Feb 2024" }) { totalCount } }"#)
                .await,
            "BAD_USER_INPUT",
        );
        assert!(e["message"].as_str().unwrap().contains("2024-02-05"), "{e}");
        app.close().await;
    }
);

scenario!(
    an_unknown_operation_name_is_a_validation_error_with_a_code,
    spawn,
    |app| async move {
        let req = axum::http::Request::post("/graphql")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(
                json!({ "query": "query A { regions { totalCount } }", "operationName": "B" })
                    .to_string(),
            ))
            .unwrap();
        let (_, body, _) = app.http(req).await;
        let v: Value = serde_json::from_str(&body).unwrap();
        expect_error(&v, "GRAPHQL_VALIDATION_FAILED");
        app.close().await;
    }
);
