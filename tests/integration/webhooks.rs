//! Webhooks (issue 16): a receiver on loopback gets every change that
//! concerns its region, each verified by its signature; taken down for a
//! while (answering 503, then not listening at all), it receives what it
//! missed once it is back, each delivery with its id; an endpoint failing
//! too long is paused and resumed; only the region's admins manage it;
//! a refused write queues nothing.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use api::webhook::{WebhookConfig, deliver_due};
use axum::http::{HeaderMap, StatusCode};
use sha2::{Digest, Sha256};

use crate::*;

const E_OFFICE: &str = "00000000-de70-4000-8000-000000000101";

/// One request the receiver got.
#[derive(Clone, Debug)]
pub(crate) struct Received {
    pub(crate) delivery: String,
    pub(crate) event: String,
    pub(crate) signature: String,
    pub(crate) body: String,
}

/// A webhook receiver on loopback that records what it gets; `down`
/// makes it answer 503.
pub(crate) struct Receiver {
    pub(crate) addr: SocketAddr,
    got: Arc<Mutex<Vec<Received>>>,
    pub(crate) down: Arc<AtomicBool>,
    server: tokio::task::JoinHandle<()>,
}

impl Receiver {
    pub(crate) async fn start(addr: SocketAddr) -> Self {
        let got = Arc::new(Mutex::new(Vec::new()));
        let down = Arc::new(AtomicBool::new(false));
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (g, d) = (got.clone(), down.clone());
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let (g, d) = (g.clone(), d.clone());
                async move {
                    if d.load(Ordering::SeqCst) {
                        return StatusCode::SERVICE_UNAVAILABLE;
                    }
                    let h = |n: &str| {
                        headers
                            .get(n)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_owned()
                    };
                    g.lock().unwrap().push(Received {
                        delivery: h("berguru-delivery"),
                        event: h("berguru-event"),
                        signature: h("berguru-signature"),
                        body,
                    });
                    StatusCode::NO_CONTENT
                }
            }),
        );
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            addr,
            got,
            down,
            server,
        }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://{}/hook", self.addr)
    }

    pub(crate) fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Stops listening altogether (connections are refused).
    pub(crate) fn stop(self) -> SocketAddr {
        self.server.abort();
        self.addr
    }
}

/// HMAC-SHA256, written here from RFC 2104 rather than taken from the code
/// under test.
fn hmac(key: &[u8], msg: &[u8]) -> String {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let inner = Sha256::new()
        .chain_update(k.map(|b| b ^ 0x36))
        .chain_update(msg)
        .finalize();
    let outer = Sha256::new()
        .chain_update(k.map(|b| b ^ 0x5c))
        .chain_update(inner)
        .finalize();
    outer.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a delivery's signature checks out with `secret`, as a receiver
/// checks it: the timestamp is recent and the MAC covers "<t>.<body>".
fn signed(r: &Received, secret: &str) -> bool {
    let (t, v1) = r
        .signature
        .split_once(',')
        .and_then(|(t, v)| Some((t.strip_prefix("t=")?, v.strip_prefix("v1=")?)))
        .unwrap_or_else(|| panic!("malformed signature {:?}", r.signature));
    let age = chrono::Utc::now().timestamp() - t.parse::<i64>().unwrap();
    (0..300).contains(&age) && v1 == hmac(secret.as_bytes(), format!("{t}.{}", r.body).as_bytes())
}

/// Checks a delivery's signature and headers; returns its body.
pub(crate) fn verify(r: &Received, secret: &str) -> Value {
    assert!(signed(r, secret), "bad signature on {r:#?}");
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body["deliveryId"], r.delivery.as_str());
    assert_eq!(body["event"], r.event.as_str());
    body
}

/// Fast retries for tests; `pause_after_secs` as given.
pub(crate) fn config(pause_after_secs: u64) -> WebhookConfig {
    WebhookConfig {
        retry_base_ms: 20,
        retry_max_secs: 1,
        pause_after_secs,
        timeout_ms: 2_000,
        ..WebhookConfig::default()
    }
}

