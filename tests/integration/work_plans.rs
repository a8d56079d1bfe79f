//! Measurable work plans (issue 16): a PKS carries indicators (unit,
//! baseline, target, target date) and activities; signing one without an
//! indicator warns; evaluations record the values reached; achievement,
//! `agreementsOffTrack` and the coordinator statistics report planned
//! against achieved. Both databases.

use crate::*;

const CREATE: &str = r#"mutation ($in: CreateAgreementInput!) {
  createAgreement(input: $in) { agreement { id version } } }"#;

const ADVANCE: &str = r#"mutation ($id: ID!, $to: AgreementStage!, $on: Date) {
  advanceAgreement(input: { id: $id, to: $to, on: $on }) {
    agreement { stage version } warnings { code message } } }"#;

const ADD_INDICATOR: &str = r#"mutation ($in: AddWorkPlanIndicatorInput!) {
  addWorkPlanIndicator(input: $in) { indicator { id name unit baseline target targetDate higherIsBetter version position } agreement { version } } }"#;

const ADD_ACTIVITY: &str = r#"mutation ($in: AddWorkPlanActivityInput!) {
  addWorkPlanActivity(input: $in) { activity { id version doneOn } agreement { version } } }"#;

const EVALUATE: &str = r#"mutation ($in: RecordEvaluationInput!) {
  recordEvaluation(input: $in) { evaluation { id measurements { indicatorId value on } } measurements { id value } agreement { stage } } }"#;

const ACHIEVEMENT: &str = r#"query ($id: ID!, $asOf: Date) { agreement(id: $id) { version
  indicators { id name measurements { value on } }
  activities { title owner dueOn doneOn }
  achievement(asOf: $asOf) { asOf measurable met onTrack offTrack notMeasured allMet
    activitiesTotal activitiesDone activitiesOverdue
    indicators { status progress elapsed indicator { name } latest { value on } } } } }"#;

fn party(code: &str, position: i32) -> Value {
    json!({ "regionCode": code, "position": position })
}

