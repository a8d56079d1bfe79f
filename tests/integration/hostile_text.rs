//! Text holding the NUL character (U+0000), which PostgreSQL refuses in any
//! text column: refused as `BAD_USER_INPUT` naming the argument, variable
//! or import column, on both databases alike, before anything runs.

use api::auth::Viewer;
use api::domain::bulk::{self, Format};

use super::*;

fn refused(resp: &Value, field: &str) {
    let e = expect_error(resp, "BAD_USER_INPUT");
    assert_eq!(e["extensions"]["field"], field, "{resp:#}");
    assert!(
        e["message"].as_str().unwrap().contains("U+0000"),
        "{resp:#}"
    );
}

scenario!(
    nul_in_text_is_refused_as_bad_input_on_every_path,
    with_demo,
    |app| async move {
        // A read argument, inline and as a variable.
        refused(
            &app.query(r#"{ practice(slug: "\u0000") { id } }"#).await,
            "slug",
        );
        refused(
            &app.query_with(
                "query ($s: String!) { practice(slug: $s) { id } }",
                json!({ "s": "e-office\u{0}" }),
            )
            .await,
            "s",
        );
        // Text for the search engine.
        refused(
            &app.query(r#"{ searchPractices(query: "kesehatan\u0000") { totalCount } }"#)
                .await,
            "query",
        );
        // Inside an input object.
        let before = app.data("{ practices { totalCount } }").await;
        let editor = app.token("editor", Some("32.11")).await;
        refused(
            &app.query_as(
                &editor,
                r#"mutation ($code: String!) { createPractice(input: { title: "Satu", summary: "x", ownerRegionCode: $code, sectors: [HEALTH], form: OTHER }) { practice { id } } }"#,
                json!({ "code": "32.11\u{0}" }),
            )
            .await,
            "code",
        );
        refused(
            &app.query_as(
                &editor,
                r#"mutation { createPractice(input: { title: "Satu", summary: "x\u0000", ownerRegionCode: "32.11", sectors: [HEALTH], form: OTHER }) { practice { id } } }"#,
                json!({}),
            )
            .await,
            "input",
        );
        // An import row (as `berguru import` reads a file): the line and the
        // column are named, and nothing is written.
        let csv = format!(
            "{}\n,,Baik,Ringkasan,,32.11,e_government,governance,,,,,,,,,,\n,,Judul{}buruk,Ringkasan,,32.11,e_government,governance,,,,,,,,,,\n",
            bulk::PRACTICE_COLUMNS.join(","),
            '\u{0}'
        );
        let r = bulk::import_practices(
            &app.db,
            &Viewer::Operator,
            bulk::parse_practices(&csv, Format::Csv).unwrap(),
            false,
            |_| {},
        )
        .await
        .unwrap();
        assert!(!r.committed);
        assert_eq!(r.errors.len(), 1, "{r:?}");
        assert_eq!(r.errors[0].line, 3);
        assert_eq!(r.errors[0].field.as_deref(), Some("title"));
        let json = r#"[{"title": "Judul", "summary": "x\u0000", "owner_region_code": "32.11", "sectors": ["e_government"], "form": "governance"}]"#;
        let rows = bulk::parse_practices(json, Format::Json).unwrap();
        let r = bulk::import_practices(&app.db, &Viewer::Operator, rows, false, |_| {})
            .await
            .unwrap();
        assert_eq!(r.errors[0].field.as_deref(), Some("summary"), "{r:?}");
        // The same file through GraphQL: the gate names the variable.
        let admin = app.token("admin", None).await;
        refused(
            &app.query_as(
                &admin,
                r#"mutation ($c: String!) { importPractices(input: { format: CSV, content: $c }) { committed } }"#,
                json!({ "c": csv }),
            )
            .await,
            "c",
        );
        assert_eq!(app.data("{ practices { totalCount } }").await, before);
        app.close().await;
    }
);