/// Runs delivery rounds until `n` more requests arrived (or 5 s passed).
pub(crate) async fn deliver_until(app: &TestApp, rx: &Receiver, cfg: &WebhookConfig, n: usize) {
    let client = api::webhook::client(cfg);
    let want = rx.received().len() + n;
    for _ in 0..100 {
        deliver_due(&app.db, &client, cfg).await.unwrap();
        if rx.received().len() >= want {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "expected {want} requests at the receiver, got {}: {:#?}",
        rx.received().len(),
        rx.received()
    );
}

const REGISTER: &str = r#"mutation ($in: RegisterWebhookEndpointInput!) {
  registerWebhookEndpoint(input: $in) { secret endpoint { id version url status events region { code } } } }"#;
const ENDPOINT: &str = r#"query ($id: ID!) { webhookEndpoint(id: $id) {
  status failing failingSince lastError lastDeliveredAt pendingDeliveries version
  deliveries { id event objectId attempts deliveredAt nextAttemptAt lastStatus lastError } } }"#;

pub(crate) async fn register(
    app: &TestApp,
    admin: &str,
    region: &str,
    url: &str,
    events: Value,
) -> (String, String) {
    let d = app
        .data_as(
            admin,
            REGISTER,
            json!({ "in": { "regionCode": region, "url": url, "events": events } }),
        )
        .await;
    let r = &d["registerWebhookEndpoint"];
    (
        r["endpoint"]["id"].as_str().unwrap().to_owned(),
        r["secret"].as_str().unwrap().to_owned(),
    )
}

pub(crate) async fn endpoint(app: &TestApp, admin: &str, id: &str) -> Value {
    app.data_as(admin, ENDPOINT, json!({ "id": id })).await["webhookEndpoint"].clone()
}

