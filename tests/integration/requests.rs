//! Learning requests and expressions of interest (issue 16, first slice):
//! Lebak (36.02) asks to learn electronic office administration, Sumedang
//! (32.11) offers its e-Office, Lebak accepts and a visit is drafted, the
//! request is closed as fulfilled; who may do what; versions; bad input.

use crate::*;

const E_OFFICE: &str = "00000000-de70-4000-8000-000000000101";
const BANDUNG_SMART_CITY: &str = "00000000-de70-4000-8000-000000000102";

const POST: &str = r#"mutation ($input: PostLearningRequestInput!) {
  postLearningRequest(input: $input) { request { id status version topic sectors objectives
    preferredFrom preferredTo budgetMinIdr budgetMaxIdr contactAgency region { code } } } }"#;
const UPDATE: &str = r#"mutation ($input: UpdateLearningRequestInput!) {
  updateLearningRequest(input: $input) { request { id version topic budgetMinIdr budgetMaxIdr sectors } } }"#;
const CLOSE: &str = r#"mutation ($id: ID!, $v: Int!, $outcome: LearningRequestOutcome!, $note: String) {
  closeLearningRequest(input: { id: $id, version: $v, outcome: $outcome, note: $note }) {
    request { id status version closedOn closeNote } } }"#;
const EXPRESS: &str = r#"mutation ($r: ID!, $region: ID!, $msg: String!, $p: [ID!]! = []) {
  expressInterest(input: { requestId: $r, regionCode: $region, message: $msg, practiceIds: $p }) {
    expression { id status version region { code } practices { slug } } } }"#;
const UPDATE_EXPRESSION: &str = r#"mutation ($id: ID!, $v: Int!, $msg: String) {
  updateExpressionOfInterest(input: { id: $id, version: $v, message: $msg }) { expression { version message } } }"#;
const WITHDRAW: &str = r#"mutation ($id: ID!, $v: Int!) {
  withdrawExpressionOfInterest(input: { id: $id, version: $v, reason: "tidak jadi" }) { expression { status version } } }"#;
const DECLINE: &str = r#"mutation ($id: ID!, $v: Int!, $reason: String!) {
  declineExpressionOfInterest(input: { id: $id, version: $v, reason: $reason }) {
    expression { status version responseReason respondedOn } } }"#;
const ACCEPT: &str = r#"mutation ($input: AcceptExpressionOfInterestInput!) {
  acceptExpressionOfInterest(input: $input) {
    expression { id status version visit { id } adoption { id } agreement { id } }
    request { id status }
    visit { id visitor { code } host { code } startsOn endsOn learningObjectives delegationSize practices { slug } }
    adoption { id stage region { code } practice { slug } learningRequest { id } }
    agreement { id stage title category parties { region { code } } practices { slug } }
  } }"#;

fn lebak_request() -> Value {
    json!({
        "regionCode": "36.02",
        "topic": "Administrasi perkantoran elektronik (e-Office)",
        "sectors": ["E_GOVERNMENT"],
        "problem": "Surat-menyurat antar-OPD masih di atas kertas dan lambat.",
        "objectives": ["Memahami alur naskah dinas elektronik", "Menyiapkan regulasi e-Office"],
        "preferredFrom": "2027-03-01",
        "preferredTo": "2027-03-31",
        "budgetMinIdr": 50000000,
        "budgetMaxIdr": 150000000,
        "contactAgency": "Diskominfo Kabupaten Lebak"
    })
}

