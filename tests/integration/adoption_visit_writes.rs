//! Adoptions, visits and region corrections.

use crate::*;

const E_OFFICE: &str = "00000000-de70-4000-8000-000000000101";
const LEBAK_ADOPTION: &str = "00000000-de70-4000-8000-000000000501";
const ADVANCE: &str = r#"mutation ($id: ID!, $v: Int!, $to: AdoptionStage!, $reason: String) {
  advanceAdoption(input: { id: $id, version: $v, to: $to, reason: $reason }) { adoption { stage version adoptedOn stoppedOn stopReason } } }"#;

scenario!(
    an_adoption_moves_from_interest_to_adopted_and_counts_as_proven,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let mut version = 1;
        for to in ["PREPARING", "PILOTING", "ADOPTED"] {
            let d = app
                .data_as(
                    &lebak,
                    ADVANCE,
                    json!({ "id": LEBAK_ADOPTION, "v": version, "to": to }),
                )
                .await;
            version = d["advanceAdoption"]["adoption"]["version"]
                .as_i64()
                .unwrap();
            assert_eq!(d["advanceAdoption"]["adoption"]["stage"], to);
        }
        let d = app.data(&format!(r#"{{ practice(id: "{E_OFFICE}") {{ adoptions {{ region {{ code }} stage adoptedOn }} }} }}"#)).await;
        let lebak_row = d["practice"]["adoptions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["region"]["code"] == "36.02")
            .cloned()
            .unwrap();
        assert_eq!(lebak_row["stage"], "ADOPTED");
        assert_eq!(
            lebak_row["adoptedOn"],
            chrono::Utc::now().date_naive().to_string()
        );
        // Skipping a stage, or stopping without a reason, is refused.
        let sukabumi = app.token("editor", Some("32.02")).await;
        let sid = "00000000-de70-4000-8000-000000000502";
        let e = expect_error(
            &app.query_as(
                &sukabumi,
                ADVANCE,
                json!({ "id": sid, "v": 1, "to": "ADOPTED" }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert!(e["message"].as_str().unwrap().contains("PREPARING"));
        expect_error(
            &app.query_as(
                &sukabumi,
                ADVANCE,
                json!({ "id": sid, "v": 1, "to": "STOPPED" }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        let d = app
            .data_as(
                &sukabumi,
                ADVANCE,
                json!({ "id": sid, "v": 1, "to": "STOPPED", "reason": "Anggaran belum tersedia" }),
            )
            .await;
        assert_eq!(
            d["advanceAdoption"]["adoption"]["stopReason"],
            "Anggaran belum tersedia"
        );
        // Lebak may not move Sukabumi's adoption.
        expect_error(
            &app.query_as(
                &lebak,
                ADVANCE,
                json!({ "id": sid, "v": 2, "to": "STOPPED", "reason": "x" }),
            )
            .await,
            "FORBIDDEN",
        );
        app.close().await;
    }
);

scenario!(
    recording_an_adoption_checks_owner_duplicates_and_agreement_parties,
    with_demo,
    |app| async move {
        let q = r#"mutation ($p: ID!, $r: ID!, $a: ID) { recordAdoption(input: { practiceId: $p, regionCode: $r, agreementId: $a }) { adoption { id stage version } } }"#;
        let sumedang = app.token("editor", Some("32.11")).await;
        expect_error(
            &app.query_as(&sumedang, q, json!({ "p": E_OFFICE, "r": "32.11" }))
                .await,
            "BAD_USER_INPUT",
        );
        let lebak = app.token("editor", Some("36.02")).await;
        expect_error(
            &app.query_as(&lebak, q, json!({ "p": E_OFFICE, "r": "36.02" }))
                .await,
            "CONFLICT",
        );
        let kolaka = app.token("editor", Some("74.11")).await;
        // Kolaka Timur is not a party to the Sumedang-Lebak agreement.
        let e = expect_error(
            &app.query_as(
                &kolaka,
                q,
                json!({ "p": E_OFFICE, "r": "74.11", "a": "00000000-de70-4000-8000-000000000208" }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "agreementId");
        let d = app
            .data_as(&kolaka, q, json!({ "p": E_OFFICE, "r": "74.11" }))
            .await;
        assert_eq!(d["recordAdoption"]["adoption"]["stage"], "INTERESTED");
        app.close().await;
    }
);

scenario!(
    a_visit_is_scheduled_validated_and_its_outcome_recorded,
    with_demo,
    |app| async move {
        let q = r#"mutation ($in: ScheduleVisitInput!) { scheduleVisit(input: $in) { visit { id days version host { code } practices { slug } } } }"#;
        let lebak = app.token("editor", Some("36.02")).await;
        let input = |host: &str, from: &str, to: &str| {
            json!({ "in": {
        "visitorRegionCode": "36.02", "hostRegionCode": host, "startsOn": from, "endsOn": to,
        "learningObjectives": ["Tata naskah dinas elektronik"], "practiceIds": [E_OFFICE], "delegationSize": 6 } })
        };
        let d = app
            .data_as(&lebak, q, input("32.11", "2026-12-01", "2026-12-02"))
            .await;
        let v = &d["scheduleVisit"]["visit"];
        assert_eq!(v["days"], 2);
        assert_eq!(v["practices"][0]["slug"], "sumedang-e-office");
        let vid = v["id"].clone();
        let e = expect_error(
            &app.query_as(&lebak, q, input("36.02", "2026-12-01", "2026-12-02"))
                .await,
            "BAD_USER_INPUT",
        );
        assert!(e["message"].as_str().unwrap().contains("itself"));
        let e = expect_error(
            &app.query_as(&lebak, q, input("32.11", "2026-12-03", "2026-12-01"))
                .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "endsOn");
        let sukamara = app.token("editor", Some("62.08")).await;
        expect_error(
            &app.query_as(&sukamara, q, input("32.11", "2026-12-01", "2026-12-02"))
                .await,
            "FORBIDDEN",
        );
        // The host records what was learned and the agreement that followed.
        let sumedang = app.token("editor", Some("32.11")).await;
        let d = app
        .data_as(
            &sumedang,
            r#"mutation ($id: ID!) { recordVisitOutcome(input: { id: $id, version: 1, notes: "Belajar alur disposisi", agreementId: "00000000-de70-4000-8000-000000000208" }) { visit { notes version agreement { id } } } }"#,
            json!({ "id": vid }),
        )
        .await;
        assert_eq!(d["recordVisitOutcome"]["visit"]["version"], 2);
        assert_eq!(
            d["recordVisitOutcome"]["visit"]["agreement"]["id"],
            "00000000-de70-4000-8000-000000000208"
        );
        app.close().await;
    }
);

scenario!(
    admins_set_indices_and_correct_profiles_within_their_scope,
    with_demo,
    |app| async move {
        let set = r#"mutation ($r: ID!, $ipp: Float) { setRegionIndex(input: { regionCode: $r, year: 2023, publicServiceIndex: $ipp, source: "KemenPANRB" }) { index { year publicServiceIndex } } }"#;
        let jabar = app.token("admin", Some("32")).await;
        let d = app
            .data_as(&jabar, set, json!({ "r": "32.11", "ipp": 4.1 }))
            .await;
        assert_eq!(d["setRegionIndex"]["index"]["publicServiceIndex"], 4.1);
        // Setting the same year again replaces the values.
        app.data_as(&jabar, set, json!({ "r": "32.11", "ipp": 4.2 }))
            .await;
        let d = app
            .data(r#"{ region(code: "32.11") { indices { year publicServiceIndex } } }"#)
            .await;
        assert_eq!(
            d["region"]["indices"][0],
            json!({ "year": 2023, "publicServiceIndex": 4.2 })
        );
        assert_eq!(d["region"]["indices"].as_array().map(Vec::len), Some(2));
        expect_error(
            &app.query_as(&jabar, set, json!({ "r": "32.11", "ipp": 7.0 }))
                .await,
            "BAD_USER_INPUT",
        );
        expect_error(
            &app.query_as(&jabar, set, json!({ "r": "36.02", "ipp": 3.0 }))
                .await,
            "FORBIDDEN",
        );
        let editor = app.token("editor", Some("32.11")).await;
        expect_error(
            &app.query_as(&editor, set, json!({ "r": "32.11", "ipp": 3.0 }))
                .await,
            "FORBIDDEN",
        );

        let fix = r#"mutation ($v: Int!) { correctRegionProfile(input: { code: "32.11", version: $v, population: 1200000 }) { region { population version updatedAt } } }"#;
        let d = app.data_as(&jabar, fix, json!({ "v": 1 })).await;
        assert_eq!(d["correctRegionProfile"]["region"]["population"], 1_200_000);
        assert!(d["correctRegionProfile"]["region"]["updatedAt"].is_string());
        expect_error(
            &app.query_as(&jabar, fix, json!({ "v": 1 })).await,
            "CONFLICT",
        );
        app.close().await;
    }
);