async fn create(app: &TestApp, token: &str, input: Value) -> String {
    let d = app.data_as(token, CREATE, json!({ "in": input })).await;
    d["createAgreement"]["agreement"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn walk(app: &TestApp, token: &str, id: &str, stages: &[(&str, Option<&str>)]) -> Value {
    let mut last = Value::Null;
    for (s, on) in stages {
        last = app
            .data_as(token, ADVANCE, json!({ "id": id, "to": s, "on": on }))
            .await;
    }
    last
}

/// A signed framework Lebak (36.02) - Sumedang (32.11) and a PKS under it
/// drafted (IMPLEMENTING_DRAFTED); returns the PKS id.
async fn drafted_pks(app: &TestApp, token: &str, title: &str) -> String {
    let kb = create(
        app,
        token,
        json!({ "title": format!("Kesepakatan Bersama: {title}"), "kind": "KESEPAKATAN_BERSAMA",
            "category": "BETWEEN_REGIONS", "parties": [party("36.02", 1), party("32.11", 2)] }),
    )
    .await;
    walk(
        app,
        token,
        &kb,
        &[
            ("UNDER_REVIEW", None),
            ("OFFERED", None),
            ("FRAMEWORK_DRAFTED", None),
            ("FRAMEWORK_SIGNED", Some("2024-06-03")),
        ],
    )
    .await;
    let pks = create(
        app,
        token,
        json!({ "title": title, "kind": "PERJANJIAN_KERJA_SAMA", "category": "BETWEEN_REGIONS",
            "parentId": kb, "parties": [party("36.02", 1), party("32.11", 2)],
            "practiceIds": ["00000000-de70-4000-8000-000000000101"] }),
    )
    .await;
    walk(
        app,
        token,
        &pks,
        &[
            ("UNDER_REVIEW", None),
            ("OFFERED", None),
            ("IMPLEMENTING_DRAFTED", None),
        ],
    )
    .await;
    pks
}

async fn work_plan_stats(app: &TestApp) -> Value {
    app.data(r#"{ cooperationStats(region: "36.02") { workPlans { signedImplementing withMeasurablePlan withTargetsMet withIndicatorsOffTrack measurableShare targetsMetShare } } }"#)
        .await["cooperationStats"]["workPlans"]
        .clone()
}

fn n(v: &Value, field: &str) -> i64 {
    v[field].as_i64().unwrap()
}

scenario!(
    a_pks_with_a_work_plan_is_evaluated_one_indicator_met_one_off_track,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let before = work_plan_stats(&app).await;
        let pks = drafted_pks(&app, &lebak, "PKS penerapan e-Office Sumedang di Lebak").await;

        // Two indicators: one up (share of letters signed electronically),
        // one down (days to deliver a letter between agencies).
        let d = app
            .data_as(
                &lebak,
                ADD_INDICATOR,
                json!({ "in": { "agreementId": pks, "version": 4, "name": "Surat keluar bertanda tangan elektronik",
                    "unit": "%", "baseline": 10.0, "target": 80.0, "targetDate": "2025-12-31" } }),
            )
            .await;
        let up = &d["addWorkPlanIndicator"]["indicator"];
        assert_eq!(up["higherIsBetter"], true);
        assert_eq!(up["position"], 1);
        assert_eq!(d["addWorkPlanIndicator"]["agreement"]["version"], 5);
        let up_id = up["id"].as_str().unwrap().to_owned();
        let d = app
            .data_as(
                &lebak,
                ADD_INDICATOR,
                json!({ "in": { "agreementId": pks, "name": "Waktu pengiriman surat antar-OPD",
                    "unit": "hari", "baseline": 3.0, "target": 1.0, "targetDate": "2025-12-31" } }),
            )
            .await;
        let down = &d["addWorkPlanIndicator"]["indicator"];
        assert_eq!(down["higherIsBetter"], false);
        assert_eq!(down["position"], 2);
        let down_id = down["id"].as_str().unwrap().to_owned();
        let d = app
            .data_as(
                &lebak,
                ADD_ACTIVITY,
                json!({ "in": { "agreementId": pks, "title": "Bimbingan teknis operator e-Office",
                    "owner": "Diskominfo Lebak", "startsOn": "2025-02-01", "dueOn": "2025-03-31" } }),
            )
            .await;
        let act = &d["addWorkPlanActivity"]["activity"];
        let act_id = act["id"].as_str().unwrap().to_owned();
        app.data_as(
            &lebak,
            ADD_ACTIVITY,
            json!({ "in": { "agreementId": pks, "title": "Integrasi TTE dengan BSrE",
                "owner": "Diskominfo Lebak", "dueOn": "2025-06-30" } }),
        )
        .await;
        let d = app
            .data_as(
                &lebak,
                r#"mutation ($in: UpdateWorkPlanActivityInput!) { updateWorkPlanActivity(input: $in) { activity { doneOn version } } }"#,
                json!({ "in": { "id": act_id, "version": 1, "doneOn": "2025-03-20" } }),
            )
            .await;
        assert_eq!(
            d["updateWorkPlanActivity"]["activity"]["doneOn"],
            "2025-03-20"
        );

        // Signed with a plan: no warning.
        let d = walk(
            &app,
            &lebak,
            &pks,
            &[("IMPLEMENTING_SIGNED", Some("2025-01-10"))],
        )
        .await;
        assert_eq!(
            d["advanceAgreement"]["warnings"].as_array().map(Vec::len),
            Some(0)
        );
        walk(
            &app,
            &lebak,
            &pks,
            &[("IN_IMPLEMENTATION", Some("2025-01-15"))],
        )
        .await;

        // Mid-year: not measured yet, nothing off track.
        let d = app
            .data_with(ACHIEVEMENT, json!({ "id": pks, "asOf": "2025-05-01" }))
            .await;
        let a = &d["agreement"]["achievement"];
        assert_eq!(a["measurable"], true);
        assert_eq!(a["notMeasured"], 2);
        assert_eq!(a["offTrack"], 0);
        assert_eq!(a["activitiesDone"], 1);
        assert_eq!(a["activitiesOverdue"], 0);

        // The evaluation after the target date: 85% (met), 2 days (not met).
        let d = app
            .data_as(
                &lebak,
                EVALUATE,
                json!({ "in": { "agreementId": pks, "on": "2026-01-15", "progress": 70,
                    "findings": "Surat elektronik berjalan; pengiriman antar-OPD belum sehari",
                    "measurements": [
                        { "indicatorId": up_id, "value": 85.0, "note": "dari log aplikasi" },
                        { "indicatorId": down_id, "value": 2.0 } ] } }),
            )
            .await;
        assert_eq!(d["recordEvaluation"]["agreement"]["stage"], "EVALUATED");
        assert_eq!(
            d["recordEvaluation"]["measurements"]
                .as_array()
                .map(Vec::len),
            Some(2)
        );
        assert_eq!(
            d["recordEvaluation"]["evaluation"]["measurements"][0]["on"],
            "2026-01-15"
        );

        let d = app
            .data_as(
                &lebak,
                ACHIEVEMENT,
                json!({ "id": pks, "asOf": "2026-01-20" }),
            )
            .await;
        let a = &d["agreement"]["achievement"];
        assert_eq!(a["met"], 1, "{a}");
        assert_eq!(a["offTrack"], 1, "{a}");
        assert_eq!(a["allMet"], false);
        assert_eq!(a["activitiesTotal"], 2);
        assert_eq!(a["activitiesDone"], 1);
        assert_eq!(a["activitiesOverdue"], 1);
        let inds = a["indicators"].as_array().unwrap();
        assert_eq!(inds[0]["status"], "MET");
        assert!((inds[0]["progress"].as_f64().unwrap() - 75.0 / 70.0).abs() < 1e-9);
        assert_eq!(inds[1]["status"], "OFF_TRACK");
        assert!((inds[1]["progress"].as_f64().unwrap() - 0.5).abs() < 1e-9);
        assert_eq!(inds[1]["latest"]["value"], 2.0);
        assert_eq!(inds[1]["elapsed"], 1.0);

        let off = app
            .data(r#"{ agreementsOffTrack(regionCode: "36.02", asOf: "2026-01-20") { id } bandung: agreementsOffTrack(regionCode: "32.73", asOf: "2026-01-20") { id } }"#)
            .await;
        assert!(
            off["agreementsOffTrack"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["id"] == pks.as_str())
        );
        assert!(
            !off["bandung"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["id"] == pks.as_str())
        );

        // A second PKS signed without indicators warns, and counts as a
        // signed PKS without a measurable plan.
        let bare = drafted_pks(&app, &lebak, "PKS tanpa rencana kerja terukur").await;
        let d = walk(
            &app,
            &lebak,
            &bare,
            &[("IMPLEMENTING_SIGNED", Some("2025-02-01"))],
        )
        .await;
        assert_eq!(
            d["advanceAgreement"]["agreement"]["stage"],
            "IMPLEMENTING_SIGNED"
        );
        assert_eq!(
            d["advanceAgreement"]["warnings"][0]["code"],
            "NO_MEASURABLE_PLAN"
        );

        let after = work_plan_stats(&app).await;
        assert_eq!(
            n(&after, "signedImplementing") - n(&before, "signedImplementing"),
            2,
            "{before} -> {after}"
        );
        assert_eq!(
            n(&after, "withMeasurablePlan") - n(&before, "withMeasurablePlan"),
            1
        );
        assert_eq!(
            n(&after, "withIndicatorsOffTrack") - n(&before, "withIndicatorsOffTrack"),
            1
        );
        assert_eq!(
            n(&after, "withTargetsMet") - n(&before, "withTargetsMet"),
            0
        );
        let share = after["measurableShare"].as_f64().unwrap();
        let expect =
            n(&after, "withMeasurablePlan") as f64 / n(&after, "signedImplementing") as f64;
        assert!((share - expect).abs() < 1e-9);

        // Each write is in the agreement's audit trail.
        let d = app
            .data_as(
                &lebak,
                &format!(r#"{{ agreement(id: "{pks}") {{ changes {{ action }} }} }}"#),
                json!({}),
            )
            .await;
        let actions: Vec<&str> = d["agreement"]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["action"].as_str())
            .collect();
        for a in [
            "addWorkPlanIndicator",
            "addWorkPlanActivity",
            "updateWorkPlanActivity",
            "recordEvaluation",
        ] {
            assert!(actions.contains(&a), "{a} missing from {actions:?}");
        }
        app.close().await;
    }
);

scenario!(
    work_plan_writes_keep_the_rules,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let bandung = app.token("editor", Some("32.73")).await;
        let pks = drafted_pks(&app, &lebak, "PKS aturan rencana kerja").await;
        let other = drafted_pks(&app, &lebak, "PKS lain").await;
        let ind = |name: &str, baseline: f64, target: f64| {
            json!({ "in": { "agreementId": pks, "name": name, "unit": "%",
                "baseline": baseline, "target": target, "targetDate": "2026-12-31" } })
        };

        // Not a party's editor; anonymous.
        expect_error(
            &app.query_as(&bandung, ADD_INDICATOR, ind("x", 0.0, 1.0))
                .await,
            "FORBIDDEN",
        );
        expect_error(
            &app.query_with(ADD_INDICATOR, ind("x", 0.0, 1.0)).await,
            "UNAUTHENTICATED",
        );
        // A target equal to the baseline measures nothing; a blank name.
        let e = expect_error(
            &app.query_as(&lebak, ADD_INDICATOR, ind("x", 5.0, 5.0))
                .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "target");
        expect_error(
            &app.query_as(&lebak, ADD_INDICATOR, ind("  ", 0.0, 1.0))
                .await,
            "BAD_USER_INPUT",
        );
        // A stale agreement version.
        let mut stale = ind("x", 0.0, 1.0);
        stale["in"]["version"] = json!(1);
        expect_error(
            &app.query_as(&lebak, ADD_INDICATOR, stale).await,
            "CONFLICT",
        );

        let d = app
            .data_as(&lebak, ADD_INDICATOR, ind("Layanan daring", 20.0, 90.0))
            .await;
        let id = d["addWorkPlanIndicator"]["indicator"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        // Stale indicator version.
        const UPDATE: &str = r#"mutation ($in: UpdateWorkPlanIndicatorInput!) { updateWorkPlanIndicator(input: $in) { indicator { target version } } }"#;
        let d = app
            .data_as(
                &lebak,
                UPDATE,
                json!({ "in": { "id": id, "version": 1, "target": 95.0 } }),
            )
            .await;
        assert_eq!(d["updateWorkPlanIndicator"]["indicator"]["version"], 2);
        expect_error(
            &app.query_as(
                &lebak,
                UPDATE,
                json!({ "in": { "id": id, "version": 1, "target": 99.0 } }),
            )
            .await,
            "CONFLICT",
        );

        // An activity due before it starts; done in the future.
        let e = expect_error(
            &app.query_as(
                &lebak,
                ADD_ACTIVITY,
                json!({ "in": { "agreementId": pks, "title": "a", "owner": "o",
                    "startsOn": "2026-03-01", "dueOn": "2026-01-01" } }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "dueOn");
        let d = app
            .data_as(
                &lebak,
                ADD_ACTIVITY,
                json!({ "in": { "agreementId": pks, "title": "a", "owner": "o" } }),
            )
            .await;
        let act = d["addWorkPlanActivity"]["activity"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let e = expect_error(
            &app.query_as(
                &lebak,
                r#"mutation ($in: UpdateWorkPlanActivityInput!) { updateWorkPlanActivity(input: $in) { activity { id } } }"#,
                json!({ "in": { "id": act, "version": 1, "doneOn": "2999-01-01" } }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "doneOn");

        // Measurements: only of this agreement's indicators, once each.
        walk(
            &app,
            &lebak,
            &pks,
            &[("IMPLEMENTING_SIGNED", Some("2025-01-10"))],
        )
        .await;
        let d = app
            .data_as(
                &lebak,
                ADD_INDICATOR,
                json!({ "in": { "agreementId": other, "name": "y", "unit": "u",
                "baseline": 0.0, "target": 1.0, "targetDate": "2026-12-31" } }),
            )
            .await;
        let foreign = d["addWorkPlanIndicator"]["indicator"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let eval = |ms: Value| json!({ "in": { "agreementId": pks, "on": "2025-06-01", "findings": "f", "measurements": ms } });
        let e = expect_error(
            &app.query_as(
                &lebak,
                EVALUATE,
                eval(json!([{ "indicatorId": foreign, "value": 1.0 }])),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "measurements[0].indicatorId");
        expect_error(
            &app.query_as(
                &lebak,
                EVALUATE,
                eval(json!([{ "indicatorId": id, "value": 1.0 }, { "indicatorId": id, "value": 2.0 }])),
            )
            .await,
            "BAD_USER_INPUT",
        );
        // A refused evaluation wrote nothing.
        let d = app
            .data_as(&lebak, &format!(r#"{{ agreement(id: "{pks}") {{ stage evaluations {{ id }} indicators {{ measurements {{ id }} }} }} }}"#), json!({}))
            .await;
        assert_eq!(
            d["agreement"]["evaluations"].as_array().map(Vec::len),
            Some(0)
        );
        assert_eq!(d["agreement"]["stage"], "IMPLEMENTING_SIGNED");

        app.data_as(
            &lebak,
            EVALUATE,
            eval(json!([{ "indicatorId": id, "value": 40.0 }])),
        )
        .await;
        // A measured indicator is the record of what was achieved.
        expect_error(
            &app.query_as(
                &lebak,
                r#"mutation ($id: ID!) { removeWorkPlanIndicator(id: $id) { agreement { id } } }"#,
                json!({ "id": id }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        // An unmeasured one can go.
        let d = app
            .data_as(
                &lebak,
                r#"mutation ($id: ID!) { removeWorkPlanIndicator(id: $id) { agreement { indicators { id } } } }"#,
                json!({ "id": foreign }),
            )
            .await;
        assert_eq!(
            d["removeWorkPlanIndicator"]["agreement"]["indicators"]
                .as_array()
                .map(Vec::len),
            Some(0)
        );
        // A closed agreement's plan stays as it was.
        walk(&app, &lebak, &pks, &[("TERMINATED", None)]).await;
        let e = expect_error(
            &app.query_as(&lebak, ADD_INDICATOR, ind("late", 0.0, 1.0))
                .await,
            "BAD_USER_INPUT",
        );
        assert!(e["message"].as_str().unwrap().contains("TERMINATED"), "{e}");
        app.close().await;
    }
);
