//! Follow-ups after adoption (issue 16): an adoption being piloted or
//! adopted is due a year on; a follow-up says whether the practice still
//! runs (stopped: with a reason, and the adoption stops) and may carry the
//! adopter's measured outcome, which the guru finder counts. Both databases.

use crate::*;

/// Lebak's demo adoption of Sumedang's e-Office (INTERESTED).
const LEBAK_E_OFFICE: &str = "00000000-de70-4000-8000-000000000501";
/// Sukabumi's demo adoption of the same practice (INTERESTED).
const SUKABUMI_E_OFFICE: &str = "00000000-de70-4000-8000-000000000502";
/// Kolaka Timur's demo adoption of Bandung's smart city (INTERESTED).
const KOLTIM_SMART_CITY: &str = "00000000-de70-4000-8000-000000000503";

const ADVANCE: &str = r#"mutation ($id: ID!, $v: Int!, $to: AdoptionStage!, $on: Date) {
  advanceAdoption(input: { id: $id, version: $v, to: $to, on: $on }) { adoption { stage version } } }"#;

const FOLLOW_UP: &str = r#"mutation ($in: RecordAdoptionFollowUpInput!) {
  recordAdoptionFollowUp(input: $in) {
    followUp { on stillRunning stopReason outcome { metric unit baseline value } }
    adoption { stage stoppedOn stopReason version nextFollowUpOn } } }"#;

const DUE: &str = r#"query ($region: ID!, $asOf: Date) {
  adoptionsDueForFollowUp(region: $region, asOf: $asOf) { id region { code } nextFollowUpOn followUps { on } } }"#;

const GURUS: &str = r#"{ findGurus(seeker: "36.01", topic: "e-office") {
  region { code } practices { practice { slug } completedAdoptions adoptersReportingResults }
  reasons { factor contribution text } } }"#;

