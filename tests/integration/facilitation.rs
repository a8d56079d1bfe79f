//! Facilitation requests (issue 16, the KERABAT case): an agency of Kota
//! Padang (13.71) asks Sumatera Barat's cooperation bureau (province 13)
//! for help drafting a cooperation; the province's admin assigns, answers
//! and closes it, every step kept; who may do what; illegal moves name the
//! allowed ones; the queue, the statistics and a webhook. Example data of
//! the test's own, not the demo's. Both databases.

use crate::webhooks::{Receiver, config, deliver_until, register, verify};
use crate::*;

const SUBMIT: &str = r#"mutation ($in: SubmitFacilitationRequestInput!) {
  submitFacilitationRequest(input: $in) { request { id status version region { code } province { code }
    agency kind subject allowedNext steps { status actor note on } } } }"#;
const ADVANCE: &str = r#"mutation ($in: AdvanceFacilitationRequestInput!) {
  advanceFacilitationRequest(input: $in) { request { id status version assignee answer closedOn allowedNext
    steps { status actor note } } } }"#;
const QUEUE: &str =
    r#"query ($f: FacilitationFilter!) { facilitationRequests(filter: $f) { id status subject } }"#;

fn padang_request(subject: &str) -> Value {
    json!({ "in": { "regionCode": "13.71", "agency": "Bagian Kerja Sama Setda Kota Padang",
        "kind": "DRAFTING", "subject": subject,
        "description": "Contoh: bantuan menyusun rancangan Kesepakatan Bersama" } })
}

fn advance(id: &Value, version: i64, to: &str) -> Value {
    json!({ "in": { "id": id, "version": version, "to": to } })
}

