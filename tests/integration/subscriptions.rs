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

/// As [`subscribe`], on a connection that sent `token` in
/// `connection_init`.
async fn subscribe_as(
    app: &TestApp,
    token: &str,
    query: &str,
) -> tokio::sync::mpsc::UnboundedReceiver<Value> {
    let viewer = api::auth::authenticate(&app.db, Some(&format!("Bearer {token}")))
        .await
        .unwrap();
    let mut data = async_graphql::Data::default();
    data.insert(viewer);
    let mut stream = SocketExecutor::new(app.state.clone()).execute_stream(
        async_graphql::Request::new(query),
        Some(std::sync::Arc::new(data)),
    );
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

/// Runs `query` as the holder of `token` on another replica's `state`.
async fn run_as(
    state: &api::AppState,
    db: &sea_orm::DatabaseConnection,
    token: &str,
    query: &str,
    variables: Value,
) -> Value {
    let viewer = api::auth::authenticate(db, Some(&format!("Bearer {token}")))
        .await
        .expect("token valid");
    let req = async_graphql::Request::new(query)
        .variables(async_graphql::Variables::from_json(variables))
        .data(viewer);
    let v = serde_json::to_value(state.execute(req).await).unwrap();
    assert!(v.get("errors").is_none(), "{v:#}");
    v["data"].clone()
}

scenario!(
    a_subscriber_on_one_replica_hears_mutations_and_imports_made_through_another,
    with_demo,
    |app| async move {
        // PostgreSQL: replica B is a second application state with its own
        // pool, bus and listener on the same database. SQLite is served by
        // one process: B is A itself (its writes still publish from the
        // write path, after commit).
        let (b, b_db) = match app.backend {
            Backend::Postgres => {
                let db = api::db::connect_url(&app.url, 3).await.unwrap();
                let engine: api::search_sync::Engine =
                    std::sync::Arc::new(::search::embedded::EmbeddedEngine::in_ram().unwrap());
                let state = api::state(db.clone(), api::config::Limits::default(), engine);
                tests::wait_listening(&state).await;
                (state, db)
            }
            Backend::Sqlite => (app.state.clone(), app.db.clone()),
        };
        let mut stream = subscribe(
            &app,
            r#"subscription { practiceChanged(regionCode: "32.11") { created ownerRegionCode practice { title version lastVerifiedOn } } }"#,
        );
        tokio::time::sleep(Duration::from_millis(100)).await;

        // A mutation through B: what the issue tried (verifyPractice).
        let admin = app.token("admin", None).await;
        run_as(
            &b,
            &b_db,
            &admin,
            "mutation ($id: ID!) { verifyPractice(input: { id: $id, version: 1 }) { practice { id } } }",
            json!({ "id": E_OFFICE }),
        )
        .await;
        let event = next(&mut stream).await;
        assert!(event.get("errors").is_none(), "{event:#}");
        let e = &event["data"]["practiceChanged"];
        assert_eq!(e["created"], false, "{event:#}");
        assert_eq!(e["practice"]["version"], 2, "{event:#}");
        assert!(e["practice"]["lastVerifiedOn"].is_string(), "{event:#}");

        // An import through B: each imported practice is an event on A.
        let csv = "id,slug,title,summary,description,owner_region_code,sectors,form,is_digital,maturity,status,last_verified_on,year_started,looking_for_adopters,contact,links,lessons_learned,outcomes\n\
,,Mal Pelayanan Publik Sumedang,Satu gedung untuk semua layanan,,32.11,public_service,public_service,true,applied,active,,2019,ya,,,,\n";
        let d = run_as(
            &b,
            &b_db,
            &admin,
            r#"mutation ($c: String!) { importPractices(input: { format: CSV, content: $c }) { created committed } }"#,
            json!({ "c": csv }),
        )
        .await;
        assert_eq!(d["importPractices"]["committed"], true, "{d:#}");
        let event = next(&mut stream).await;
        let e = &event["data"]["practiceChanged"];
        assert_eq!(e["created"], true, "{event:#}");
        assert_eq!(e["ownerRegionCode"], "32.11");
        assert_eq!(e["practice"]["title"], "Mal Pelayanan Publik Sumedang");

        // Nothing else arrived (each write is heard once).
        assert!(
            tokio::time::timeout(Duration::from_millis(500), stream.recv())
                .await
                .is_err(),
            "one event per write"
        );
        drop(b);
        let _ = b_db.close().await;
        app.close().await;
    }
);

scenario!(
    a_refused_write_publishes_nothing_and_a_cli_import_publishes,
    with_demo,
    |app| async move {
        let mut stream = subscribe(
            &app,
            r#"subscription { practiceChanged { created practice { title } } }"#,
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        // A stale version is refused: no event.
        let sumedang = app.token("editor", Some("32.11")).await;
        let r = app
            .query_as(
                &sumedang,
                r#"mutation ($id: ID!) { updatePractice(input: { id: $id, version: 7, title: "Tidak jadi" }) { practice { id } } }"#,
                json!({ "id": E_OFFICE }),
            )
            .await;
        expect_error(&r, "CONFLICT");
        // The domain's import, as `berguru import` runs it (outside any
        // request): on PostgreSQL its events reach every replica.
        let records = api::domain::bulk::parse_practices(
            "id,slug,title,summary,description,owner_region_code,sectors,form,is_digital,maturity,status,last_verified_on,year_started,looking_for_adopters,contact,links,lessons_learned,outcomes\n\
,,Sekolah Lapang Lebak,Ringkasan,,36.02,e_government,governance,,,,,,,,,,\n",
            api::domain::bulk::Format::Csv,
        )
        .unwrap();
        let r = api::domain::bulk::import_practices(
            &app.db,
            &api::auth::Viewer::Operator,
            records,
            false,
            |_| {},
        )
        .await
        .unwrap();
        assert!(r.committed);
        match app.backend {
            Backend::Postgres => {
                let event = next(&mut stream).await;
                let e = &event["data"]["practiceChanged"];
                assert_eq!(e["created"], true, "{event:#}");
                assert_eq!(e["practice"]["title"], "Sekolah Lapang Lebak");
            }
            // One process: a write outside any request (the CLI is another
            // process) has no subscriber to tell.
            Backend::Sqlite => {}
        }
        assert!(
            tokio::time::timeout(Duration::from_millis(500), stream.recv())
                .await
                .is_err(),
            "the refused write published nothing"
        );
        app.close().await;
    }
);

scenario!(
    a_renewal_publishes_the_follow_up_agreement_too,
    with_demo,
    |app| async move {
        let mut stream = subscribe(
            &app,
            r#"subscription { agreementStageChanged(regionCode: "32.11") { stage agreement { id renews { id } } } }"#,
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
        let stages = [
            "UNDER_REVIEW",
            "OFFERED",
            "FRAMEWORK_DRAFTED",
            "FRAMEWORK_SIGNED",
            "IN_IMPLEMENTATION",
            "RENEWED",
        ];
        for to in stages {
            app.data_as(
                &lebak,
                "mutation ($id: ID!, $to: AgreementStage!) { advanceAgreement(input: { id: $id, to: $to }) { agreement { stage } } }",
                json!({ "id": id, "to": to }),
            )
            .await;
        }
        let mut heard = Vec::new();
        for _ in 0..=stages.len() + 1 {
            let e = next(&mut stream).await;
            heard.push(e["data"]["agreementStageChanged"].clone());
        }
        let of_old: Vec<&str> = heard
            .iter()
            .filter(|e| e["agreement"]["id"] == id)
            .map(|e| e["stage"].as_str().unwrap())
            .collect();
        assert_eq!(of_old[0], "PROPOSED");
        assert_eq!(&of_old[1..], &stages, "{heard:#?}");
        // The follow-up agreement the renewal created, as a new proposal.
        let follow_up: Vec<&Value> = heard
            .iter()
            .filter(|e| e["agreement"]["renews"]["id"] == id)
            .collect();
        assert_eq!(follow_up.len(), 1, "{heard:#?}");
        assert_eq!(follow_up[0]["stage"], "PROPOSED");
        app.close().await;
    }
);

scenario!(
    a_saved_visit_plan_publishes_one_event_per_visit_on_every_replica_s_bus,
    with_demo,
    |app| async move {
        // No subscription field shows visits yet; the bus every replica's
        // subscriptions read from does carry them (on PostgreSQL through
        // the listener), one per committed visit, none for a refused plan.
        let mut bus = app.state.events.subscribe();
        let lebak = app.token("editor", Some("36.02")).await;
        const SAVE: &str =
            r#"mutation ($i: SaveVisitPlanInput!) { saveVisitPlan(input: $i) { visits { id } } }"#;
        let input = json!({ "seeker": "36.02", "delegationSize": 12, "stops": [
            { "host": "32.11", "startsOn": "2026-12-01" },
            { "host": "32.73", "startsOn": "2026-12-02" } ] });
        let mut twice = input.clone();
        twice["stops"][1]["host"] = json!("32.11");
        expect_error(
            &app.query_as(&lebak, SAVE, json!({ "i": twice })).await,
            "BAD_USER_INPUT",
        );
        let d = app.data_as(&lebak, SAVE, json!({ "i": input })).await;
        let mut want: Vec<String> = d["saveVisitPlan"]["visits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["id"].as_str().unwrap().to_owned())
            .collect();
        want.sort();
        let mut heard = Vec::new();
        while heard.len() < want.len() {
            let e = tokio::time::timeout(Duration::from_secs(10), bus.recv())
                .await
                .expect("an event within 10 s")
                .unwrap();
            if let api::events::Event::Changed { object, id } = e
                && object == "Visit"
            {
                heard.push(id);
            }
        }
        heard.sort();
        assert_eq!(heard, want);
        app.close().await;
    }
);

const POST_REQUEST: &str = r#"mutation ($input: PostLearningRequestInput!) {
  postLearningRequest(input: $input) { request { id } } }"#;

fn request_input(region: &str, sector: &str, topic: &str) -> Value {
    json!({ "input": { "regionCode": region, "topic": topic, "sectors": [sector],
        "objectives": ["Belajar"], "contactAgency": "Diskominfo" } })
}

scenario!(
    learning_requests_reach_subscribers_of_their_region_and_sector,
    with_demo,
    |app| async move {
        // A guru listens for requests in its sector; a learner for its own.
        let mut by_sector = subscribe(
            &app,
            r#"subscription { learningRequestChanged(sector: E_GOVERNMENT) { regionCode status posted request { topic } } }"#,
        );
        let mut by_region = subscribe(
            &app,
            r#"subscription { learningRequestChanged(regionCode: "36.02") { regionCode status posted request { topic version } } }"#,
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        let bandung = app.token("editor", Some("32.73")).await;
        let lebak = app.token("editor", Some("36.02")).await;
        // Kota Bandung asks about health (neither subscriber's), then Lebak
        // about e-government (both subscribers').
        app.data_as(
            &bandung,
            POST_REQUEST,
            request_input("32.73", "HEALTH", "Puskesmas keliling"),
        )
        .await;
        let d = app
            .data_as(
                &lebak,
                POST_REQUEST,
                request_input("36.02", "E_GOVERNMENT", "e-Office"),
            )
            .await;
        let id = d["postLearningRequest"]["request"]["id"].clone();
        for rx in [&mut by_sector, &mut by_region] {
            let event = next(rx).await;
            assert!(event.get("errors").is_none(), "{event:#}");
            let e = &event["data"]["learningRequestChanged"];
            assert_eq!(
                e["regionCode"], "36.02",
                "Bandung's request was filtered out"
            );
            assert_eq!(e["request"]["topic"], "e-Office");
            assert_eq!(e["status"], "OPEN");
            assert_eq!(e["posted"], true);
        }
        // Closing it is a change too, with its new status.
        app.data_as(
            &lebak,
            r#"mutation ($id: ID!) { closeLearningRequest(input: { id: $id, version: 1, outcome: WITHDRAWN }) { request { status } } }"#,
            json!({ "id": id }),
        )
        .await;
        let event = next(&mut by_region).await;
        let e = &event["data"]["learningRequestChanged"];
        assert_eq!(e["status"], "WITHDRAWN", "{event:#}");
        assert_eq!(e["posted"], false);
        assert_eq!(e["request"]["version"], 2);
        app.close().await;
    }
);

scenario!(
    expressions_of_interest_reach_both_regions_concerned_and_no_other,
    with_demo,
    |app| async move {
        let lebak = app.token("editor", Some("36.02")).await;
        let sumedang = app.token("editor", Some("32.11")).await;
        let bandung = app.token("editor", Some("32.73")).await;
        let surabaya = app.token("editor", Some("35.78")).await;
        let d = app
            .data_as(
                &lebak,
                POST_REQUEST,
                request_input("36.02", "E_GOVERNMENT", "e-Office"),
            )
            .await;
        let lebak_request = d["postLearningRequest"]["request"]["id"].clone();
        let d = app
            .data_as(
                &surabaya,
                POST_REQUEST,
                request_input("35.78", "E_GOVERNMENT", "e-Office"),
            )
            .await;
        let surabaya_request = d["postLearningRequest"]["request"]["id"].clone();
        const SUB: &str = "{ answeringRegionCode requestingRegionCode status expression { message } request { topic } }";
        let mut learner = subscribe(
            &app,
            &format!(
                r#"subscription {{ expressionOfInterestChanged(regionCode: "36.02") {SUB} }}"#
            ),
        );
        let mut guru = subscribe(
            &app,
            &format!(
                r#"subscription {{ expressionOfInterestChanged(regionCode: "32.11") {SUB} }}"#
            ),
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        const EXPRESS: &str = r#"mutation ($r: ID!, $region: ID!, $msg: String!) {
          expressInterest(input: { requestId: $r, regionCode: $region, message: $msg }) { expression { id } } }"#;
        // Bandung answers Surabaya (concerns neither subscriber), then
        // Sumedang answers Lebak (concerns both).
        app.data_as(
            &bandung,
            EXPRESS,
            json!({ "r": surabaya_request, "region": "32.73", "msg": "Bandung" }),
        )
        .await;
        let d = app
            .data_as(
                &sumedang,
                EXPRESS,
                json!({ "r": lebak_request, "region": "32.11", "msg": "Sumedang siap berbagi" }),
            )
            .await;
        let expression = d["expressInterest"]["expression"]["id"].clone();
        for rx in [&mut learner, &mut guru] {
            let event = next(rx).await;
            assert!(event.get("errors").is_none(), "{event:#}");
            let e = &event["data"]["expressionOfInterestChanged"];
            assert_eq!(e["answeringRegionCode"], "32.11", "{event:#}");
            assert_eq!(e["requestingRegionCode"], "36.02");
            assert_eq!(e["status"], "PENDING");
            assert_eq!(e["expression"]["message"], "Sumedang siap berbagi");
            assert_eq!(e["request"]["topic"], "e-Office");
        }
        // Lebak declines: the guru hears the answer.
        app.data_as(
            &lebak,
            r#"mutation ($id: ID!) { declineExpressionOfInterest(input: { id: $id, version: 1, reason: "Sudah ada mitra" }) { expression { status } } }"#,
            json!({ "id": expression }),
        )
        .await;
        let event = next(&mut guru).await;
        assert_eq!(
            event["data"]["expressionOfInterestChanged"]["status"], "DECLINED",
            "{event:#}"
        );
        app.close().await;
    }
);

const SUBMIT_FACILITATION: &str = r#"mutation ($in: SubmitFacilitationRequestInput!) {
  submitFacilitationRequest(input: $in) { request { id } } }"#;

fn facilitation_input(region: &str, subject: &str) -> Value {
    json!({ "in": { "regionCode": region, "agency": "Bagian Kerja Sama Setda",
        "kind": "DRAFTING", "subject": subject } })
}

scenario!(
    facilitation_steps_reach_the_bureau_and_the_requester_and_nobody_else,
    with_demo,
    |app| async move {
        let padang = app.token("editor", Some("13.71")).await;
        let sumbar = app.token("admin", Some("13")).await;
        let jabar = app.token("admin", Some("32")).await;
        let bandung = app.token("editor", Some("32.73")).await;
        const SUB: &str = "{ regionCode provinceCode status submitted step { status actor note } request { subject version } }";
        // A bureau listens to its queue, the requester to its own requests;
        // Jawa Barat's admin to everything it may read (not Padang's).
        let mut bureau = subscribe_as(
            &app,
            &sumbar,
            &format!(r#"subscription {{ facilitationRequestChanged(provinceCode: "13") {SUB} }}"#),
        )
        .await;
        let mut requester = subscribe_as(
            &app,
            &padang,
            &format!(r#"subscription {{ facilitationRequestChanged(regionCode: "13.71") {SUB} }}"#),
        )
        .await;
        let mut other = subscribe_as(
            &app,
            &jabar,
            &format!(r#"subscription {{ facilitationRequestChanged {SUB} }}"#),
        )
        .await;
        // Without a token, or for another province's queue: refused, coded.
        let mut anonymous = subscribe(
            &app,
            &format!(r#"subscription {{ facilitationRequestChanged {SUB} }}"#),
        );
        let e = next(&mut anonymous).await;
        assert_eq!(
            e["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{e:#}"
        );
        let mut foreign = subscribe_as(
            &app,
            &jabar,
            &format!(r#"subscription {{ facilitationRequestChanged(provinceCode: "13") {SUB} }}"#),
        )
        .await;
        let e = next(&mut foreign).await;
        assert_eq!(e["errors"][0]["extensions"]["code"], "FORBIDDEN", "{e:#}");
        let mut editor_queue = subscribe_as(
            &app,
            &padang,
            &format!(r#"subscription {{ facilitationRequestChanged(provinceCode: "13") {SUB} }}"#),
        )
        .await;
        let e = next(&mut editor_queue).await;
        assert_eq!(e["errors"][0]["extensions"]["code"], "FORBIDDEN", "{e:#}");
        tokio::time::sleep(Duration::from_millis(100)).await;

        // Bandung asks Jawa Barat (none of Sumatera Barat's business), then
        // Padang asks Sumatera Barat.
        app.data_as(
            &bandung,
            SUBMIT_FACILITATION,
            facilitation_input("32.73", "Bandung"),
        )
        .await;
        let d = app
            .data_as(
                &padang,
                SUBMIT_FACILITATION,
                facilitation_input("13.71", "Padang"),
            )
            .await;
        let id = d["submitFacilitationRequest"]["request"]["id"].clone();
        for rx in [&mut bureau, &mut requester] {
            let event = next(rx).await;
            assert!(event.get("errors").is_none(), "{event:#}");
            let e = &event["data"]["facilitationRequestChanged"];
            assert_eq!(
                e["regionCode"], "13.71",
                "Bandung's was filtered out: {e:#}"
            );
            assert_eq!(e["provinceCode"], "13");
            assert_eq!(e["status"], "SUBMITTED");
            assert_eq!(e["submitted"], true);
            assert_eq!(e["step"]["actor"], "editor 13.71");
        }
        // Jawa Barat's admin heard Bandung's, and not Padang's.
        let event = next(&mut other).await;
        assert_eq!(
            event["data"]["facilitationRequestChanged"]["regionCode"], "32.73",
            "{event:#}"
        );

        // The bureau assigns it: a step, with its note, to both.
        app.data_as(
            &sumbar,
            r#"mutation ($id: ID!) { advanceFacilitationRequest(input: { id: $id, version: 1, to: ASSIGNED,
              assignee: "Biro Pemerintahan dan Otda", note: "Ditangani Subbagian Kerja Sama" }) { request { id } } }"#,
            json!({ "id": id }),
        )
        .await;
        for rx in [&mut bureau, &mut requester] {
            let event = next(rx).await;
            let e = &event["data"]["facilitationRequestChanged"];
            assert_eq!(e["status"], "ASSIGNED", "{event:#}");
            assert_eq!(e["submitted"], false);
            assert_eq!(e["step"]["status"], "ASSIGNED");
            assert_eq!(e["step"]["actor"], "admin 13");
            assert_eq!(e["step"]["note"], "Ditangani Subbagian Kerja Sama");
            assert_eq!(e["request"]["version"], 2);
        }
        // Nothing more reached Jawa Barat's admin.
        assert!(
            tokio::time::timeout(Duration::from_millis(300), other.recv())
                .await
                .is_err(),
            "Jawa Barat's admin heard of Padang's request"
        );
        app.close().await;
    }
);
