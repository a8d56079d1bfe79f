//! A region's digest (issue 16): new requests in its sectors, expressions
//! awaiting its answer, and what falls due (agreements, follow-ups,
//! visits), as GraphQL and as an iCalendar feed. Both databases.

use crate::*;

const E_OFFICE: &str = "00000000-de70-4000-8000-000000000101";
/// Lebak's demo adoption of Sumedang's e-Office (INTERESTED).
const LEBAK_E_OFFICE: &str = "00000000-de70-4000-8000-000000000501";

const DIGEST: &str = r#"query ($code: ID!, $from: Date, $to: Date, $within: Int) {
  digest(regionCode: $code, from: $from, to: $to, dueWithinDays: $within) {
    region { code } from to dueBy
    newRequests { id topic region { code } }
    expressionsAwaitingAnswer { id region { code } }
    expressionsPending { id }
    agreementsExpiring { id validUntil }
    agreementsDueForEvaluation { id }
    agreementsOffTrack { id }
    adoptionsDueForFollowUp { id nextFollowUpOn }
    visits { id startsOn visitor { code } host { code } } } }"#;

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn get(app: &TestApp, path: &str) -> (axum::http::StatusCode, String) {
    let (status, body, _) = app
        .http(
            axum::http::Request::get(path)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    (status, body)
}

scenario!(
    a_digest_holds_the_region_s_news_and_what_falls_due,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let sumedang = app.token("editor", Some("32.11")).await;
        let today = chrono::Utc::now().date_naive();
        let in_days = |n: i64| (today + chrono::Duration::days(n)).to_string();

        // Lebak asks about e-government (Sumedang's e-Office is in it).
        let d = app
            .data_as(
                &lebak,
                r#"mutation { postLearningRequest(input: { regionCode: "36.02", topic: "e-Office", sectors: [E_GOVERNMENT], objectives: ["Naskah dinas elektronik"], contactAgency: "Diskominfo Kabupaten Lebak" }) { request { id } } }"#,
                json!({}),
            )
            .await;
        let request = d["postLearningRequest"]["request"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let sumedang_digest = app
            .data_as(&sumedang, DIGEST, json!({ "code": "32.11" }))
            .await["digest"]
            .clone();
        assert_eq!(sumedang_digest["to"], today.to_string());
        assert_eq!(sumedang_digest["from"], in_days(-7));
        assert_eq!(sumedang_digest["dueBy"], in_days(30));
        assert!(
            ids(&sumedang_digest["newRequests"]).contains(&request),
            "{sumedang_digest:#}"
        );
        // Not Lebak's own news, and not a region without a practice in the
        // sector; nor news outside the period.
        let own = app
            .data_as(&lebak, DIGEST, json!({ "code": "36.02" }))
            .await["digest"]
            .clone();
        assert!(!ids(&own["newRequests"]).contains(&request));
        let later = app
            .data_as(
                &lebak,
                DIGEST,
                json!({ "code": "32.11", "from": in_days(1), "to": in_days(8) }),
            )
            .await["digest"]
            .clone();
        assert!(!ids(&later["newRequests"]).contains(&request), "{later:#}");

        // Sumedang answers: Lebak must answer, Sumedang waits.
        let d = app
            .data_as(
                &sumedang,
                r#"mutation ($r: ID!, $p: ID!) { expressInterest(input: { requestId: $r, regionCode: "32.11", message: "Sumedang siap berbagi", practiceIds: [$p] }) { expression { id } } }"#,
                json!({ "r": request, "p": E_OFFICE }),
            )
            .await;
        let expression = d["expressInterest"]["expression"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let own = app
            .data_as(&lebak, DIGEST, json!({ "code": "36.02" }))
            .await["digest"]
            .clone();
        assert_eq!(
            ids(&own["expressionsAwaitingAnswer"]),
            std::slice::from_ref(&expression)
        );
        let s = app
            .data_as(&lebak, DIGEST, json!({ "code": "32.11" }))
            .await["digest"]
            .clone();
        assert!(ids(&s["expressionsPending"]).contains(&expression));

        // Accepted with a visit in ten days: no longer awaiting; the visit
        // is due for both.
        app.data_as(
            &lebak,
            r#"mutation ($id: ID!, $s: Date!, $e: Date!) { acceptExpressionOfInterest(input: { id: $id, version: 1, visit: { startsOn: $s, endsOn: $e, delegationSize: 12 } }) { visit { id } } }"#,
            json!({ "id": expression, "s": in_days(10), "e": in_days(11) }),
        )
        .await;
        // Lebak's demo adoption piloted since two years: a follow-up is due.
        let v = app
            .data(&format!(
                r#"{{ adoption(id: "{LEBAK_E_OFFICE}") {{ version }} }}"#
            ))
            .await["adoption"]["version"]
            .as_i64()
            .unwrap();
        let mut v = v;
        for (to, on) in [("PREPARING", in_days(-800)), ("PILOTING", in_days(-730))] {
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
        let own = app
            .data_as(&lebak, DIGEST, json!({ "code": "36.02" }))
            .await["digest"]
            .clone();
        assert!(ids(&own["expressionsAwaitingAnswer"]).is_empty(), "{own:#}");
        let visits = own["visits"].as_array().unwrap();
        assert!(
            visits
                .iter()
                .any(|x| x["host"]["code"] == "32.11" && x["startsOn"] == in_days(10)),
            "{own:#}"
        );
        assert!(
            ids(&own["adoptionsDueForFollowUp"]).contains(&LEBAK_E_OFFICE.to_owned()),
            "{own:#}"
        );
        // A look-ahead of 5 days does not reach the visit.
        let short = app
            .data_as(&lebak, DIGEST, json!({ "code": "36.02", "within": 5 }))
            .await["digest"]
            .clone();
        assert!(
            !short["visits"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["startsOn"] == in_days(10)),
            "{short:#}"
        );

        // An agreement of Lebak's ending in 20 days is due; not with a
        // look-ahead of 5 days.
        let d = app
            .data_as(
                &lebak,
                r#"mutation ($until: Date!) { createAgreement(input: { title: "KSB e-Office Lebak-Sumedang", category: BETWEEN_REGIONS, parties: [{ regionCode: "36.02" }, { regionCode: "32.11" }], validUntil: $until }) { agreement { id } } }"#,
                json!({ "until": in_days(20) }),
            )
            .await;
        let agreement = d["createAgreement"]["agreement"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let own = app
            .data_as(&lebak, DIGEST, json!({ "code": "36.02" }))
            .await["digest"]
            .clone();
        assert_eq!(
            ids(&own["agreementsExpiring"]),
            std::slice::from_ref(&agreement),
            "{own:#}"
        );
        let short = app
            .data_as(&lebak, DIGEST, json!({ "code": "36.02", "within": 5 }))
            .await["digest"]
            .clone();
        assert!(ids(&short["agreementsExpiring"]).is_empty(), "{short:#}");

        // The due dates as a calendar feed, with stable UIDs.
        let (status, ics) = get(&app, "/regions/36.02/due.ics").await;
        assert_eq!(status, 200, "{ics}");
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
        let unfolded = ics.replace("\r\n ", "");
        assert!(
            unfolded.contains("SUMMARY:Benchmarking visit to Kabupaten Sumedang"),
            "{ics}"
        );
        assert!(
            unfolded.contains(&format!("UID:follow-up-{LEBAK_E_OFFICE}-")),
            "{ics}"
        );
        assert!(
            unfolded.contains(&format!("UID:agreement-ends-{agreement}@berguru")),
            "{ics}"
        );
        assert!(
            unfolded.contains("SUMMARY:Agreement ends: KSB e-Office Lebak-Sumedang"),
            "{ics}"
        );
        assert!(unfolded.contains(&format!(
            "DTSTART;VALUE=DATE:{}",
            (today + chrono::Duration::days(10)).format("%Y%m%d")
        )));
        let (_, again) = get(&app, "/regions/36.02/due.ics").await;
        let uids = |s: &str| -> Vec<String> {
            s.lines()
                .filter(|l| l.starts_with("UID:"))
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(uids(&ics), uids(&again));
        app.close().await;
    }
);

scenario!(
    a_digest_refuses_bad_windows_and_unknown_regions_with_codes,
    with_demo,
    |app| async move {
        for (vars, field) in [
            (
                json!({ "code": "36.02", "from": "2026-12-08", "to": "2026-12-01" }),
                "from",
            ),
            (
                json!({ "code": "36.02", "from": "2024-01-01", "to": "2026-01-01" }),
                "from",
            ),
            (json!({ "code": "36.02", "within": 400 }), "dueWithinDays"),
            (json!({ "code": "99.99" }), "regionCode"),
        ] {
            let v = app.query_with(DIGEST, vars.clone()).await;
            let e = expect_error(&v, "BAD_USER_INPUT");
            assert_eq!(e["extensions"]["field"], field, "{vars} {v:#}");
        }
        for (path, field) in [
            ("/regions/99.99/due.ics", "code"),
            ("/regions/36.02/due.ics?from=kemarin", "from"),
            ("/regions/36.02/due.ics?dueWithinDays=-1", "dueWithinDays"),
        ] {
            let (status, body) = get(&app, path).await;
            assert_eq!(status, 400, "{path}: {body}");
            let v: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(
                expect_error(&v, "BAD_USER_INPUT")["extensions"]["field"],
                field,
                "{path}"
            );
        }
        app.close().await;
    }
);
