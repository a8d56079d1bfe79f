//! Agreements: the legal path, its rules, renewal, evaluation, validation.

use crate::*;

const CREATE: &str = r#"mutation ($in: CreateAgreementInput!) {
  createAgreement(input: $in) { agreement { id stage version parties { id region { code } } history { stage } } } }"#;

const ADVANCE: &str = r#"mutation ($id: ID!, $to: AgreementStage!, $on: Date, $v: Int) {
  advanceAgreement(input: { id: $id, to: $to, on: $on, version: $v }) {
    agreement { stage signedOn version history { stage on } }
    renewal { id stage renews { id } continuation parties { region { code } } practices { slug } } } }"#;

fn lebak_sumedang(number: Option<&str>) -> Value {
    json!({ "in": {
        "title": "Kesepakatan Bersama tentang SPBE", "number": number, "kind": "KESEPAKATAN_BERSAMA",
        "category": "BETWEEN_REGIONS", "scope": ["SPBE"],
        "parties": [{ "regionCode": "36.02", "position": 1 }, { "regionCode": "32.11", "position": 2 }],
        "practiceIds": ["00000000-de70-4000-8000-000000000101"] } })
}

async fn create(app: &TestApp, token: &str, input: Value) -> String {
    let d = app.data_as(token, CREATE, input).await;
    d["createAgreement"]["agreement"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn walk(app: &TestApp, token: &str, id: &str, stages: &[&str]) -> Value {
    let mut last = Value::Null;
    for s in stages {
        last = app
            .data_as(token, ADVANCE, json!({ "id": id, "to": s }))
            .await;
    }
    last
}

scenario!(
    an_agreement_walks_the_legal_path_to_signed_with_its_history,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let id = create(&app, &lebak, lebak_sumedang(None)).await;
        let d = walk(
            &app,
            &lebak,
            &id,
            &["UNDER_REVIEW", "OFFERED", "FRAMEWORK_DRAFTED"],
        )
        .await;
        assert_eq!(
            d["advanceAgreement"]["agreement"]["stage"],
            "FRAMEWORK_DRAFTED"
        );
        let d = app
            .data_as(
                &lebak,
                ADVANCE,
                json!({ "id": id, "to": "FRAMEWORK_SIGNED", "on": "2024-06-03", "v": 4 }),
            )
            .await;
        let a = &d["advanceAgreement"]["agreement"];
        assert_eq!(a["stage"], "FRAMEWORK_SIGNED");
        assert_eq!(a["signedOn"], "2024-06-03");
        assert_eq!(a["version"], 5);
        let stages: Vec<&str> = a["history"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|h| h["stage"].as_str())
            .collect();
        assert_eq!(
            stages,
            [
                "PROPOSED",
                "UNDER_REVIEW",
                "OFFERED",
                "FRAMEWORK_DRAFTED",
                "FRAMEWORK_SIGNED"
            ]
        );
        // Sumedang now gives one more transfer.
        let s = app
            .data(r#"{ region(code: "32.11") { stats { transfersGiven } } }"#)
            .await;
        assert_eq!(s["region"]["stats"]["transfersGiven"], 3);
        app.close().await;
    }
);

scenario!(
    an_illegal_move_is_refused_naming_the_allowed_next_stages,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let id = create(&app, &lebak, lebak_sumedang(None)).await;
        let e = expect_error(
            &app.query_as(
                &lebak,
                ADVANCE,
                json!({ "id": id, "to": "FRAMEWORK_SIGNED" }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        let m = e["message"].as_str().unwrap();
        assert!(m.contains("UNDER_REVIEW") && m.contains("REJECTED"), "{m}");
        // Rejected is final.
        walk(&app, &lebak, &id, &["REJECTED"]).await;
        let e = expect_error(
            &app.query_as(&lebak, ADVANCE, json!({ "id": id, "to": "UNDER_REVIEW" }))
                .await,
            "BAD_USER_INPUT",
        );
        assert!(e["message"].as_str().unwrap().contains("closed"));
        app.close().await;
    }
);

scenario!(
    signing_needs_a_past_date_and_two_parties,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let id = create(&app, &lebak, lebak_sumedang(None)).await;
        walk(
            &app,
            &lebak,
            &id,
            &["UNDER_REVIEW", "OFFERED", "FRAMEWORK_DRAFTED"],
        )
        .await;
        let tomorrow = (chrono::Utc::now().date_naive() + chrono::Duration::days(1)).to_string();
        let e = expect_error(
            &app.query_as(
                &lebak,
                ADVANCE,
                json!({ "id": id, "to": "FRAMEWORK_SIGNED", "on": tomorrow }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "on");

        let mut solo = lebak_sumedang(None);
        solo["in"]["parties"] = json!([{ "regionCode": "36.02" }]);
        let solo_id = create(&app, &lebak, solo).await;
        walk(
            &app,
            &lebak,
            &solo_id,
            &["UNDER_REVIEW", "OFFERED", "FRAMEWORK_DRAFTED"],
        )
        .await;
        let e = expect_error(
            &app.query_as(
                &lebak,
                ADVANCE,
                json!({ "id": solo_id, "to": "FRAMEWORK_SIGNED" }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert!(e["message"].as_str().unwrap().contains("two parties"));
        app.close().await;
    }
);

scenario!(
    an_implementing_agreement_needs_a_signed_parent_framework,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let framework = create(&app, &lebak, lebak_sumedang(None)).await;
        let mut pks = lebak_sumedang(None);
        pks["in"]["kind"] = json!("PERJANJIAN_KERJA_SAMA");
        pks["in"]["title"] = json!("PKS penerapan e-Office");
        pks["in"]["parentId"] = json!(framework);
        let pks_id = create(&app, &lebak, pks).await;
        walk(
            &app,
            &lebak,
            &pks_id,
            &["UNDER_REVIEW", "OFFERED", "IMPLEMENTING_DRAFTED"],
        )
        .await;
        let e = expect_error(
            &app.query_as(
                &lebak,
                ADVANCE,
                json!({ "id": pks_id, "to": "IMPLEMENTING_SIGNED" }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("signed parent framework")
        );
        walk(
            &app,
            &lebak,
            &framework,
            &[
                "UNDER_REVIEW",
                "OFFERED",
                "FRAMEWORK_DRAFTED",
                "FRAMEWORK_SIGNED",
            ],
        )
        .await;
        let d = walk(&app, &lebak, &pks_id, &["IMPLEMENTING_SIGNED"]).await;
        assert_eq!(
            d["advanceAgreement"]["agreement"]["stage"],
            "IMPLEMENTING_SIGNED"
        );
        let parent = app
            .data(&format!(
                r#"{{ agreement(id: "{framework}") {{ implementingAgreements {{ id }} }} }}"#
            ))
            .await;
        assert_eq!(
            parent["agreement"]["implementingAgreements"][0]["id"],
            pks_id.as_str()
        );
        app.close().await;
    }
);

scenario!(
    a_non_party_cannot_move_an_agreements_stage,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let id = create(&app, &lebak, lebak_sumedang(None)).await;
        let sukamara = app.token("editor", Some("62.08")).await;
        expect_error(
            &app.query_as(
                &sukamara,
                ADVANCE,
                json!({ "id": id, "to": "UNDER_REVIEW" }),
            )
            .await,
            "FORBIDDEN",
        );
        // Nor create one it is not a party to.
        expect_error(
            &app.query_as(&sukamara, CREATE, lebak_sumedang(None)).await,
            "FORBIDDEN",
        );
        // The other party (Sumedang) may; so may Jawa Barat's province admin.
        let sumedang = app.token("editor", Some("32.11")).await;
        walk(&app, &sumedang, &id, &["UNDER_REVIEW"]).await;
        let jabar = app.token("admin", Some("32")).await;
        walk(&app, &jabar, &id, &["OFFERED"]).await;
        app.close().await;
    }
);

scenario!(
    renewal_creates_the_follow_up_agreement_linked_to_the_old_one,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let id = create(&app, &lebak, lebak_sumedang(None)).await;
        walk(
            &app,
            &lebak,
            &id,
            &[
                "UNDER_REVIEW",
                "OFFERED",
                "FRAMEWORK_DRAFTED",
                "FRAMEWORK_SIGNED",
                "IN_IMPLEMENTATION",
            ],
        )
        .await;
        let d = walk(&app, &lebak, &id, &["RENEWED"]).await;
        let r = &d["advanceAgreement"]["renewal"];
        assert_eq!(r["stage"], "PROPOSED");
        assert_eq!(r["renews"]["id"], id.as_str());
        assert_eq!(r["continuation"], "RENEWS");
        assert_eq!(r["parties"].as_array().map(Vec::len), Some(2));
        assert_eq!(r["practices"][0]["slug"], "sumedang-e-office");
        assert_eq!(d["advanceAgreement"]["agreement"]["stage"], "RENEWED");
        app.close().await;
    }
);

scenario!(
    evaluations_move_a_running_agreement_and_clear_it_from_the_due_list,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let mut input = lebak_sumedang(None);
        input["in"]["validFrom"] = json!("2024-01-01");
        input["in"]["validUntil"] = json!("2026-12-31");
        let id = create(&app, &lebak, input).await;
        walk(
            &app,
            &lebak,
            &id,
            &[
                "UNDER_REVIEW",
                "OFFERED",
                "FRAMEWORK_DRAFTED",
                "FRAMEWORK_SIGNED",
                "IN_IMPLEMENTATION",
            ],
        )
        .await;
        let due = app.data("{ agreementsDueForEvaluation { id } }").await;
        assert!(
            due["agreementsDueForEvaluation"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["id"] == id.as_str())
        );
        let expiring = app.data(r#"{ agreementsExpiringBefore(date: "2027-01-01") { id } none: agreementsExpiringBefore(date: "2026-01-01") { id } }"#).await;
        assert_eq!(expiring["agreementsExpiringBefore"][0]["id"], id.as_str());
        assert_eq!(expiring["none"].as_array().map(Vec::len), Some(0));

        let today = chrono::Utc::now().date_naive().to_string();
        let d = app
        .data_as(
            &lebak,
            r#"mutation ($id: ID!, $on: Date!) { recordEvaluation(input: { agreementId: $id, on: $on, progress: 40, findings: "Modul surat masuk berjalan" }) {
                evaluation { progress findings } agreement { stage evaluations { on progress } } } }"#,
            json!({ "id": id, "on": today }),
        )
        .await;
        assert_eq!(d["recordEvaluation"]["agreement"]["stage"], "EVALUATED");
        assert_eq!(
            d["recordEvaluation"]["agreement"]["evaluations"][0]["progress"],
            40
        );
        let due = app.data("{ agreementsDueForEvaluation { id } }").await;
        assert!(
            !due["agreementsDueForEvaluation"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["id"] == id.as_str())
        );
        expect_error(
        &app.query_as(&lebak, r#"mutation ($id: ID!) { recordEvaluation(input: { agreementId: $id, on: "2024-01-01", progress: 140, findings: "x" }) { evaluation { id } } }"#, json!({ "id": id })).await,
        "BAD_USER_INPUT",
    );
        app.close().await;
    }
);

scenario!(
    agreement_input_is_validated_and_numbers_are_unique_per_region,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        create(&app, &lebak, lebak_sumedang(Some("119/PKS/2024"))).await;
        expect_error(
            &app.query_as(&lebak, CREATE, lebak_sumedang(Some("119/PKS/2024")))
                .await,
            "CONFLICT",
        );
        let mut none = lebak_sumedang(None);
        none["in"]["parties"] = json!([]);
        expect_error(&app.query_as(&lebak, CREATE, none).await, "BAD_USER_INPUT");
        let mut dates = lebak_sumedang(None);
        dates["in"]["validFrom"] = json!("2025-01-01");
        dates["in"]["validUntil"] = json!("2024-01-01");
        let e = expect_error(&app.query_as(&lebak, CREATE, dates).await, "BAD_USER_INPUT");
        assert_eq!(e["extensions"]["field"], "validUntil");
        let mut unknown = lebak_sumedang(None);
        unknown["in"]["parties"][1]["regionCode"] = json!("99.99");
        let e = expect_error(
            &app.query_as(&lebak, CREATE, unknown).await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "parties[1].regionCode");
        let mut twice = lebak_sumedang(None);
        twice["in"]["parties"][1]["regionCode"] = json!("36.02");
        expect_error(&app.query_as(&lebak, CREATE, twice).await, "BAD_USER_INPUT");
        let count = app
            .data(r#"{ agreements(filter: { partyRegionCode: "36.02" }) { totalCount } }"#)
            .await;
        assert_eq!(
            count["agreements"]["totalCount"], 2,
            "the demo one and the first created; rejected inputs wrote nothing"
        );
        app.close().await;
    }
);
