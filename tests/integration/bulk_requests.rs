//! Bulk import and export of learning requests and work-plan indicators
//! (issue 16: what a province keeps in a spreadsheet): all or nothing,
//! every bad row named by line and field, round trips in CSV and JSON,
//! admins only through GraphQL. Both databases.

use api::auth::Viewer;
use api::domain::bulk::Format;
use api::domain::bulk::requests as bulk;

use crate::*;

const REQUESTS_CSV: &str = "id,region_code,topic,sectors,problem,objectives,preferred_from,preferred_to,budget_min_idr,budget_max_idr,contact_agency,practice_ids
,36.02,Administrasi perkantoran elektronik,E_GOVERNMENT,Surat masih di atas kertas,Alur naskah dinas|Regulasi e-Office,2027-03-01,2027-03-31,50000000,150000000,Diskominfo Kabupaten Lebak,00000000-de70-4000-8000-000000000101
,36.01,Puskesmas keliling,health,,Layanan kesehatan daerah terpencil,,,,,Dinas Kesehatan Kabupaten Pandeglang,
";

const IMPORT_REQUESTS: &str = r#"mutation ($c: String!, $f: ImportFormat!, $dry: Boolean! = false) {
  importLearningRequests(input: { format: $f, content: $c, dryRun: $dry }) { rows created unchanged committed errors { line field message } } }"#;
const IMPORT_INDICATORS: &str = r#"mutation ($c: String!) {
  importWorkPlanIndicators(input: { format: CSV, content: $c }) { rows created committed errors { line field message } } }"#;