scenario!(
    a_province_bureau_handles_a_facilitation_request_step_by_step,
    with_demo,
    |app| async move {
        let padang = app.token("editor", Some("13.71")).await;
        let sumbar = app.token("admin", Some("13")).await;
        let jabar = app.token("admin", Some("32")).await;
        let bandung = app.token("editor", Some("32.73")).await;
        let rx = Receiver::start("127.0.0.1:0".parse().unwrap()).await;
        let (_, secret) = register(
            &app,
            &sumbar,
            "13",
            &rx.url(),
            json!(["FACILITATION_CHANGED"]),
        )
        .await;

        // Submitted by Padang: in Sumatera Barat's queue.
        let d = app
            .data_as(
                &padang,
                SUBMIT,
                padang_request("Kerja sama pengelolaan sampah dengan Kota Bukittinggi"),
            )
            .await;
        let r = d["submitFacilitationRequest"]["request"].clone();
        let id = r["id"].clone();
        assert_eq!(r["status"], "SUBMITTED");
        assert_eq!(r["province"]["code"], "13");
        assert_eq!(r["allowedNext"], json!(["ASSIGNED", "CLOSED", "WITHDRAWN"]));
        assert_eq!(r["steps"][0]["actor"], "editor 13.71");
        // Another region's editor may not submit for Padang.
        expect_error(
            &app.query_as(&bandung, SUBMIT, padang_request("x")).await,
            "FORBIDDEN",
        );
        let q = app
            .data_as(&sumbar, QUEUE, json!({ "f": { "provinceCode": "13" } }))
            .await;
        assert_eq!(
            q["facilitationRequests"].as_array().unwrap().len(),
            1,
            "{q:#}"
        );

        // Only the bureau assigns: not the requester, not another province.
        for t in [&padang, &jabar] {
            let mut v = advance(&id, 1, "ASSIGNED");
            v["in"]["assignee"] = json!("Kabag Kerja Sama");
            expect_error(&app.query_as(t, ADVANCE, v).await, "FORBIDDEN");
        }
        // Assigning names who; without, the field is named.
        let e = expect_error(
            &app.query_as(&sumbar, ADVANCE, advance(&id, 1, "ASSIGNED"))
                .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "assignee");
        let mut v = advance(&id, 1, "ASSIGNED");
        v["in"]["assignee"] = json!("Kabag Kerja Sama Biro Pemerintahan");
        v["in"]["note"] = json!("Ditangani TKKSD provinsi");
        let d = app.data_as(&sumbar, ADVANCE, v).await;
        let r = &d["advanceFacilitationRequest"]["request"];
        assert_eq!(r["status"], "ASSIGNED");
        assert_eq!(r["version"], 2);
        // A stale version is CONFLICT.
        let mut v = advance(&id, 1, "ANSWERED");
        v["in"]["answer"] = json!("x");
        expect_error(&app.query_as(&sumbar, ADVANCE, v).await, "CONFLICT");

        // Answered; the requester may no longer withdraw, and the error
        // names the allowed moves.
        let mut v = advance(&id, 2, "ANSWERED");
        v["in"]["answer"] =
            json!("Rancangan KB terlampir; jadwalkan pembahasan dengan Bukittinggi");
        let d = app.data_as(&sumbar, ADVANCE, v).await;
        assert_eq!(
            d["advanceFacilitationRequest"]["request"]["allowedNext"],
            json!(["ASSIGNED", "CLOSED"])
        );
        let e = expect_error(
            &app.query_as(&padang, ADVANCE, advance(&id, 3, "WITHDRAWN"))
                .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "to");
        let msg = e["message"].as_str().unwrap();
        assert!(
            msg.contains("ANSWERED") && msg.contains("ASSIGNED, CLOSED"),
            "{msg}"
        );

        // Closed: settled, every step kept with actor and note.
        let mut v = advance(&id, 3, "CLOSED");
        v["in"]["note"] = json!("KB ditandatangani");
        let d = app.data_as(&sumbar, ADVANCE, v).await;
        let r = &d["advanceFacilitationRequest"]["request"];
        assert_eq!(r["status"], "CLOSED");
        assert_eq!(r["closedOn"], chrono::Utc::now().date_naive().to_string());
        assert_eq!(r["allowedNext"], json!([]));
        let steps: Vec<(String, String)> = r["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["status"].as_str().unwrap().to_owned(),
                    s["actor"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            steps,
            [
                ("SUBMITTED".to_owned(), "editor 13.71".to_owned()),
                ("ASSIGNED".into(), "admin 13".into()),
                ("ANSWERED".into(), "admin 13".into()),
                ("CLOSED".into(), "admin 13".into()),
            ]
        );
        assert_eq!(r["steps"][3]["note"], "KB ditandatangani");
        expect_error(
            &app.query_as(&sumbar, ADVANCE, advance(&id, 4, "ASSIGNED"))
                .await,
            "BAD_USER_INPUT",
        );

        // A second request, withdrawn by Padang before it is answered.
        let d = app
            .data_as(
                &padang,
                SUBMIT,
                padang_request("Telaah hukum PKS pariwisata"),
            )
            .await;
        let second = d["submitFacilitationRequest"]["request"]["id"].clone();
        app.data_as(&padang, ADVANCE, advance(&second, 1, "WITHDRAWN"))
            .await;

        // The queue holds open requests by default; closed ones on asking.
        let q = app
            .data_as(&sumbar, QUEUE, json!({ "f": { "provinceCode": "13" } }))
            .await;
        assert_eq!(q["facilitationRequests"], json!([]));
        let q = app
            .data_as(
                &sumbar,
                QUEUE,
                json!({ "f": { "provinceCode": "13", "statuses": ["CLOSED", "WITHDRAWN"] } }),
            )
            .await;
        assert_eq!(q["facilitationRequests"].as_array().unwrap().len(), 2);
        let q = app
            .data_as(
                &padang,
                QUEUE,
                json!({ "f": { "regionCode": "13.71", "statuses": ["CLOSED"] } }),
            )
            .await;
        assert_eq!(q["facilitationRequests"][0]["id"], id);
        // Who may read: not Padang for the province's queue, not Jawa
        // Barat's admin, not another region's editor, not anonymous.
        expect_error(
            &app.query_as(&padang, QUEUE, json!({ "f": { "provinceCode": "13" } }))
                .await,
            "FORBIDDEN",
        );
        expect_error(
            &app.query_as(&jabar, QUEUE, json!({ "f": { "provinceCode": "13" } }))
                .await,
            "FORBIDDEN",
        );
        expect_error(
            &app.query_as(
                &bandung,
                r#"query ($id: ID!) { facilitationRequest(id: $id) { id } }"#,
                json!({ "id": id }),
            )
            .await,
            "FORBIDDEN",
        );
        expect_error(
            &app.query_with(QUEUE, json!({ "f": { "provinceCode": "13" } }))
                .await,
            "UNAUTHENTICATED",
        );
        expect_error(
            &app.query_as(&sumbar, QUEUE, json!({ "f": {} })).await,
            "BAD_USER_INPUT",
        );

        // The province's statistics count them by status.
        let s = app
            .data(r#"{ cooperationStats(region: "13") { facilitation { submitted assigned answered closed withdrawn } } }"#)
            .await;
        assert_eq!(
            s["cooperationStats"]["facilitation"],
            json!({ "submitted": 0, "assigned": 0, "answered": 0, "closed": 1, "withdrawn": 1 })
        );

        // The bureau's webhook heard every step of both, signed.
        let cfg = config(3_600);
        deliver_until(&app, &rx, &cfg, 6).await;
        let got = rx.received();
        assert_eq!(
            got.len(),
            6,
            "2 submissions, 3 moves of the first, 1 of the second: {got:#?}"
        );
        for r in &got {
            let b = verify(r, &secret);
            assert_eq!(b["event"], "FACILITATION_CHANGED");
            assert_eq!(b["regionCodes"], json!(["13", "13.71"]));
        }
        app.close().await;
    }
);