async fn advance(app: &TestApp, token: &str, id: &str, steps: &[(&str, &str)]) -> i64 {
    let mut v = app
        .data(&format!(r#"{{ adoption(id: "{id}") {{ version }} }}"#))
        .await["adoption"]["version"]
        .as_i64()
        .unwrap();
    for (to, on) in steps {
        let d = app
            .data_as(
                token,
                ADVANCE,
                json!({ "id": id, "v": v, "to": to, "on": on }),
            )
            .await;
        v = d["advanceAdoption"]["adoption"]["version"]
            .as_i64()
            .unwrap();
    }
    v
}

fn due_ids(d: &Value) -> Vec<String> {
    d["adoptionsDueForFollowUp"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

fn sumedang(found: &Value) -> Value {
    found["findGurus"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["region"]["code"] == "32.11")
        .cloned()
        .unwrap_or_else(|| panic!("Sumedang not suggested: {found:#}"))
}

fn transfers(s: &Value) -> (f64, String) {
    let r = s["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["factor"] == "TRANSFERS")
        .unwrap();
    (
        r["contribution"].as_f64().unwrap(),
        r["text"].as_str().unwrap().to_owned(),
    )
}

scenario!(
    an_adoption_is_followed_up_a_year_on_and_its_measured_outcome_counts_for_the_guru,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let banten = app.token("admin", Some("36")).await;
        let v = advance(
            &app,
            &lebak,
            LEBAK_E_OFFICE,
            &[
                ("PREPARING", "2023-06-01"),
                ("PILOTING", "2024-01-10"),
                ("ADOPTED", "2025-01-15"),
            ],
        )
        .await;

        // Due a year after adoption, not before; a province sees its regencies'.
        let d = app
            .data_with(DUE, json!({ "region": "36.02", "asOf": "2025-06-01" }))
            .await;
        assert!(!due_ids(&d).contains(&LEBAK_E_OFFICE.to_owned()));
        let d = app
            .data_with(DUE, json!({ "region": "36", "asOf": "2026-02-01" }))
            .await;
        assert!(due_ids(&d).contains(&LEBAK_E_OFFICE.to_owned()), "{d}");
        let row = d["adoptionsDueForFollowUp"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == LEBAK_E_OFFICE)
            .unwrap()
            .clone();
        assert_eq!(row["nextFollowUpOn"], "2026-01-15");
        assert_eq!(row["region"]["code"], "36.02");

        let (before, text_before) = transfers(&sumedang(&app.data(GURUS).await));
        assert!(!text_before.contains("measured results"), "{text_before}");

        // Another region's editor may not follow up Lebak's adoption.
        let bandung = app.token("editor", Some("32.73")).await;
        let input = json!({ "in": { "adoptionId": LEBAK_E_OFFICE, "version": v, "on": "2026-01-20",
            "stillRunning": true,
            "outcome": { "metric": "Waktu penyampaian surat antar-OPD", "unit": "hari", "baseline": 3.0, "value": 1.0 },
            "note": "Laporan Diskominfo Lebak" } });
        expect_error(
            &app.query_as(&bandung, FOLLOW_UP, input.clone()).await,
            "FORBIDDEN",
        );
        let d = app.data_as(&lebak, FOLLOW_UP, input).await;
        let f = &d["recordAdoptionFollowUp"];
        assert_eq!(f["followUp"]["stillRunning"], true);
        assert_eq!(f["followUp"]["outcome"]["value"], 1.0);
        assert_eq!(f["adoption"]["stage"], "ADOPTED");
        assert_eq!(f["adoption"]["nextFollowUpOn"], "2027-01-20");
        assert_eq!(f["adoption"]["version"], v + 1);

        let d = app
            .data_with(DUE, json!({ "region": "36", "asOf": "2026-02-01" }))
            .await;
        assert!(!due_ids(&d).contains(&LEBAK_E_OFFICE.to_owned()));

        // The guru finder now says so, and weighs it.
        let s = sumedang(&app.data(GURUS).await);
        let (after, text) = transfers(&s);
        assert!(text.contains("1 region adopted it"), "{text}");
        assert!(text.contains("1 reports measured results"), "{text}");
        assert!(after > before, "{before} -> {after}");
        assert_eq!(s["practices"][0]["adoptersReportingResults"], 1);

        // The province admin may follow up too; a stopped practice needs a
        // reason and stops the adoption.
        let jabar = app.token("admin", Some("32")).await;
        let v = advance(
            &app,
            &jabar,
            SUKABUMI_E_OFFICE,
            &[("PREPARING", "2023-01-01"), ("PILOTING", "2024-01-01")],
        )
        .await;
        let stop = |reason: Option<&str>| json!({ "in": { "adoptionId": SUKABUMI_E_OFFICE, "on": "2025-02-01", "stillRunning": false, "stopReason": reason } });
        let e = expect_error(
            &app.query_as(&jabar, FOLLOW_UP, stop(None)).await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "stopReason");
        let d = app
            .data_as(
                &jabar,
                FOLLOW_UP,
                stop(Some("Server aplikasi rusak, anggaran tidak tersedia")),
            )
            .await;
        let a = &d["recordAdoptionFollowUp"]["adoption"];
        assert_eq!(a["stage"], "STOPPED");
        assert_eq!(a["stoppedOn"], "2025-02-01");
        assert_eq!(a["nextFollowUpOn"], Value::Null);
        assert_eq!(a["version"], v + 1);
        // Banten's admin is not Jawa Barat's.
        expect_error(
            &app.query_as(&banten, FOLLOW_UP, stop(Some("x"))).await,
            "FORBIDDEN",
        );
        app.close().await;
    }
);

scenario!(
    follow_ups_refuse_what_cannot_be_followed_up,
    with_demo,
    |app| async move {
        let koltim = app.token("editor", Some("74.11")).await;
        let lebak = app.token("editor", Some("36.02")).await;
        // Only piloting or adopted.
        let e = expect_error(
            &app.query_as(
                &koltim,
                FOLLOW_UP,
                json!({ "in": { "adoptionId": KOLTIM_SMART_CITY, "on": "2025-01-01", "stillRunning": true } }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert!(e["message"].as_str().unwrap().contains("INTERESTED"), "{e}");
        let v = advance(
            &app,
            &lebak,
            LEBAK_E_OFFICE,
            &[("PREPARING", "2024-01-01"), ("PILOTING", "2024-02-01")],
        )
        .await;
        let base = |extra: Value| {
            let mut i =
                json!({ "adoptionId": LEBAK_E_OFFICE, "on": "2025-02-01", "stillRunning": true });
            for (k, v) in extra.as_object().unwrap() {
                i[k] = v.clone();
            }
            json!({ "in": i })
        };
        // In the future; a stop reason while running; a blank metric; stale version.
        for (extra, field) in [
            (json!({ "on": "2999-01-01" }), "on"),
            (json!({ "stopReason": "x" }), "stopReason"),
            (
                json!({ "outcome": { "metric": " ", "unit": "hari", "value": 1.0 } }),
                "outcome.metric",
            ),
        ] {
            let e = expect_error(
                &app.query_as(&lebak, FOLLOW_UP, base(extra)).await,
                "BAD_USER_INPUT",
            );
            assert_eq!(e["extensions"]["field"], field);
        }
        expect_error(
            &app.query_as(&lebak, FOLLOW_UP, base(json!({ "version": v - 1 })))
                .await,
            "CONFLICT",
        );
        // Nothing was written by the refusals.
        let d = app
            .data(&format!(
                r#"{{ adoption(id: "{LEBAK_E_OFFICE}") {{ version followUps {{ id }} }} }}"#
            ))
            .await;
        assert_eq!(d["adoption"]["version"], v);
        assert_eq!(d["adoption"]["followUps"].as_array().map(Vec::len), Some(0));
        app.close().await;
    }
);