async fn request_count(app: &TestApp) -> i64 {
    app.data(r#"{ learningRequests(first: 100) { totalCount } }"#)
        .await["learningRequests"]["totalCount"]
        .as_i64()
        .unwrap()
}

scenario!(
    learning_requests_import_all_or_nothing_and_round_trip,
    with_demo,
    |app| async move {
        let admin = app.token("admin", None).await;
        let lebak = app.token("editor", Some("36.02")).await;
        let before = request_count(&app).await;

        // Two bad rows: an unknown sector, an empty topic. Nothing written.
        let bad = REQUESTS_CSV
            .replace("E_GOVERNMENT,", "E_GOVERMENT,")
            .replace(",36.01,Puskesmas keliling,", ",36.01,  ,");
        let d = app
            .data_as(&admin, IMPORT_REQUESTS, json!({ "c": bad, "f": "CSV" }))
            .await;
        let r = &d["importLearningRequests"];
        assert_eq!(r["committed"], false, "{r:#}");
        let errors: Vec<(i64, String)> = r["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["line"].as_i64().unwrap(),
                    e["field"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        assert_eq!(
            errors,
            [(2, "sectors".to_owned()), (3, "topic".to_owned())],
            "{r:#}"
        );
        assert_eq!(request_count(&app).await, before);

        // A dry run of the good file writes nothing either; then it imports.
        let d = app
            .data_as(
                &admin,
                IMPORT_REQUESTS,
                json!({ "c": REQUESTS_CSV, "f": "CSV", "dry": true }),
            )
            .await;
        assert_eq!(d["importLearningRequests"]["created"], 2);
        assert_eq!(d["importLearningRequests"]["committed"], false);
        assert_eq!(request_count(&app).await, before);
        let d = app
            .data_as(
                &admin,
                IMPORT_REQUESTS,
                json!({ "c": REQUESTS_CSV, "f": "CSV" }),
            )
            .await;
        assert_eq!(d["importLearningRequests"]["committed"], true, "{d:#}");
        assert_eq!(request_count(&app).await, before + 2);
        let d = app
            .data(r#"{ learningRequests(filter: { regionCode: "36.02" }, first: 5) { nodes { topic sectors objectives budgetMaxIdr practicesInMind { slug } } } }"#)
            .await;
        let lebak_request = &d["learningRequests"]["nodes"][0];
        assert_eq!(lebak_request["sectors"], json!(["E_GOVERNMENT"]), "{d:#}");
        assert_eq!(
            lebak_request["objectives"],
            json!(["Alur naskah dinas", "Regulasi e-Office"])
        );
        assert_eq!(lebak_request["budgetMaxIdr"], 150000000);

        // The export re-imports unchanged, in CSV and JSON.
        for format in [Format::Csv, Format::Json] {
            let text =
                bulk::render_requests(&bulk::export_requests(&app.db, None).await.unwrap(), format)
                    .unwrap();
            let r = bulk::import_requests(
                &app.db,
                &Viewer::Operator,
                bulk::parse_requests(&text, format).unwrap(),
                false,
                |_| {},
            )
            .await
            .unwrap();
            assert_eq!(
                (r.created, r.unchanged, r.errors.len()),
                (0, 2, 0),
                "{format:?} {r:?}\n{text}"
            );
        }
        // A changed row with an existing id is refused on `id`.
        let mut records = bulk::export_requests(&app.db, Some("36.02")).await.unwrap();
        records[0].topic = "Topik lain".into();
        let text = bulk::render_requests(&records, Format::Json).unwrap();
        let d = app
            .data_as(&admin, IMPORT_REQUESTS, json!({ "c": text, "f": "JSON" }))
            .await;
        assert_eq!(
            d["importLearningRequests"]["errors"][0]["field"], "id",
            "{d:#}"
        );
        // Imports are for admins.
        expect_error(
            &app.query_as(
                &lebak,
                IMPORT_REQUESTS,
                json!({ "c": REQUESTS_CSV, "f": "CSV" }),
            )
            .await,
            "FORBIDDEN",
        );
        app.close().await;
    }
);

scenario!(
    work_plan_indicators_import_into_their_agreements,
    with_demo,
    |app| async move {
        let admin = app.token("admin", None).await;
        let d = app
            .data_as(
                &admin,
                r#"mutation { createAgreement(input: { title: "PKS e-Office Lebak", kind: PERJANJIAN_KERJA_SAMA, category: BETWEEN_REGIONS, parties: [{ regionCode: "36.02" }, { regionCode: "32.11" }] }) { agreement { id } } }"#,
                json!({}),
            )
            .await;
        let pks = d["createAgreement"]["agreement"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let header = "agreement_id,name,unit,baseline,target,target_date";
        let bad = format!(
            "{header}\n{pks},Surat bertanda tangan elektronik,%,10,80,31-12-2027\n00000000-0000-4000-8000-00000000dead,Waktu kirim surat,hari,3,1,2027-12-31\n"
        );
        let d = app
            .data_as(&admin, IMPORT_INDICATORS, json!({ "c": bad }))
            .await;
        let r = &d["importWorkPlanIndicators"];
        assert_eq!(r["committed"], false);
        assert_eq!(r["errors"][0]["line"], 2, "{r:#}");
        assert_eq!(r["errors"][0]["field"], "target_date");
        assert_eq!(r["errors"][1]["line"], 3);
        assert!(
            r["errors"][1]["message"]
                .as_str()
                .unwrap()
                .starts_with("NOT_FOUND"),
            "{r:#}"
        );
        let good = format!(
            "{header}\n{pks},Surat bertanda tangan elektronik,%,10,80,2027-12-31\n{pks},Waktu pengiriman surat antar-OPD,hari,3,1,2027-12-31\n"
        );
        let d = app
            .data_as(&admin, IMPORT_INDICATORS, json!({ "c": good }))
            .await;
        assert_eq!(d["importWorkPlanIndicators"]["created"], 2, "{d:#}");
        assert_eq!(d["importWorkPlanIndicators"]["committed"], true);
        let d = app
            .data(&format!(r#"{{ agreement(id: "{pks}") {{ indicators {{ name unit baseline target targetDate higherIsBetter }} }} }}"#))
            .await;
        let ind = d["agreement"]["indicators"].as_array().unwrap();
        assert_eq!(ind.len(), 2);
        assert_eq!(ind[1]["higherIsBetter"], false);
        // The export holds them, in order, and reads back.
        let exported = bulk::export_indicators(&app.db).await.unwrap();
        let mine: Vec<_> = exported
            .iter()
            .filter(|i| i.agreement_id.to_string() == pks)
            .collect();
        assert_eq!(mine.len(), 2);
        assert_eq!(mine[0].name, "Surat bertanda tangan elektronik");
        let csv = bulk::render_indicators(&exported, Format::Csv).unwrap();
        let parsed = bulk::parse_indicators(&csv, Format::Csv).unwrap();
        assert!(parsed.iter().all(|(_, r)| r.is_ok()));
        assert_eq!(parsed.len(), exported.len());
        app.close().await;
    }
);
