//! The whole path of issue 16, on both databases: Lebak (36.02) posts a
//! request for electronic office administration; Sumedang (32.11)
//! expresses interest; Lebak accepts and a visit is drafted; after the
//! visit an agreement is proposed with a work plan of two indicators; it
//! is signed and evaluated, one indicator met and one off track; a year
//! later the adoption's follow-up reports a measured outcome and the guru
//! finder's reasons mention it. A webhook receiver on loopback gets every
//! event concerning Lebak, each verified by its signature; taken down for
//! a while, it gets the missed events once back, each with its delivery id.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::Ordering;

use crate::webhooks::{Receiver, config, deliver_until, register, verify};
use crate::*;

const E_OFFICE: &str = "00000000-de70-4000-8000-000000000101";
/// Lebak's demo adoption of Sumedang's e-Office (INTERESTED).
const LEBAK_E_OFFICE: &str = "00000000-de70-4000-8000-000000000501";

const ADVANCE_AGREEMENT: &str = r#"mutation ($id: ID!, $to: AgreementStage!, $on: Date) {
  advanceAgreement(input: { id: $id, to: $to, on: $on }) { agreement { stage version } warnings { code } } }"#;

fn id_of(v: &Value, path: &[&str]) -> String {
    let mut x = v;
    for p in path {
        x = &x[*p];
    }
    x.as_str()
        .unwrap_or_else(|| panic!("no id at {path:?}: {v:#}"))
        .to_owned()
}