/// Posts Lebak's request; returns its id.
async fn post_lebak(app: &TestApp, token: &str) -> String {
    let d = app
        .data_as(token, POST, json!({ "input": lebak_request() }))
        .await;
    d["postLearningRequest"]["request"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Sumedang answers offering its e-Office; returns the expression's id.
async fn sumedang_answers(app: &TestApp, token: &str, request: &str) -> String {
    let d = app
        .data_as(
            token,
            EXPRESS,
            json!({ "r": request, "region": "32.11",
                    "msg": "Sumedang siap berbagi super aplikasi e-Office.", "p": [E_OFFICE] }),
        )
        .await;
    d["expressInterest"]["expression"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Every audit entry, counted (as a national admin).
async fn audit_count(app: &TestApp, admin: &str) -> i64 {
    app.data_as(admin, "{ auditLog { totalCount } }", json!({}))
        .await["auditLog"]["totalCount"]
        .as_i64()
        .unwrap()
}

/// What can change when a write is refused: Lebak's visits, adoptions and
/// agreements, and the expression itself.
async fn snapshot(app: &TestApp, expression_request: &str) -> Value {
    app.data(&format!(
        r#"{{ region(code: "36.02") {{ visitsMade {{ id }} adoptions {{ id stage }} agreements {{ id }} }}
             learningRequest(id: "{expression_request}") {{ status version
               expressionsOfInterest {{ status version visit {{ id }} adoption {{ id }} agreement {{ id }} }} }} }}"#
    ))
    .await
}

scenario!(
    lebak_asks_sumedang_answers_a_visit_is_drafted_and_the_request_is_fulfilled,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let sumedang = app.token("editor", Some("32.11")).await;
        let bandung = app.token("editor", Some("32.73")).await;
        let d = app
            .data_as(&lebak, POST, json!({ "input": lebak_request() }))
            .await;
        let r = &d["postLearningRequest"]["request"];
        assert_eq!(r["status"], "OPEN");
        assert_eq!(r["version"], 1);
        assert_eq!(r["region"]["code"], "36.02");
        assert_eq!(r["sectors"], json!(["E_GOVERNMENT"]));
        assert_eq!(r["budgetMaxIdr"], 150000000);
        let request = r["id"].as_str().unwrap().to_owned();

        // The list filters by status, region and sector.
        let count = |filter: &'static str| {
            let app = &app;
            async move {
                app.data(&format!(
                    "{{ learningRequests(filter: {filter}) {{ totalCount nodes {{ topic }} }} }}"
                ))
                .await["learningRequests"]["totalCount"]
                    .as_i64()
                    .unwrap()
            }
        };
        assert_eq!(
            count(r#"{ status: OPEN, regionCode: "36.02", sector: E_GOVERNMENT }"#).await,
            1
        );
        assert_eq!(count("{ sector: SMART_CITY }").await, 0);
        assert_eq!(count(r#"{ regionCode: "32.11" }"#).await, 0);
        assert_eq!(count("{ status: FULFILLED }").await, 0);

        // Sumedang answers with its e-Office.
        let d = app
            .data_as(
                &sumedang,
                EXPRESS,
                json!({ "r": request, "region": "32.11",
                        "msg": "Sumedang siap berbagi super aplikasi e-Office.", "p": [E_OFFICE] }),
            )
            .await;
        let e = &d["expressInterest"]["expression"];
        assert_eq!(e["status"], "PENDING");
        assert_eq!(e["practices"], json!([{ "slug": "sumedang-e-office" }]));
        let expression = e["id"].as_str().unwrap().to_owned();

        // Lebak accepts, and a visit to Sumedang is drafted in the same step.
        let d = app
            .data_as(
                &lebak,
                ACCEPT,
                json!({ "input": { "id": expression, "version": 1, "note": "Terima kasih",
                    "visit": { "startsOn": "2027-03-10", "endsOn": "2027-03-11", "delegationSize": 12 } } }),
            )
            .await;
        let a = &d["acceptExpressionOfInterest"];
        assert_eq!(a["expression"]["status"], "ACCEPTED");
        assert_eq!(a["expression"]["version"], 2);
        let visit = a["visit"]["id"].as_str().unwrap().to_owned();
        assert_eq!(a["expression"]["visit"]["id"], visit.as_str());
        assert_eq!(a["visit"]["visitor"]["code"], "36.02");
        assert_eq!(a["visit"]["host"]["code"], "32.11");
        assert_eq!(a["visit"]["delegationSize"], 12);
        // Defaults: the request's objectives, the practices offered.
        assert_eq!(
            a["visit"]["learningObjectives"],
            json!([
                "Memahami alur naskah dinas elektronik",
                "Menyiapkan regulasi e-Office"
            ])
        );
        assert_eq!(
            a["visit"]["practices"],
            json!([{ "slug": "sumedang-e-office" }])
        );
        assert!(a["adoption"].is_null() && a["agreement"].is_null());

        // The visit is linked back to the request, and audited as made by
        // the acceptance (the visit's own write rules ran).
        let d = app
            .data(&format!(
                r#"{{ learningRequest(id: "{request}") {{ expressionsOfInterest {{ status responseReason visit {{ id }} request {{ id }} }} }}
                     visit(id: "{visit}") {{ learningRequest {{ id }} changes {{ action actor }} }}
                     demo: visit(id: "00000000-de70-4000-8000-000000000601") {{ learningRequest {{ id }} }} }}"#
            ))
            .await;
        let eoi = &d["learningRequest"]["expressionsOfInterest"][0];
        assert_eq!(eoi["visit"]["id"], visit.as_str());
        assert_eq!(eoi["request"]["id"], request.as_str());
        assert_eq!(eoi["responseReason"], "Terima kasih");
        assert_eq!(d["visit"]["learningRequest"]["id"], request.as_str());
        assert!(d["demo"]["learningRequest"].is_null());
        assert_eq!(
            d["visit"]["changes"],
            json!([{ "action": "acceptExpressionOfInterest", "actor": "editor 36.02" }])
        );

        // Partnership complete: the request is closed as fulfilled.
        let d = app
            .data_as(
                &lebak,
                CLOSE,
                json!({ "id": request, "v": 1, "outcome": "FULFILLED", "note": "Kunjungan dijadwalkan" }),
            )
            .await;
        let c = &d["closeLearningRequest"]["request"];
        assert_eq!(c["status"], "FULFILLED");
        assert_eq!(c["version"], 2);
        assert_eq!(c["closedOn"], chrono::Utc::now().date_naive().to_string());
        assert_eq!(count("{ status: FULFILLED }").await, 1);
        assert_eq!(count("{ status: OPEN }").await, 0);

        // No more expressions: a coded refusal, and nothing written.
        let e = expect_error(
            &app.query_as(
                &bandung,
                EXPRESS,
                json!({ "r": request, "region": "32.73", "msg": "Bandung juga bisa", "p": [BANDUNG_SMART_CITY] }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "requestId");
        assert!(e["message"].as_str().unwrap().contains("FULFILLED"), "{e}");
        let d = app
            .data(&format!(
                r#"{{ learningRequest(id: "{request}") {{ expressionsOfInterest {{ id }} }} }}"#
            ))
            .await;
        assert_eq!(
            d["learningRequest"]["expressionsOfInterest"]
                .as_array()
                .unwrap()
                .len(),
            1
        );

        // A closed request moves no further, and no longer changes.
        let e = expect_error(
            &app.query_as(
                &lebak,
                CLOSE,
                json!({ "id": request, "v": 2, "outcome": "WITHDRAWN" }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("from FULFILLED to WITHDRAWN; allowed next: none"),
            "{e}"
        );
        expect_error(
            &app.query_as(
                &lebak,
                UPDATE,
                json!({ "input": { "id": request, "version": 2, "topic": "x" } }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        app.close().await;
    }
);

scenario!(
    only_the_requesting_region_handles_its_request_and_only_the_answering_region_its_expression,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let sumedang = app.token("editor", Some("32.11")).await;
        let bandung = app.token("editor", Some("32.73")).await;
        let jabar_admin = app.token("admin", Some("32")).await;
        // Posting for another region, or without a token, is refused.
        expect_error(
            &app.query_as(&sumedang, POST, json!({ "input": lebak_request() }))
                .await,
            "FORBIDDEN",
        );
        expect_error(
            &app.query_with(POST, json!({ "input": lebak_request() }))
                .await,
            "UNAUTHENTICATED",
        );
        let request = post_lebak(&app, &lebak).await;

        // A Sumedang editor cannot change or close Lebak's request.
        expect_error(
            &app.query_as(
                &sumedang,
                UPDATE,
                json!({ "input": { "id": request, "version": 1, "topic": "x" } }),
            )
            .await,
            "FORBIDDEN",
        );
        expect_error(
            &app.query_as(
                &sumedang,
                CLOSE,
                json!({ "id": request, "v": 1, "outcome": "WITHDRAWN" }),
            )
            .await,
            "FORBIDDEN",
        );
        // Lebak cannot answer its own request, nor answer for Sumedang.
        let e = expect_error(
            &app.query_as(
                &lebak,
                EXPRESS,
                json!({ "r": request, "region": "36.02", "msg": "kami" }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "regionCode", "{e}");
        expect_error(
            &app.query_as(
                &lebak,
                EXPRESS,
                json!({ "r": request, "region": "32.11", "msg": "atas nama Sumedang" }),
            )
            .await,
            "FORBIDDEN",
        );
        // A region offers its own practices only.
        let e = expect_error(
            &app.query_as(
                &sumedang,
                EXPRESS,
                json!({ "r": request, "region": "32.11", "msg": "m", "p": [BANDUNG_SMART_CITY] }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "practiceIds");
        let expression = sumedang_answers(&app, &sumedang, &request).await;
        // One pending expression per region and request.
        expect_error(
            &app.query_as(
                &sumedang,
                EXPRESS,
                json!({ "r": request, "region": "32.11", "msg": "lagi" }),
            )
            .await,
            "CONFLICT",
        );

        // Sumedang cannot accept or decline its own expression; Bandung (a
        // third region) cannot accept on Lebak's behalf.
        for token in [&sumedang, &bandung] {
            expect_error(
                &app.query_as(
                    token,
                    ACCEPT,
                    json!({ "input": { "id": expression, "version": 1 } }),
                )
                .await,
                "FORBIDDEN",
            );
            expect_error(
                &app.query_as(
                    token,
                    DECLINE,
                    json!({ "id": expression, "v": 1, "reason": "x" }),
                )
                .await,
                "FORBIDDEN",
            );
        }
        // Lebak cannot change or withdraw Sumedang's expression.
        expect_error(
            &app.query_as(
                &lebak,
                UPDATE_EXPRESSION,
                json!({ "id": expression, "v": 1, "msg": "diubah" }),
            )
            .await,
            "FORBIDDEN",
        );
        expect_error(
            &app.query_as(&lebak, WITHDRAW, json!({ "id": expression, "v": 1 }))
                .await,
            "FORBIDDEN",
        );
        // Jawa Barat's admin writes for Sumedang (a regency of province 32).
        let d = app
            .data_as(
                &jabar_admin,
                UPDATE_EXPRESSION,
                json!({ "id": expression, "v": 1, "msg": "Diperbarui provinsi" }),
            )
            .await;
        assert_eq!(d["updateExpressionOfInterest"]["expression"]["version"], 2);

        // Declining needs a reason; a declined expression is settled.
        let e = expect_error(
            &app.query_as(
                &lebak,
                DECLINE,
                json!({ "id": expression, "v": 2, "reason": "  " }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "reason");
        let d = app
            .data_as(
                &lebak,
                DECLINE,
                json!({ "id": expression, "v": 2, "reason": "Anggaran belum tersedia" }),
            )
            .await;
        let x = &d["declineExpressionOfInterest"]["expression"];
        assert_eq!(x["status"], "DECLINED");
        assert_eq!(x["responseReason"], "Anggaran belum tersedia");
        let e = expect_error(
            &app.query_as(&sumedang, WITHDRAW, json!({ "id": expression, "v": 3 }))
                .await,
            "BAD_USER_INPUT",
        );
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("from DECLINED to WITHDRAWN; allowed next: none"),
            "{e}"
        );
        expect_error(
            &app.query_as(
                &sumedang,
                UPDATE_EXPRESSION,
                json!({ "id": expression, "v": 3, "msg": "x" }),
            )
            .await,
            "BAD_USER_INPUT",
        );

        // After declining, Sumedang may answer again; it can withdraw that.
        let again = sumedang_answers(&app, &sumedang, &request).await;
        let d = app
            .data_as(&sumedang, WITHDRAW, json!({ "id": again, "v": 1 }))
            .await;
        assert_eq!(
            d["withdrawExpressionOfInterest"]["expression"]["status"],
            "WITHDRAWN"
        );
        app.close().await;
    }
);

scenario!(
    stale_versions_of_requests_and_expressions_are_refused,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let sumedang = app.token("editor", Some("32.11")).await;
        let request = post_lebak(&app, &lebak).await;
        let d = app
            .data_as(
                &lebak,
                UPDATE,
                json!({ "input": { "id": request, "version": 1,
                "budgetMaxIdr": 200000000, "sectors": ["E_GOVERNMENT", "PUBLIC_SERVICE"] } }),
            )
            .await;
        let u = &d["updateLearningRequest"]["request"];
        assert_eq!(u["version"], 2);
        assert_eq!(u["budgetMaxIdr"], 200000000);
        assert_eq!(u["sectors"], json!(["E_GOVERNMENT", "PUBLIC_SERVICE"]));
        // Someone else's change was based on version 1.
        expect_error(
            &app.query_as(
                &lebak,
                UPDATE,
                json!({ "input": { "id": request, "version": 1, "topic": "lama" } }),
            )
            .await,
            "CONFLICT",
        );
        expect_error(
            &app.query_as(
                &lebak,
                CLOSE,
                json!({ "id": request, "v": 1, "outcome": "WITHDRAWN" }),
            )
            .await,
            "CONFLICT",
        );
        let d = app
            .data(&format!(
                r#"{{ learningRequest(id: "{request}") {{ topic status version }} }}"#
            ))
            .await;
        assert_eq!(d["learningRequest"]["version"], 2);
        assert_eq!(d["learningRequest"]["status"], "OPEN");

        let expression = sumedang_answers(&app, &sumedang, &request).await;
        app.data_as(
            &sumedang,
            UPDATE_EXPRESSION,
            json!({ "id": expression, "v": 1, "msg": "versi 2" }),
        )
        .await;
        expect_error(
            &app.query_as(
                &lebak,
                ACCEPT,
                json!({ "input": { "id": expression, "version": 1,
                "visit": { "startsOn": "2027-03-10", "endsOn": "2027-03-11" } } }),
            )
            .await,
            "CONFLICT",
        );
        expect_error(
            &app.query_as(
                &sumedang,
                UPDATE_EXPRESSION,
                json!({ "id": expression, "v": 1, "msg": "lama" }),
            )
            .await,
            "CONFLICT",
        );
        let s = snapshot(&app, &request).await;
        assert_eq!(
            s["learningRequest"]["expressionsOfInterest"],
            json!([{ "status": "PENDING", "version": 2, "visit": null, "adoption": null, "agreement": null }])
        );
        app.close().await;
    }
);

scenario!(
    bad_request_input_gets_coded_errors_and_writes_nothing,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let admin = app.token("admin", None).await;
        let before = audit_count(&app, &admin).await;
        let with = |patch: Value| {
            let mut input = lebak_request();
            for (k, v) in patch.as_object().unwrap() {
                input[k] = v.clone();
            }
            json!({ "input": input })
        };
        for (patch, field) in [
            (json!({ "topic": "   " }), "topic"),
            (json!({ "contactAgency": "" }), "contactAgency"),
            (
                json!({ "budgetMinIdr": 200000000, "budgetMaxIdr": 100000000 }),
                "budgetMaxIdr",
            ),
            (json!({ "budgetMinIdr": -1 }), "budgetMinIdr"),
            (
                json!({ "preferredFrom": "2027-04-01", "preferredTo": "2027-03-01" }),
                "preferredTo",
            ),
            (
                json!({ "practiceIds": ["00000000-0000-4000-8000-00000000dead"] }),
                "practiceIds",
            ),
            (
                json!({ "practiceIds": ["not-a-uuid"] }),
                "input.practiceIds",
            ),
            (json!({ "regionCode": "99.99" }), "regionCode"),
            (json!({ "objectives": [""] }), "objectives"),
        ] {
            let e = expect_error(
                &app.query_as(&lebak, POST, with(patch.clone())).await,
                "BAD_USER_INPUT",
            );
            assert_eq!(e["extensions"]["field"], field, "{patch}: {e}");
        }
        let d = app.data("{ learningRequests { totalCount } }").await;
        assert_eq!(d["learningRequests"]["totalCount"], 0);
        assert_eq!(audit_count(&app, &admin).await, before);

        // An update that would turn the budget upside down changes nothing.
        let request = post_lebak(&app, &lebak).await;
        let e = expect_error(
            &app.query_as(
                &lebak,
                UPDATE,
                json!({ "input": { "id": request, "version": 1, "budgetMinIdr": 900000000 } }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "budgetMaxIdr");
        let e = expect_error(
            &app.query_as(
                &lebak,
                UPDATE,
                json!({ "input": { "id": request, "version": 1, "preferredTo": "2026-01-01" } }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "preferredTo");
        let d = app
            .data(&format!(
                r#"{{ learningRequest(id: "{request}") {{ version budgetMinIdr preferredTo }} }}"#
            ))
            .await;
        assert_eq!(
            d["learningRequest"],
            json!({ "version": 1, "budgetMinIdr": 50000000, "preferredTo": "2027-03-31" })
        );
        // Clearing the maximum lifts the range check.
        let d = app
            .data_as(&lebak, UPDATE, json!({ "input": { "id": request, "version": 1, "budgetMaxIdr": null, "budgetMinIdr": 900000000 } }))
            .await;
        assert_eq!(
            d["updateLearningRequest"]["request"]["budgetMaxIdr"],
            Value::Null
        );
        // An unknown request is NOT_FOUND; a bad page cursor is refused.
        expect_error(
            &app.query_as(&lebak, CLOSE, json!({ "id": "00000000-0000-4000-8000-00000000dead", "v": 1, "outcome": "FULFILLED" }))
                .await,
            "NOT_FOUND",
        );
        expect_error(
            &app.query(r#"{ learningRequests(after: "bogus") { totalCount } }"#)
                .await,
            "BAD_USER_INPUT",
        );
        app.close().await;
    }
);

scenario!(
    accepting_is_all_or_nothing_and_can_propose_an_agreement,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let sumedang = app.token("editor", Some("32.11")).await;
        let admin = app.token("admin", None).await;
        let request = post_lebak(&app, &lebak).await;
        let expression = sumedang_answers(&app, &sumedang, &request).await;
        let before = snapshot(&app, &request).await;
        let audits = audit_count(&app, &admin).await;

        // Lebak already has an open adoption of the e-Office (demo data):
        // the adoption's own rule refuses, and the acceptance is undone.
        expect_error(
            &app.query_as(
                &lebak,
                ACCEPT,
                json!({ "input": { "id": expression, "version": 1, "adoption": {} } }),
            )
            .await,
            "CONFLICT",
        );
        // A visit the visit rules refuse.
        let e = expect_error(
            &app.query_as(
                &lebak,
                ACCEPT,
                json!({ "input": { "id": expression, "version": 1,
                "visit": { "startsOn": "2027-03-10", "endsOn": "2027-03-01" } } }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "visit.endsOn");
        // More than one thing to create.
        expect_error(
            &app.query_as(
                &lebak,
                ACCEPT,
                json!({ "input": { "id": expression, "version": 1,
                "adoption": {}, "agreement": {} } }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(snapshot(&app, &request).await, before);
        assert_eq!(audit_count(&app, &admin).await, audits);

        // A refusal after the follow-up was written rolls it back: a
        // declined expression cannot be accepted, and the visit scheduled
        // for it in the same transaction is gone.
        let declined = {
            let bandung = app.token("editor", Some("32.73")).await;
            let d = app
                .data_as(&bandung, EXPRESS, json!({ "r": request, "region": "32.73", "msg": "Smart city", "p": [BANDUNG_SMART_CITY] }))
                .await;
            let id = d["expressInterest"]["expression"]["id"]
                .as_str()
                .unwrap()
                .to_owned();
            app.data_as(
                &lebak,
                DECLINE,
                json!({ "id": id, "v": 1, "reason": "Fokus e-Office dulu" }),
            )
            .await;
            id
        };
        let before = snapshot(&app, &request).await;
        let audits = audit_count(&app, &admin).await;
        let e = expect_error(
            &app.query_as(
                &lebak,
                ACCEPT,
                json!({ "input": { "id": declined, "version": 2,
                "visit": { "startsOn": "2027-03-10", "endsOn": "2027-03-11" } } }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("from DECLINED to ACCEPTED"),
            "{e}"
        );
        assert_eq!(snapshot(&app, &request).await, before);
        assert_eq!(audit_count(&app, &admin).await, audits);

        // Accepting with an agreement proposes one between the two regions.
        let d = app
            .data_as(&lebak, ACCEPT, json!({ "input": { "id": expression, "version": 1,
                "agreement": { "kind": "KESEPAKATAN_BERSAMA", "scope": ["Pertukaran pengetahuan e-Office"] } } }))
            .await;
        let a = &d["acceptExpressionOfInterest"];
        let ag = &a["agreement"];
        assert_eq!(ag["stage"], "PROPOSED");
        assert_eq!(ag["category"], "BETWEEN_REGIONS");
        assert_eq!(
            ag["title"],
            "Administrasi perkantoran elektronik (e-Office)"
        );
        let mut parties: Vec<&str> = ag["parties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["region"]["code"].as_str().unwrap())
            .collect();
        parties.sort();
        assert_eq!(parties, ["32.11", "36.02"]);
        assert_eq!(ag["practices"], json!([{ "slug": "sumedang-e-office" }]));
        assert_eq!(a["expression"]["agreement"]["id"], ag["id"]);
        assert!(a["visit"].is_null());
        let id = ag["id"].as_str().unwrap();
        let d = app
            .data(&format!(
                r#"{{ agreement(id: "{id}") {{ changes {{ action }} history {{ stage }} learningRequest {{ id }} }} }}"#
            ))
            .await;
        assert_eq!(
            d["agreement"]["changes"],
            json!([{ "action": "createAgreement" }])
        );
        assert_eq!(d["agreement"]["history"], json!([{ "stage": "PROPOSED" }]));
        assert_eq!(d["agreement"]["learningRequest"]["id"], request.as_str());
        app.close().await;
    }
);

scenario!(
    accepting_can_record_an_adoption_at_interested,
    with_demo,
    |app| async move {
        // Kota Bandung answers a request of Lebak, which has no adoption of
        // the smart city yet.
        let lebak = app.token("editor", Some("36.02")).await;
        let bandung = app.token("editor", Some("32.73")).await;
        let mut input = lebak_request();
        input["topic"] = json!("Kota cerdas");
        input["sectors"] = json!(["SMART_CITY"]);
        let d = app.data_as(&lebak, POST, json!({ "input": input })).await;
        let request = d["postLearningRequest"]["request"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let d = app
            .data_as(&bandung, EXPRESS, json!({ "r": request, "region": "32.73", "msg": "Smart city", "p": [BANDUNG_SMART_CITY] }))
            .await;
        let expression = d["expressInterest"]["expression"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let d = app
            .data_as(&lebak, ACCEPT, json!({ "input": { "id": expression, "version": 1, "adoption": { "notes": "Mulai belajar" } } }))
            .await;
        let a = &d["acceptExpressionOfInterest"];
        assert_eq!(a["adoption"]["stage"], "INTERESTED");
        assert_eq!(a["adoption"]["region"]["code"], "36.02");
        assert_eq!(a["adoption"]["practice"]["slug"], "bandung-smart-city");
        assert_eq!(a["expression"]["adoption"]["id"], a["adoption"]["id"]);
        assert_eq!(a["adoption"]["learningRequest"]["id"], request.as_str());
        app.close().await;
    }
);

const GURUS: &str = r#"query ($r: ID, $seeker: ID, $topic: String) {
  findGurus(fromRequest: $r, seeker: $seeker, topic: $topic) { region { code } score } }"#;

tests::search_scenario!(
    a_request_feeds_find_gurus_and_what_accepting_creates_is_searchable,
    with_demo_search,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let mut input = lebak_request();
        input["topic"] = json!("e-office");
        let d = app.data_as(&lebak, POST, json!({ "input": input })).await;
        let request = d["postLearningRequest"]["request"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let from_request = app.data_with(GURUS, json!({ "r": request })).await;
        let by_hand = app
            .data_with(GURUS, json!({ "seeker": "36.02", "topic": "e-office" }))
            .await;
        assert_eq!(from_request, by_hand);
        assert_eq!(from_request["findGurus"][0]["region"]["code"], "32.11");
        // Either a request or a seeker and topic, not both, not neither.
        for (vars, field) in [
            (json!({ "r": request, "seeker": "36.02" }), "fromRequest"),
            (json!({ "topic": "e-office" }), "seeker"),
            (json!({ "seeker": "36.02" }), "topic"),
            (
                json!({ "r": "00000000-0000-4000-8000-00000000dead" }),
                "fromRequest",
            ),
        ] {
            let e = expect_error(&app.query_with(GURUS, vars.clone()).await, "BAD_USER_INPUT");
            assert_eq!(e["extensions"]["field"], field, "{vars}: {e}");
        }

        // What accepting creates reaches the search engine through the
        // outbox, as any other write does.
        let sumedang = app.token("editor", Some("32.11")).await;
        let expression = sumedang_answers(&app, &sumedang, &request).await;
        let d = app
            .data_as(
                &lebak,
                ACCEPT,
                json!({ "input": { "id": expression, "version": 1,
                "agreement": { "title": "Kesepakatan berbagi tata naskah dinas elektronik" } } }),
            )
            .await;
        let agreement = d["acceptExpressionOfInterest"]["agreement"]["id"].clone();
        app.sync_search().await;
        let d = app
            .data_with(
                r#"query ($q: String!) { search(query: $q, first: 5) { hits { node { __typename ... on Agreement { id } } } } }"#,
                json!({ "q": "tata naskah dinas" }),
            )
            .await;
        // The new agreement matches every word; others only some.
        assert_eq!(d["search"]["hits"][0]["node"]["id"], agreement, "{d}");
        app.close().await;
    }
);

scenario!(
    learning_requests_page_newest_first_without_repeats,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let mut posted = Vec::new();
        for topic in [
            "e-office",
            "desa digital",
            "kota cerdas",
            "pajak daring",
            "anti hoaks",
        ] {
            let mut input = lebak_request();
            input["topic"] = json!(topic);
            let d = app.data_as(&lebak, POST, json!({ "input": input })).await;
            posted.push(
                d["postLearningRequest"]["request"]["id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
        let q = r#"query ($after: String) { learningRequests(first: 2, after: $after) {
            totalCount nodes { id } pageInfo { hasNextPage endCursor } } }"#;
        let mut seen = Vec::new();
        let mut after = Value::Null;
        loop {
            let d = app.data_with(q, json!({ "after": after })).await;
            let page = &d["learningRequests"];
            assert_eq!(page["totalCount"], 5);
            for n in page["nodes"].as_array().unwrap() {
                seen.push(n["id"].as_str().unwrap().to_owned());
            }
            if page["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = page["pageInfo"]["endCursor"].clone();
        }
        posted.reverse();
        assert_eq!(seen, posted, "newest first, each once");
        app.close().await;
    }
);

const NESTED_REQUESTS: &str = r#"query ($first: Int!) {
  learningRequests(first: $first) { nodes {
    topic region { name } sectors practicesInMind { title }
    expressionsOfInterest { status region { name } practices { title } visit { id } request { topic } }
    changes { action }
  } } }"#;

scenario!(
    a_nested_request_list_issues_the_same_statements_for_2_and_8_requests,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let sumedang = app.token("editor", Some("32.11")).await;
        for i in 0..8 {
            let mut input = lebak_request();
            input["topic"] = json!(format!("e-office {i}"));
            input["practiceIds"] = json!([E_OFFICE]);
            let d = app.data_as(&lebak, POST, json!({ "input": input })).await;
            let id = d["postLearningRequest"]["request"]["id"]
                .as_str()
                .unwrap()
                .to_owned();
            sumedang_answers(&app, &sumedang, &id).await;
        }
        app.reset_statements();
        let small = app.data_with(NESTED_REQUESTS, json!({ "first": 2 })).await;
        let small_count = app.statements();
        app.reset_statements();
        let large = app.data_with(NESTED_REQUESTS, json!({ "first": 8 })).await;
        let large_count = app.statements();
        let nodes = large["learningRequests"]["nodes"].as_array().unwrap();
        assert_eq!(nodes.len(), 8);
        assert_eq!(
            small["learningRequests"]["nodes"].as_array().unwrap().len(),
            2
        );
        for n in nodes {
            assert_eq!(
                n["practicesInMind"][0]["title"],
                "Super aplikasi e-Office Sumedang"
            );
            assert_eq!(
                n["expressionsOfInterest"][0]["region"]["name"],
                "Kabupaten Sumedang"
            );
            assert_eq!(
                n["expressionsOfInterest"][0]["request"]["topic"],
                n["topic"]
            );
        }
        assert!(small_count > 0, "the statement counter saw nothing");
        assert_eq!(small_count, large_count, "statements for 2 and 8 requests");
        app.close().await;
    }
);

scenario!(
    expressions_pending_when_a_request_closes_can_be_declined_but_not_accepted,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let sumedang = app.token("editor", Some("32.11")).await;
        let request = post_lebak(&app, &lebak).await;
        let expression = sumedang_answers(&app, &sumedang, &request).await;
        app.data_as(
            &lebak,
            CLOSE,
            json!({ "id": request, "v": 1, "outcome": "WITHDRAWN" }),
        )
        .await;
        let e = expect_error(
            &app.query_as(
                &lebak,
                ACCEPT,
                json!({ "input": { "id": expression, "version": 1 } }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert!(e["message"].as_str().unwrap().contains("WITHDRAWN"), "{e}");
        expect_error(
            &app.query_as(
                &sumedang,
                UPDATE_EXPRESSION,
                json!({ "id": expression, "v": 1, "msg": "x" }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        let d = app
            .data_as(
                &lebak,
                DECLINE,
                json!({ "id": expression, "v": 1, "reason": "Permintaan ditarik" }),
            )
            .await;
        assert_eq!(
            d["declineExpressionOfInterest"]["expression"]["status"],
            "DECLINED"
        );
        app.close().await;
    }
);
