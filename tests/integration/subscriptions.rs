//! Subscriptions: changes made through mutations reach subscribers,
//! filtered by region.

use std::time::Duration;

use api::http::execute::SocketExecutor;
use async_graphql::Executor;
use futures_util::StreamExt;

use crate::*;

const E_OFFICE: &str = "00000000-de70-4000-8000-000000000101";

/// Starts a subscription and drives it at once, as a WebSocket connection
/// does (a subscription joins the event bus when first polled).
fn subscribe(app: &TestApp, query: &str) -> tokio::sync::mpsc::UnboundedReceiver<Value> {
    let mut stream = SocketExecutor::new(app.state.clone())
        .execute_stream(async_graphql::Request::new(query), None);
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(resp) = stream.next().await {
            if tx.send(serde_json::to_value(resp).unwrap()).is_err() {
                break;
            }
        }
    });
    rx
}

async fn next(rx: &mut tokio::sync::mpsc::UnboundedReceiver<Value>) -> Value {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("an event within 10 s")
        .expect("the stream is open")
}

scenario!(
    practice_changes_reach_subscribers_of_the_owner_region_only,
    with_demo,
    |app| async move {
        let mut stream = subscribe(
            &app,
            r#"subscription { practiceChanged(regionCode: "32.11") { created ownerRegionCode practice { title version } } }"#,
        );
        // Give the subscription a moment to register before writing.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let lebak = app.token("editor", Some("36.02")).await;
        app.data_as(
        &lebak,
        r#"mutation { createPractice(input: { title: "Lebak only", summary: "x", ownerRegionCode: "36.02", sectors: [HEALTH], form: OTHER }) { practice { id } } }"#,
        json!({}),
    )
    .await;
        let sumedang = app.token("editor", Some("32.11")).await;
        app.data_as(
        &sumedang,
        r#"mutation ($id: ID!) { updatePractice(input: { id: $id, version: 1, title: "e-Office Sumedang 2.0" }) { practice { id } } }"#,
        json!({ "id": E_OFFICE }),
    )
    .await;
        let event = next(&mut stream).await;
        assert!(event.get("errors").is_none(), "{event:#}");
        let e = &event["data"]["practiceChanged"];
        assert_eq!(
            e["ownerRegionCode"], "32.11",
            "Lebak's practice was filtered out"
        );
        assert_eq!(e["created"], false);
        assert_eq!(e["practice"]["title"], "e-Office Sumedang 2.0");
        assert_eq!(e["practice"]["version"], 2);
        app.close().await;
    }
);

scenario!(
    agreement_stage_changes_reach_subscribers_of_a_party,
    with_demo,
    |app| async move {
        let mut stream = subscribe(
            &app,
            r#"subscription { agreementStageChanged(regionCode: "32.11") { stage regionCodes agreement { title stage } } }"#,
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        let lebak = app.token("editor", Some("36.02")).await;
        let d = app
        .data_as(
            &lebak,
            r#"mutation { createAgreement(input: { title: "KSB SPBE", category: BETWEEN_REGIONS, parties: [{ regionCode: "36.02" }, { regionCode: "32.11" }] }) { agreement { id } } }"#,
            json!({}),
        )
        .await;
        let id = d["createAgreement"]["agreement"]["id"].clone();
        let first = next(&mut stream).await;
        assert_eq!(
            first["data"]["agreementStageChanged"]["stage"], "PROPOSED",
            "{first:#}"
        );
        app.data_as(
        &lebak,
        "mutation ($id: ID!) { advanceAgreement(input: { id: $id, to: UNDER_REVIEW }) { agreement { stage } } }",
        json!({ "id": id }),
    )
    .await;
        let second = next(&mut stream).await;
        let e = &second["data"]["agreementStageChanged"];
        assert_eq!(e["stage"], "UNDER_REVIEW");
        assert_eq!(e["agreement"]["stage"], "UNDER_REVIEW");
        let mut codes: Vec<&str> = e["regionCodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c.as_str())
            .collect();
        codes.sort();
        assert_eq!(codes, ["32.11", "36.02"]);
        app.close().await;
    }
);