scenario!(
    lebak_learns_e_office_from_sumedang_from_request_to_measured_impact,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let sumedang = app.token("editor", Some("32.11")).await;
        let banten = app.token("admin", Some("36")).await;
        let rx = Receiver::start("127.0.0.1:0".parse().unwrap()).await;
        let (_, secret) = register(
            &app,
            &banten,
            "36.02",
            &rx.url(),
            json!([
                "PRACTICE_CHANGED",
                "AGREEMENT_STAGE_CHANGED",
                "AGREEMENT_EVALUATED",
                "LEARNING_REQUEST_CHANGED",
                "EXPRESSION_OF_INTEREST_CHANGED",
                "ADOPTION_CHANGED",
                "ADOPTION_FOLLOW_UP_RECORDED",
                "VISIT_CHANGED"
            ]),
        )
        .await;
        let cfg = config(3_600);
        let client = api::webhook::client(&cfg);
        let mut expected: Vec<(&str, String)> = Vec::new();

        // 1. Lebak posts its request.
        let d = app
            .data_as(
                &lebak,
                r#"mutation { postLearningRequest(input: { regionCode: "36.02", topic: "Administrasi perkantoran elektronik (e-Office)", sectors: [E_GOVERNMENT], problem: "Surat-menyurat antar-OPD masih di atas kertas", objectives: ["Memahami alur naskah dinas elektronik"], preferredFrom: "2025-01-01", preferredTo: "2025-01-31", contactAgency: "Diskominfo Kabupaten Lebak" }) { request { id } } }"#,
                json!({}),
            )
            .await;
        let request = id_of(&d, &["postLearningRequest", "request", "id"]);
        expected.push(("LEARNING_REQUEST_CHANGED", request.clone()));
        // The request is a ready-made seeker and topic for the guru finder.
        let g = app
            .data(&format!(
                r#"{{ findGurus(fromRequest: "{request}", first: 3) {{ region {{ code }} }} }}"#
            ))
            .await;
        assert_eq!(g["findGurus"][0]["region"]["code"], "32.11", "{g:#}");

        // 2. Sumedang expresses interest, offering its e-Office.
        let d = app
            .data_as(
                &sumedang,
                r#"mutation ($r: ID!, $p: ID!) { expressInterest(input: { requestId: $r, regionCode: "32.11", message: "Sumedang siap berbagi e-Office", practiceIds: [$p] }) { expression { id } } }"#,
                json!({ "r": request, "p": E_OFFICE }),
            )
            .await;
        let expression = id_of(&d, &["expressInterest", "expression", "id"]);
        expected.push(("EXPRESSION_OF_INTEREST_CHANGED", expression.clone()));

        // 3. Lebak accepts; a visit is drafted in the same step.
        let d = app
            .data_as(
                &lebak,
                r#"mutation ($id: ID!) { acceptExpressionOfInterest(input: { id: $id, version: 1, visit: { startsOn: "2025-01-14", endsOn: "2025-01-15", delegationSize: 12 } }) { visit { id version learningRequest { id } } } }"#,
                json!({ "id": expression }),
            )
            .await;
        let visit = id_of(&d, &["acceptExpressionOfInterest", "visit", "id"]);
        assert_eq!(
            d["acceptExpressionOfInterest"]["visit"]["learningRequest"]["id"],
            request.as_str()
        );
        expected.push(("VISIT_CHANGED", visit.clone()));
        deliver_until(&app, &rx, &cfg, 4).await;

        // The receiver goes down for the agreement's whole negotiation.
        rx.down.store(true, Ordering::SeqCst);

        // 4. After the visit: a framework agreement, then a PKS with a work
        // plan of two indicators, linked to the visit.
        const CREATE: &str = r#"mutation ($in: CreateAgreementInput!) { createAgreement(input: $in) { agreement { id } } }"#;
        let parties = json!([{ "regionCode": "36.02", "position": 1 }, { "regionCode": "32.11", "position": 2 }]);
        let d = app
            .data_as(
                &lebak,
                CREATE,
                json!({ "in": { "title": "Kesepakatan Bersama Lebak-Sumedang tentang SPBE", "kind": "KESEPAKATAN_BERSAMA", "category": "BETWEEN_REGIONS", "parties": parties } }),
            )
            .await;
        let kb = id_of(&d, &["createAgreement", "agreement", "id"]);
        for (to, on) in [
            ("UNDER_REVIEW", None),
            ("OFFERED", None),
            ("FRAMEWORK_DRAFTED", None),
            ("FRAMEWORK_SIGNED", Some("2025-02-03")),
        ] {
            app.data_as(
                &lebak,
                ADVANCE_AGREEMENT,
                json!({ "id": kb, "to": to, "on": on }),
            )
            .await;
        }
        let d = app
            .data_as(
                &lebak,
                CREATE,
                json!({ "in": { "title": "PKS penerapan e-Office Sumedang di Lebak", "kind": "PERJANJIAN_KERJA_SAMA", "category": "BETWEEN_REGIONS", "parentId": kb, "parties": parties, "practiceIds": [E_OFFICE] } }),
            )
            .await;
        let pks = id_of(&d, &["createAgreement", "agreement", "id"]);
        expected.push(("AGREEMENT_STAGE_CHANGED", kb.clone()));
        expected.push(("AGREEMENT_STAGE_CHANGED", pks.clone()));
        app.data_as(
            &lebak,
            r#"mutation ($id: ID!, $a: ID!) { recordVisitOutcome(input: { id: $id, version: 1, agreementId: $a, notes: "Sepakat menyusun PKS" }) { visit { id } } }"#,
            json!({ "id": visit, "a": pks }),
        )
        .await;
        const ADD: &str = r#"mutation ($in: AddWorkPlanIndicatorInput!) { addWorkPlanIndicator(input: $in) { indicator { id } } }"#;
        let d = app
            .data_as(&lebak, ADD, json!({ "in": { "agreementId": pks, "name": "Surat keluar bertanda tangan elektronik", "unit": "%", "baseline": 10.0, "target": 80.0, "targetDate": "2025-12-31" } }))
            .await;
        let up = id_of(&d, &["addWorkPlanIndicator", "indicator", "id"]);
        let d = app
            .data_as(&lebak, ADD, json!({ "in": { "agreementId": pks, "name": "Waktu pengiriman surat antar-OPD", "unit": "hari", "baseline": 3.0, "target": 1.0, "targetDate": "2025-12-31" } }))
            .await;
        let down = id_of(&d, &["addWorkPlanIndicator", "indicator", "id"]);

        // 5. Signed (with a measurable plan: no warning) and evaluated.
        for (to, on) in [
            ("UNDER_REVIEW", None::<&str>),
            ("OFFERED", None),
            ("IMPLEMENTING_DRAFTED", None),
        ] {
            app.data_as(
                &lebak,
                ADVANCE_AGREEMENT,
                json!({ "id": pks, "to": to, "on": on }),
            )
            .await;
        }
        let d = app
            .data_as(
                &lebak,
                ADVANCE_AGREEMENT,
                json!({ "id": pks, "to": "IMPLEMENTING_SIGNED", "on": "2025-03-10" }),
            )
            .await;
        assert_eq!(d["advanceAgreement"]["warnings"], json!([]), "{d:#}");
        app.data_as(
            &lebak,
            ADVANCE_AGREEMENT,
            json!({ "id": pks, "to": "IN_IMPLEMENTATION", "on": "2025-03-15" }),
        )
        .await;
        let d = app
            .data_as(
                &lebak,
                r#"mutation ($in: RecordEvaluationInput!) { recordEvaluation(input: $in) { evaluation { id } } }"#,
                json!({ "in": { "agreementId": pks, "on": "2026-01-15", "progress": 70,
                    "findings": "Surat elektronik berjalan; pengiriman antar-OPD belum sehari",
                    "measurements": [{ "indicatorId": up, "value": 85.0 }, { "indicatorId": down, "value": 2.0 }] } }),
            )
            .await;
        let evaluation = id_of(&d, &["recordEvaluation", "evaluation", "id"]);
        expected.push(("AGREEMENT_EVALUATED", evaluation.clone()));
        let d = app
            .data(&format!(r#"{{ agreement(id: "{pks}") {{ achievement(asOf: "2026-01-20") {{ met offTrack indicators {{ status indicator {{ name }} }} }} }} }}"#))
            .await;
        let a = &d["agreement"]["achievement"];
        assert_eq!(
            (a["met"].as_i64(), a["offTrack"].as_i64()),
            (Some(1), Some(1)),
            "{a:#}"
        );
        let off = app
            .data(r#"{ agreementsOffTrack(regionCode: "36.02", asOf: "2026-01-20") { id } }"#)
            .await;
        assert!(off.to_string().contains(&pks), "{off:#}");

        // 6. The adoption, piloted and adopted, followed up a year on with a
        // measured outcome.
        let mut v = app
            .data(&format!(
                r#"{{ adoption(id: "{LEBAK_E_OFFICE}") {{ version }} }}"#
            ))
            .await["adoption"]["version"]
            .as_i64()
            .unwrap();
        for (to, on) in [
            ("PREPARING", "2025-02-01"),
            ("PILOTING", "2025-03-01"),
            ("ADOPTED", "2025-06-01"),
        ] {
            let d = app
                .data_as(
                    &lebak,
                    r#"mutation ($id: ID!, $v: Int!, $to: AdoptionStage!, $on: Date) { advanceAdoption(input: { id: $id, version: $v, to: $to, on: $on }) { adoption { version } } }"#,
                    json!({ "id": LEBAK_E_OFFICE, "v": v, "to": to, "on": on }),
                )
                .await;
            v = d["advanceAdoption"]["adoption"]["version"]
                .as_i64()
                .unwrap();
        }
        expected.push(("ADOPTION_CHANGED", LEBAK_E_OFFICE.to_owned()));
        let due = app
            .data(r#"{ adoptionsDueForFollowUp(region: "36.02", asOf: "2026-06-02") { id } }"#)
            .await;
        assert!(due.to_string().contains(LEBAK_E_OFFICE), "{due:#}");
        let d = app
            .data_as(
                &lebak,
                r#"mutation ($in: RecordAdoptionFollowUpInput!) { recordAdoptionFollowUp(input: $in) { followUp { id } adoption { nextFollowUpOn } } }"#,
                json!({ "in": { "adoptionId": LEBAK_E_OFFICE, "version": v, "on": "2026-06-02", "stillRunning": true,
                    "outcome": { "metric": "Waktu penyampaian surat antar-OPD", "unit": "hari", "baseline": 3.0, "value": 1.0 } } }),
            )
            .await;
        let follow_up = id_of(&d, &["recordAdoptionFollowUp", "followUp", "id"]);
        expected.push(("ADOPTION_FOLLOW_UP_RECORDED", follow_up.clone()));

        // The guru finder's reasons mention the measured result.
        let g = app
            .data(r#"{ findGurus(seeker: "36.01", topic: "e-office") { region { code } reasons { factor text } } }"#)
            .await;
        let s = g["findGurus"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["region"]["code"] == "32.11")
            .unwrap_or_else(|| panic!("{g:#}"));
        let transfers = s["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["factor"] == "TRANSFERS")
            .unwrap()["text"]
            .as_str()
            .unwrap();
        assert!(
            transfers.contains("1 reports measured results"),
            "{transfers}"
        );

        // 7. While down, rounds failed and nothing was lost; back up, the
        // receiver gets every missed event, each signed, each with its id.
        let client_rounds = 3;
        for _ in 0..client_rounds {
            api::webhook::deliver_due(&app.db, &client, &cfg)
                .await
                .unwrap();
        }
        let before = rx.received().len();
        rx.down.store(false, Ordering::SeqCst);
        let pending = app
            .data_as(
                &banten,
                r#"{ webhookEndpoints(regionCode: "36.02") { pendingDeliveries failing } }"#,
                json!({}),
            )
            .await["webhookEndpoints"][0]
            .clone();
        assert_eq!(pending["failing"], true, "{pending:#}");
        let missed = pending["pendingDeliveries"].as_u64().unwrap() as usize;
        assert!(missed > 0);
        deliver_until(&app, &rx, &cfg, missed).await;
        let got = rx.received();
        assert_eq!(got.len(), before + missed);
        let mut by_id: HashMap<String, Value> = HashMap::new();
        for r in &got {
            by_id.insert(r.delivery.clone(), verify(r, &secret));
        }
        assert_eq!(by_id.len(), got.len(), "every delivery has its own id");
        let heard: BTreeSet<(String, String)> = by_id
            .values()
            .map(|b| {
                (
                    b["event"].as_str().unwrap().to_owned(),
                    b["objectId"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        for (event, id) in &expected {
            assert!(
                heard.contains(&((*event).to_owned(), id.clone())),
                "{event} {id} not heard: {heard:#?}"
            );
        }
        // Stage changes of the PKS arrived for every step it took.
        let pks_stages: Vec<&str> = by_id
            .values()
            .filter(|b| b["objectId"] == pks.as_str())
            .filter_map(|b| b["stage"].as_str())
            .collect();
        for s in [
            "PROPOSED",
            "IMPLEMENTING_SIGNED",
            "IN_IMPLEMENTATION",
            "EVALUATED",
        ] {
            assert!(pks_stages.contains(&s), "{s} missing from {pks_stages:?}");
        }
        app.close().await;
    }
);
