//! Bulk import and export: round trips, all-or-nothing, row reports.

use api::auth::Viewer;
use api::domain::bulk::{self, Format};

use crate::*;

scenario!(
    an_export_re_imports_to_the_same_data_in_csv_and_json,
    with_demo,
    |app| async move {
        let target = TestApp::spawn(app.backend).await.unwrap();
        for format in [Format::Csv, Format::Json] {
            let practices =
                bulk::render_practices(&bulk::export_practices(&app.db).await.unwrap(), format)
                    .unwrap();
            let agreements =
                bulk::render_agreements(&bulk::export_agreements(&app.db).await.unwrap(), format)
                    .unwrap();
            let fresh = TestApp::spawn(app.backend).await.unwrap();
            let r = bulk::import_practices(
                &fresh.db,
                &Viewer::Operator,
                bulk::parse_practices(&practices, format).unwrap(),
                false,
                |_| {},
            )
            .await
            .unwrap();
            assert_eq!(
                (r.created, r.errors.len(), r.committed),
                (6, 0, true),
                "{r:?}"
            );
            let r = bulk::import_agreements(
                &fresh.db,
                &Viewer::Operator,
                bulk::parse_agreements(&agreements, format).unwrap(),
                false,
                |_| {},
            )
            .await
            .unwrap();
            assert_eq!((r.created, r.errors.len()), (9, 0), "{r:?}");
            assert_eq!(
                bulk::render_practices(&bulk::export_practices(&fresh.db).await.unwrap(), format)
                    .unwrap(),
                practices
            );
            assert_eq!(
                bulk::render_agreements(&bulk::export_agreements(&fresh.db).await.unwrap(), format)
                    .unwrap(),
                agreements
            );
            // Importing the same file again changes nothing.
            let r = bulk::import_practices(
                &fresh.db,
                &Viewer::Operator,
                bulk::parse_practices(&practices, format).unwrap(),
                false,
                |_| {},
            )
            .await
            .unwrap();
            assert_eq!((r.created, r.updated, r.unchanged), (0, 0, 6));
            // The imported data answers queries like the original.
            let d = fresh.data(r#"{ region(code: "32") { stats { agreementsByPartnerCategory { otherProvinces outsideProvince } } } }"#).await;
            assert_eq!(
                d["region"]["stats"]["agreementsByPartnerCategory"],
                json!({ "otherProvinces": 2, "outsideProvince": 4 })
            );
            fresh.close().await;
        }
        target.close().await;
        app.close().await;
    }
);

const BAD_CSV: &str = "id,slug,title,summary,description,owner_region_code,sectors,form,is_digital,maturity,status,last_verified_on,year_started,looking_for_adopters,contact,links,lessons_learned,outcomes
,,Mal Pelayanan Publik,Satu gedung untuk semua layanan,,32.73,public_service,public_service,true,applied,active,,2019,ya,,,,
,,Tanpa wilayah,Ringkasan,,99.99,e_government,governance,,,,,,,,,,
,,,Judul kosong,,32.73,e_government,governance,,,,,,,,,,
,,Sektor asing,Ringkasan,,32.73,astrology,governance,,,,,,,,,,
";

scenario!(
    an_import_with_bad_rows_writes_nothing_and_reports_each_line,
    with_demo,
    |app| async move {
        let before = app.data("{ practices { totalCount } }").await;
        let r = bulk::import_practices(
            &app.db,
            &Viewer::Operator,
            bulk::parse_practices(BAD_CSV, Format::Csv).unwrap(),
            false,
            |_| {},
        )
        .await
        .unwrap();
        assert!(!r.committed);
        let lines: Vec<usize> = r.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 5], "{r:?}");
        assert_eq!(r.errors[0].field.as_deref(), Some("ownerRegionCode"));
        assert_eq!(r.errors[1].field.as_deref(), Some("title"));
        assert!(r.errors[2].message.contains("astrology"));
        assert_eq!(
            app.data("{ practices { totalCount } }").await,
            before,
            "nothing was written"
        );

        // Only the good row, as a dry run: reported, not written.
        let good: String = BAD_CSV.lines().take(2).map(|l| format!("{l}\n")).collect();
        let r = bulk::import_practices(
            &app.db,
            &Viewer::Operator,
            bulk::parse_practices(&good, Format::Csv).unwrap(),
            true,
            |_| {},
        )
        .await
        .unwrap();
        assert_eq!((r.created, r.committed, r.dry_run), (1, false, true));
        assert_eq!(app.data("{ practices { totalCount } }").await, before);
        // Wrong columns are refused as a whole.
        assert!(bulk::parse_practices("title,summary\nx,y\n", Format::Csv).is_err());
        app.close().await;
    }
);

scenario!(
    admins_import_through_graphql_and_editors_may_not,
    with_demo,
    |app| async move {
        let q = r#"mutation ($c: String!) { importPractices(input: { format: CSV, content: $c }) { rows created committed errors { line message } } }"#;
        let good: String = BAD_CSV.lines().take(2).map(|l| format!("{l}\n")).collect();
        let editor = app.token("editor", Some("32.73")).await;
        expect_error(
            &app.query_as(&editor, q, json!({ "c": good })).await,
            "FORBIDDEN",
        );
        let admin = app.token("admin", None).await;
        let d = app.data_as(&admin, q, json!({ "c": good })).await;
        assert_eq!(
            d["importPractices"],
            json!({ "rows": 1, "created": 1, "committed": true, "errors": [] })
        );
        let d = app.data_as(&admin, q, json!({ "c": BAD_CSV })).await;
        assert_eq!(d["importPractices"]["committed"], false);
        assert_eq!(
            d["importPractices"]["errors"].as_array().map(Vec::len),
            Some(3)
        );
        app.close().await;
    }
);