scenario!(
    a_loopback_receiver_gets_every_event_signed_and_what_it_missed_once_back,
    with_demo,
    |app| async move {
        let banten = app.token("admin", Some("36")).await;
        let lebak = app.token("editor", Some("36.02")).await;
        let sumedang = app.token("editor", Some("32.11")).await;
        let mut rx = Receiver::start("127.0.0.1:0".parse().unwrap()).await;
        let province_rx = Receiver::start("127.0.0.1:0".parse().unwrap()).await;
        let (hook, secret) = register(
            &app,
            &banten,
            "36.02",
            &rx.url(),
            json!([
                "LEARNING_REQUEST_CHANGED",
                "EXPRESSION_OF_INTEREST_CHANGED",
                "VISIT_CHANGED"
            ]),
        )
        .await;
        // Banten's own endpoint hears its regencies' requests, nothing else.
        let (_, province_secret) = register(
            &app,
            &banten,
            "36",
            &province_rx.url(),
            json!(["LEARNING_REQUEST_CHANGED"]),
        )
        .await;

        // The path: Lebak posts, Sumedang answers, Lebak accepts with a visit.
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
        let d = app
            .data_as(
                &lebak,
                r#"mutation ($id: ID!) { acceptExpressionOfInterest(input: { id: $id, version: 1, visit: { startsOn: "2027-03-10", endsOn: "2027-03-11", delegationSize: 12 } }) { visit { id } } }"#,
                json!({ "id": expression }),
            )
            .await;
        let visit = d["acceptExpressionOfInterest"]["visit"]["id"]
            .as_str()
            .unwrap()
            .to_owned();

        // Every delivery queued in its write's transaction, none sent yet.
        let e = endpoint(&app, &banten, &hook).await;
        let queued = e["pendingDeliveries"].as_u64().unwrap();
        assert!(queued >= 4, "{e:#}");
        assert_eq!(e["deliveries"].as_array().unwrap().len() as u64, queued);

        let cfg = config(3_600);
        deliver_until(&app, &rx, &cfg, queued as usize).await;
        let got = rx.received();
        assert_eq!(got.len() as u64, queued, "{got:#?}");
        let bodies: Vec<Value> = got.iter().map(|r| verify(r, &secret)).collect();
        let has = |event: &str, id: &str| {
            bodies.iter().any(|b| {
                b["event"] == event && b["objectId"] == id && b["endpointRegionCode"] == "36.02"
            })
        };
        assert!(has("LEARNING_REQUEST_CHANGED", &request), "{bodies:#?}");
        assert!(
            has("EXPRESSION_OF_INTEREST_CHANGED", &expression),
            "{bodies:#?}"
        );
        assert!(has("VISIT_CHANGED", &visit), "{bodies:#?}");
        let expression_events = bodies
            .iter()
            .filter(|b| b["event"] == "EXPRESSION_OF_INTEREST_CHANGED")
            .count();
        assert_eq!(expression_events, 2, "made, then accepted: {bodies:#?}");
        let regions = bodies
            .iter()
            .find(|b| b["event"] == "EXPRESSION_OF_INTEREST_CHANGED")
            .unwrap()["regionCodes"]
            .clone();
        assert_eq!(regions, json!(["32.11", "36.02"]));
        // A forged body fails the receiver's check.
        let mut forged = got[0].clone();
        forged.body = forged.body.replace("36.02", "36.01");
        assert!(signed(&got[0], &secret));
        assert!(!signed(&forged, &secret));
        assert!(
            !signed(&got[0], &province_secret),
            "another endpoint's secret"
        );
        // Delivered: the log says so, nothing waits.
        let e = endpoint(&app, &banten, &hook).await;
        assert_eq!(e["pendingDeliveries"], 0, "{e:#}");
        assert_eq!(e["failing"], false);
        assert!(e["lastDeliveredAt"].is_string());
        for d in e["deliveries"].as_array().unwrap() {
            assert_eq!(d["attempts"], 1, "{d:#}");
            assert_eq!(d["lastStatus"], 204);
            assert!(d["deliveredAt"].is_string() && d["nextAttemptAt"].is_null());
        }
        // The province's endpoint heard the request only.
        deliver_until(&app, &province_rx, &cfg, 0).await;
        let p = province_rx.received();
        assert!(!p.is_empty());
        for r in &p {
            let b = verify(r, &province_secret);
            assert_eq!(b["event"], "LEARNING_REQUEST_CHANGED");
            assert_eq!(b["endpointRegionCode"], "36");
        }

        // Down (503): the close is retried, and the endpoint says it fails.
        rx.down.store(true, Ordering::SeqCst);
        app.data_as(
            &lebak,
            r#"mutation ($id: ID!) { closeLearningRequest(input: { id: $id, version: 1, outcome: FULFILLED, note: "Kunjungan dijadwalkan" }) { request { status } } }"#,
            json!({ "id": request }),
        )
        .await;
        let client = api::webhook::client(&cfg);
        deliver_due(&app.db, &client, &cfg).await.unwrap();
        let e = endpoint(&app, &banten, &hook).await;
        assert_eq!(e["failing"], true, "{e:#}");
        assert_eq!(e["status"], "ACTIVE");
        assert_eq!(e["pendingDeliveries"], 1);
        assert!(e["lastError"].as_str().unwrap().contains("503"), "{e:#}");
        let waiting = &e["deliveries"][0];
        assert_eq!(waiting["lastStatus"], 503, "{e:#}");
        assert!(waiting["nextAttemptAt"].is_string());

        // Gone (connection refused): a second visit is scheduled meanwhile.
        let addr = rx.stop();
        let d = app
            .data_as(
                &lebak,
                r#"mutation { scheduleVisit(input: { visitorRegionCode: "36.02", hostRegionCode: "32.73", startsOn: "2027-04-07", endsOn: "2027-04-08", delegationSize: 8 }) { visit { id } } }"#,
                json!({}),
            )
            .await;
        let second_visit = d["scheduleVisit"]["visit"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        deliver_due(&app.db, &client, &cfg).await.unwrap();
        let e = endpoint(&app, &banten, &hook).await;
        assert_eq!(e["pendingDeliveries"], 2, "{e:#}");
        assert!(
            e["lastError"].as_str().unwrap().contains("connect"),
            "{e:#}"
        );

        // Back on the same address: both missed events arrive, once each.
        rx = Receiver::start(addr).await;
        deliver_until(&app, &rx, &cfg, 2).await;
        let got = rx.received();
        let events: Vec<(String, String)> = got
            .iter()
            .map(|r| {
                let b = verify(r, &secret);
                (
                    b["event"].as_str().unwrap().to_owned(),
                    b["objectId"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert!(
            events.contains(&("LEARNING_REQUEST_CHANGED".into(), request.clone())),
            "{events:?}"
        );
        assert!(
            events.contains(&("VISIT_CHANGED".into(), second_visit.clone())),
            "{events:?}"
        );
        let mut ids: Vec<&str> = got.iter().map(|r| r.delivery.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), got.len(), "each delivery has its own id");
        let e = endpoint(&app, &banten, &hook).await;
        assert_eq!(e["pendingDeliveries"], 0, "{e:#}");
        assert_eq!(e["failing"], false);
        assert!(e["lastError"].is_null());

        // A refused write queues nothing: the closed request takes no
        // expression.
        let before = endpoint(&app, &banten, &hook).await["deliveries"]
            .as_array()
            .unwrap()
            .len();
        expect_error(
            &app.query_as(
                &sumedang,
                r#"mutation ($r: ID!) { expressInterest(input: { requestId: $r, regionCode: "32.11", message: "lagi" }) { expression { id } } }"#,
                json!({ "r": request }),
            )
            .await,
            "BAD_USER_INPUT",
        );
        let after = endpoint(&app, &banten, &hook).await["deliveries"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(before, after);
        app.close().await;
    }
);

scenario!(
    an_endpoint_failing_too_long_is_paused_and_its_deliveries_wait_for_resume,
    with_demo,
    |app| async move {
        let national = app.token("admin", None).await;
        let lebak = app.token("editor", Some("36.02")).await;
        let rx = Receiver::start("127.0.0.1:0".parse().unwrap()).await;
        let (hook, secret) = register(
            &app,
            &national,
            "36.02",
            &rx.url(),
            json!(["LEARNING_REQUEST_CHANGED"]),
        )
        .await;
        rx.down.store(true, Ordering::SeqCst);
        const POST: &str = r#"mutation ($t: String!) { postLearningRequest(input: { regionCode: "36.02", topic: $t, sectors: [HEALTH], objectives: ["Belajar"], contactAgency: "Dinkes" }) { request { id } } }"#;
        app.data_as(&lebak, POST, json!({ "t": "Puskesmas keliling" }))
            .await;
        // Paused after the first failure (pause after 0 s).
        let cfg = config(0);
        let client = api::webhook::client(&cfg);
        deliver_due(&app.db, &client, &cfg).await.unwrap();
        let e = endpoint(&app, &national, &hook).await;
        assert_eq!(e["status"], "PAUSED", "{e:#}");
        // Paused: the receiver is back, but nothing is sent; new changes wait.
        rx.down.store(false, Ordering::SeqCst);
        app.data_as(&lebak, POST, json!({ "t": "Posyandu digital" }))
            .await;
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        assert_eq!(deliver_due(&app.db, &client, &cfg).await.unwrap(), 0);
        assert!(rx.received().is_empty());
        let e = endpoint(&app, &national, &hook).await;
        assert_eq!(e["pendingDeliveries"], 2, "{e:#}");
        // Resumed: both go out on the next round.
        let d = app
            .data_as(
                &national,
                r#"mutation ($id: ID!, $v: Int!) { resumeWebhookEndpoint(input: { id: $id, version: $v }) { endpoint { status failing version } } }"#,
                json!({ "id": hook, "v": e["version"] }),
            )
            .await;
        assert_eq!(d["resumeWebhookEndpoint"]["endpoint"]["status"], "ACTIVE");
        assert_eq!(d["resumeWebhookEndpoint"]["endpoint"]["failing"], false);
        deliver_until(&app, &rx, &config(3_600), 2).await;
        for r in rx.received() {
            verify(&r, &secret);
        }
        app.close().await;
    }
);

scenario!(
    only_the_region_s_admins_manage_its_endpoints_and_bad_input_is_named,
    with_demo,
    |app| async move {
        let banten = app.token("admin", Some("36")).await;
        let jabar = app.token("admin", Some("32")).await;
        let lebak = app.token("editor", Some("36.02")).await;
        let input = |url: &str, events: Value| json!({ "in": { "regionCode": "36.02", "url": url, "events": events } });
        let ok = input(
            "https://hooks.lebakkab.go.id/berguru",
            json!(["VISIT_CHANGED"]),
        );
        // An editor, and another province's admin, may not.
        for t in [&lebak, &jabar] {
            expect_error(&app.query_as(t, REGISTER, ok.clone()).await, "FORBIDDEN");
        }
        expect_error(
            &app.query_with(REGISTER, ok.clone()).await,
            "UNAUTHENTICATED",
        );
        // Bad URLs and no events are refused on the field, nothing written.
        for (url, events) in [
            (
                "http://hooks.lebakkab.go.id/berguru",
                json!(["VISIT_CHANGED"]),
            ),
            ("ftp://127.0.0.1/x", json!(["VISIT_CHANGED"])),
            (
                "https://user:pw@hooks.lebakkab.go.id/",
                json!(["VISIT_CHANGED"]),
            ),
            ("not a url", json!(["VISIT_CHANGED"])),
            ("https://hooks.lebakkab.go.id/berguru", json!([])),
        ] {
            let v = app.query_as(&banten, REGISTER, input(url, events)).await;
            expect_error(&v, "BAD_USER_INPUT");
        }
        let list = r#"query { webhookEndpoints(regionCode: "36.02") { id url } }"#;
        let d = app.data_as(&banten, list, json!({})).await;
        assert_eq!(d["webhookEndpoints"], json!([]));
        // The province's admin registers; the secret is shown once, never read.
        let (id, secret) = register(
            &app,
            &banten,
            "36.02",
            "https://hooks.lebakkab.go.id/berguru",
            json!(["VISIT_CHANGED", "VISIT_CHANGED"]),
        )
        .await;
        assert!(
            secret.starts_with("whsec_") && secret.len() > 40,
            "{secret}"
        );
        let d = app
            .data_as(
                &banten,
                r#"query { webhookEndpoints(regionCode: "36.02") { id events status version } }"#,
                json!({}),
            )
            .await;
        assert_eq!(d["webhookEndpoints"][0]["events"], json!(["VISIT_CHANGED"]));
        expect_error(&app.query_as(&lebak, list, json!({})).await, "FORBIDDEN");
        expect_error(&app.query_as(&jabar, list, json!({})).await, "FORBIDDEN");
        // The audit log has the endpoint, not its secret.
        let national = app.token("admin", None).await;
        let audit = app
            .data_as(
                &national,
                r#"query ($id: ID!) { auditLog(filter: { objectId: $id }) { nodes { action after } } }"#,
                json!({ "id": id }),
            )
            .await;
        let text = audit.to_string();
        assert!(text.contains("registerWebhookEndpoint"), "{text}");
        assert!(
            !text.contains(&secret),
            "the secret leaked into the audit log"
        );
        // Versioned changes; a stale version is CONFLICT.
        const UPDATE: &str = r#"mutation ($id: ID!, $v: Int!, $url: String) { updateWebhookEndpoint(input: { id: $id, version: $v, url: $url }) { endpoint { url version } } }"#;
        let d = app
            .data_as(
                &banten,
                UPDATE,
                json!({ "id": id, "v": 1, "url": "https://hooks.lebakkab.go.id/v2" }),
            )
            .await;
        assert_eq!(d["updateWebhookEndpoint"]["endpoint"]["version"], 2);
        expect_error(
            &app.query_as(
                &banten,
                UPDATE,
                json!({ "id": id, "v": 1, "url": "https://x.example/" }),
            )
            .await,
            "CONFLICT",
        );
        const REMOVE: &str = r#"mutation ($id: ID!, $v: Int!) { removeWebhookEndpoint(input: { id: $id, version: $v }) { endpoint { id } } }"#;
        expect_error(
            &app.query_as(&jabar, REMOVE, json!({ "id": id, "v": 2 }))
                .await,
            "FORBIDDEN",
        );
        app.data_as(&banten, REMOVE, json!({ "id": id, "v": 2 }))
            .await;
        let d = app.data_as(&banten, list, json!({})).await;
        assert_eq!(d["webhookEndpoints"], json!([]));

        // At most 10 endpoints a region: the eleventh is refused on
        // `regionCode`, and nothing is written.
        for i in 0..10 {
            register(
                &app,
                &banten,
                "36.02",
                &format!("https://hooks.lebakkab.go.id/{i}"),
                json!(["VISIT_CHANGED"]),
            )
            .await;
        }
        let e = expect_error(
            &app.query_as(
                &banten,
                REGISTER,
                input("https://hooks.lebakkab.go.id/11", json!(["VISIT_CHANGED"])),
            )
            .await,
            "BAD_USER_INPUT",
        );
        assert_eq!(e["extensions"]["field"], "regionCode", "{e:#}");
        let d = app.data_as(&banten, list, json!({})).await;
        assert_eq!(d["webhookEndpoints"].as_array().unwrap().len(), 10);
        // Another region keeps its own allowance.
        register(
            &app,
            &banten,
            "36.01",
            "https://hooks.pandeglangkab.go.id/",
            json!(["VISIT_CHANGED"]),
        )
        .await;
        app.close().await;
    }
);

scenario!(
    two_workers_share_the_deliveries_and_send_each_once,
    with_demo,
    |app| async move {
        let national = app.token("admin", None).await;
        let lebak = app.token("editor", Some("36.02")).await;
        let rx = Receiver::start("127.0.0.1:0".parse().unwrap()).await;
        let (hook, secret) = register(
            &app,
            &national,
            "36.02",
            &rx.url(),
            json!(["LEARNING_REQUEST_CHANGED"]),
        )
        .await;
        const POST: &str = r#"mutation ($t: String!) { postLearningRequest(input: { regionCode: "36.02", topic: $t, sectors: [HEALTH], objectives: ["Belajar"], contactAgency: "Dinkes" }) { request { id } } }"#;
        const N: usize = 120;
        for i in 0..N {
            app.data_as(&lebak, POST, json!({ "t": format!("Topik {i}") }))
                .await;
        }
        // Two workers (as two replicas would run them) at once, each with
        // its own client; each round takes at most 50.
        let cfg = config(3_600);
        let (a, b) = (api::webhook::client(&cfg), api::webhook::client(&cfg));
        let (x, y) = tokio::join!(
            deliver_due(&app.db, &a, &cfg),
            deliver_due(&app.db, &b, &cfg)
        );
        let (x, y) = (x.unwrap(), y.unwrap());
        assert_eq!(x + y, N, "{x} + {y}");
        let got = rx.received();
        assert_eq!(got.len(), N);
        let mut ids: Vec<&str> = got.iter().map(|r| r.delivery.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), N, "a delivery was sent twice");
        for r in &got {
            verify(r, &secret);
        }
        assert_eq!(
            endpoint(&app, &national, &hook).await["pendingDeliveries"],
            0
        );
        app.close().await;
    }
);
