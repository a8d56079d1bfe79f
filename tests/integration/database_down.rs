//! PostgreSQL cut off behind a TCP proxy the test controls: clients get
//! `SERVICE_UNAVAILABLE` with a retry hint (never `INTERNAL_SERVER_ERROR`),
//! `/readyz` answers 503, and service returns by itself once the database
//! is reachable again. SQLite (a file in the process: nothing to cut)
//! locked by another writer gets the same code after a bounded wait.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

use super::*;

/// A TCP proxy the test can cut: cutting refuses new connections and
/// kills the open ones.
#[derive(Default)]
struct Proxy {
    up: AtomicBool,
    /// Latency added to every chunk, both ways (a slowed database).
    delay_ms: std::sync::atomic::AtomicU64,
    open: std::sync::Mutex<Vec<tokio::task::AbortHandle>>,
}

impl Proxy {
    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for h in self.open.lock().unwrap().drain(..) {
            h.abort();
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }

    fn slow_down(&self, ms: u64) {
        self.delay_ms.store(ms, Ordering::SeqCst);
    }
}

/// Copies `from` to `to`, waiting the proxy's delay before each chunk.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    proxy: Arc<Proxy>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let delay = proxy.delay_ms.load(Ordering::SeqCst);
        if delay > 0 {
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}

async fn proxy_to(target: String) -> (std::net::SocketAddr, Arc<Proxy>) {
    let proxy = Arc::new(Proxy::default());
    proxy.restore();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let p = proxy.clone();
    tokio::spawn(async move {
        while let Ok((inbound, _)) = listener.accept().await {
            if !p.up.load(Ordering::SeqCst) {
                drop(inbound);
                continue;
            }
            let target = target.clone();
            let pp = p.clone();
            let task = tokio::spawn(async move {
                if let Ok(outbound) = tokio::net::TcpStream::connect(&target).await {
                    let (in_r, in_w) = inbound.into_split();
                    let (out_r, out_w) = outbound.into_split();
                    let up = tokio::spawn(pump(in_r, out_w, pp.clone()));
                    let down = tokio::spawn(pump(out_r, in_w, pp));
                    // Aborting this task must cut both directions.
                    struct Both(tokio::task::JoinHandle<()>, tokio::task::JoinHandle<()>);
                    impl Drop for Both {
                        fn drop(&mut self) {
                            self.0.abort();
                            self.1.abort();
                        }
                    }
                    let mut both = Both(up, down);
                    // Until the client side closes; the drop ends the other.
                    let _ = (&mut both.0).await;
                }
            });
            p.open.lock().unwrap().push(task.abort_handle());
        }
    });
    (addr, proxy)
}

async fn run(state: &api::AppState, viewer: Option<api::auth::Viewer>, q: &str) -> Value {
    let mut req = async_graphql::Request::new(q);
    if let Some(v) = viewer {
        req = req.data(v);
    }
    serde_json::to_value(state.execute(req).await).unwrap()
}

async fn readyz(state: &api::AppState) -> StatusCode {
    api::app(state.clone())
        .oneshot(Request::get("/readyz").body(Body::empty()).unwrap())
        .await
        .unwrap()
        .status()
}

const READ: &str = "{ practices(first: 3) { totalCount nodes { title } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_cut_off_answers_service_unavailable_and_recovers() {
    let Some(app) = TestApp::with_demo(Backend::Postgres).await else {
        tests::skipped("skipped: DATABASE_URL is not set, PostgreSQL pass not run");
        return;
    };
    // postgres://user@host:port/name -> host:port, and the same URL through
    // the proxy.
    let (before, rest) = app.url.split_once('@').unwrap();
    let (target, name) = rest.split_once('/').unwrap();
    let (addr, proxy) = proxy_to(target.to_owned()).await;
    let proxied = format!("{before}@{addr}/{name}");
    let db = api::db::connect_url(&proxied, 3).await.unwrap();
    let engine: api::search_sync::Engine =
        Arc::new(::search::embedded::EmbeddedEngine::in_ram().unwrap());
    let state = api::state(db.clone(), api::config::Limits::default(), engine);
    tests::wait_listening(&state).await;
    let token = app.token("editor", Some("32.11")).await;
    let viewer = api::auth::authenticate(&app.db, Some(&format!("Bearer {token}")))
        .await
        .unwrap();
    let count = app.data("{ practices { totalCount } }").await;
    let ok = run(&state, None, READ).await;
    assert!(ok.get("errors").is_none(), "{ok:#}");
    assert_eq!(readyz(&state).await, StatusCode::OK);

    proxy.cut();
    let started = Instant::now();
    let down = run(&state, None, READ).await;
    let e = expect_error(&down, "SERVICE_UNAVAILABLE");
    assert_eq!(e["extensions"]["retryAfterSeconds"], 2, "{down:#}");
    assert!(
        !down.to_string().contains("INTERNAL_SERVER_ERROR"),
        "{down:#}"
    );
    let answered_in = started.elapsed();
    // A write is refused the same way, and writes nothing.
    let write = run(
        &state,
        Some(viewer.clone()),
        r#"mutation { createPractice(input: { title: "Saat basis data putus", summary: "x", ownerRegionCode: "32.11", sectors: [HEALTH], form: OTHER }) { practice { id } } }"#,
    )
    .await;
    expect_error(&write, "SERVICE_UNAVAILABLE");
    // Over HTTP with a token to check: 503 and Retry-After, not a 401.
    let resp = api::app(state.clone())
        .oneshot(
            Request::post("/graphql")
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {token}"))
                .body(Body::from(json!({ "query": READ }).to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(resp.headers()["retry-after"], "2");
    assert_eq!(readyz(&state).await, StatusCode::SERVICE_UNAVAILABLE);
    // The replica's event listener lost its connection too, and knows it.
    let mut lost = false;
    for _ in 0..100 {
        if !state.events_listening() {
            lost = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(lost, "the listener noticed the cut");

    proxy.restore();
    let back = Instant::now();
    let mut recovered = None;
    for _ in 0..100 {
        let r = run(&state, None, READ).await;
        if r.get("errors").is_none() {
            recovered = Some(back.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let recovered = recovered.expect("service returns once the database is reachable");
    // The listener reconnects by itself, and /readyz says so.
    tests::wait_listening(&state).await;
    let body = api::app(state.clone())
        .oneshot(Request::get("/readyz").body(Body::empty()).unwrap())
        .await
        .unwrap()
        .into_body();
    let body = http_body_util::BodyExt::collect(body)
        .await
        .unwrap()
        .to_bytes();
    let ready: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(ready["events"], "listening", "{ready}");
    assert_eq!(ready["status"], "ready", "{ready}");
    assert_eq!(
        app.data("{ practices { totalCount } }").await,
        count,
        "the refused write wrote nothing"
    );
    eprintln!(
        "database cut: SERVICE_UNAVAILABLE after {answered_in:?}; service back {recovered:?} after the database"
    );
    drop(state);
    let _ = db.close().await;
    app.close().await;
}

/// The practice titled `title` and what a create writes beside it, counted
/// straight on the database: (practices, sectors, audit entries, outbox rows).
async fn written(db: &sea_orm::DatabaseConnection, title: &str) -> (usize, usize, usize, usize) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let found = entity::practice::Entity::find()
        .filter(entity::practice::Column::Title.eq(title))
        .all(db)
        .await
        .unwrap();
    let (mut sectors, mut audit, mut outbox) = (0, 0, 0);
    for p in &found {
        sectors += entity::practice_sector::Entity::find()
            .filter(entity::practice_sector::Column::PracticeId.eq(p.id))
            .all(db)
            .await
            .unwrap()
            .len();
        audit += entity::audit_entry::Entity::find()
            .filter(entity::audit_entry::Column::ObjectId.eq(p.id.to_string()))
            .all(db)
            .await
            .unwrap()
            .len();
        outbox += entity::search_outbox::Entity::find()
            .filter(entity::search_outbox::Column::ObjectId.eq(p.id.to_string()))
            .all(db)
            .await
            .unwrap()
            .len();
    }
    (found.len(), sectors, audit, outbox)
}

// PostgreSQL slowed (latency on every packet), then cut and brought back
// (as a restart does to every connection) while 16 writes are in flight:
// slowed, reads and writes answer correctly; cut, each mutation either
// committed whole (practice, sector, audit entry, outbox row) or wrote
// nothing, and the ones that failed answer SERVICE_UNAVAILABLE; once the
// database is back, service returns by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_slowed_then_restarted_mid_write_leaves_no_partial_write() {
    let Some(app) = TestApp::with_demo(Backend::Postgres).await else {
        tests::skipped("skipped: DATABASE_URL is not set, PostgreSQL pass not run");
        return;
    };
    let (before, rest) = app.url.split_once('@').unwrap();
    let (target, name) = rest.split_once('/').unwrap();
    let (addr, proxy) = proxy_to(target.to_owned()).await;
    let proxied = format!("{before}@{addr}/{name}");
    let db = api::db::connect_url(&proxied, 8).await.unwrap();
    let engine: api::search_sync::Engine =
        Arc::new(::search::embedded::EmbeddedEngine::in_ram().unwrap());
    let state = api::state(db.clone(), api::config::Limits::default(), engine);
    let token = app.token("editor", Some("32.11")).await;
    let viewer = api::auth::authenticate(&app.db, Some(&format!("Bearer {token}")))
        .await
        .unwrap();
    let create = |title: &str| {
        format!(
            r#"mutation {{ createPractice(input: {{ title: "{title}", summary: "Ditulis saat basis data terganggu", ownerRegionCode: "32.11", sectors: [HEALTH], form: OTHER }}) {{ practice {{ id title }} }} }}"#
        )
    };

    // Slowed: 100 ms each way on every packet.
    proxy.slow_down(100);
    let started = Instant::now();
    let read = run(&state, None, READ).await;
    assert!(read.get("errors").is_none(), "{read:#}");
    let slow_title = "Layanan Saat Basis Data Lambat";
    let w = run(&state, Some(viewer.clone()), &create(slow_title)).await;
    assert!(w.get("errors").is_none(), "{w:#}");
    assert_eq!(written(&app.db, slow_title).await, (1, 1, 1, 1));
    let slowed_in = started.elapsed();

    // Cut while writes are in flight: one starts every 60 ms and each
    // packet waits 30 ms, so a create takes about a second.
    proxy.slow_down(30);
    let titles: Vec<String> = (0..16)
        .map(|i| format!("Layanan Saat Basis Data Dimulai Ulang {i}"))
        .collect();
    let mut writes = Vec::new();
    for t in &titles {
        let (state, viewer, q) = (state.clone(), viewer.clone(), create(t));
        writes.push(tokio::spawn(
            async move { run(&state, Some(viewer), &q).await },
        ));
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
    // Cut as soon as the first has committed (the later ones are still
    // mid-transaction then).
    let deadline = Instant::now() + Duration::from_secs(30);
    while written(&app.db, &titles[0]).await.0 == 0 {
        assert!(Instant::now() < deadline, "no write committed");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    proxy.cut();
    let mut answers = Vec::new();
    for w in writes {
        answers.push(w.await.unwrap());
    }
    proxy.slow_down(0);
    tokio::time::sleep(Duration::from_millis(500)).await;
    proxy.restore();

    let (mut ok, mut refused, mut committed_unseen) = (0, 0, 0);
    for (title, answer) in titles.iter().zip(&answers) {
        let got = written(&app.db, title).await;
        match answer.get("errors") {
            None => {
                ok += 1;
                assert_eq!(got, (1, 1, 1, 1), "{title}: answered ok but not whole");
            }
            Some(_) => {
                refused += 1;
                let e = expect_error(answer, "SERVICE_UNAVAILABLE");
                assert!(
                    e["extensions"]["retryAfterSeconds"].is_number(),
                    "{answer:#}"
                );
                // A commit whose acknowledgement the cut lost is whole too.
                assert!(
                    got == (0, 0, 0, 0) || got == (1, 1, 1, 1),
                    "{title}: a partial write: {got:?}"
                );
                if got.0 == 1 {
                    committed_unseen += 1;
                }
            }
        }
    }
    assert!(refused > 0, "the cut came while writes were in flight");
    assert!(ok > 0, "writes before the cut committed");

    let back = Instant::now();
    let mut recovered = None;
    for _ in 0..100 {
        let r = run(
            &state,
            Some(viewer.clone()),
            &create("Layanan Setelah Basis Data Kembali"),
        )
        .await;
        if r.get("errors").is_none() {
            recovered = Some(back.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let recovered = recovered.expect("service returns once the database is back");
    eprintln!(
        "slowed database: a read and a write in {slowed_in:?}; restarted mid-write: {ok} committed, {refused} SERVICE_UNAVAILABLE ({committed_unseen} of them committed before the cut), 0 partial; service back {recovered:?} after the database"
    );
    drop(state);
    let _ = db.close().await;
    app.close().await;
}

// SQLite: another process holding the write lock. A write waits for the
// busy timeout (5 s), then gets SERVICE_UNAVAILABLE, never a hang; reads
// go on meanwhile (WAL), and once the lock is released writes succeed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_locked_by_another_writer_answers_service_unavailable_after_a_bounded_wait() {
    use sea_orm::TransactionTrait;
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    // The token first: making one is a write too.
    let token = app.token("editor", Some("32.11")).await;
    let other = api::db::connect_url(&app.url, 1).await.unwrap();
    let lock = other
        .begin_with_options(sea_orm::TransactionOptions {
            sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await
        .unwrap();
    let started = Instant::now();
    let write = app
        .query_as(
            &token,
            r#"mutation { createPractice(input: { title: "Saat terkunci", summary: "x", ownerRegionCode: "32.11", sectors: [HEALTH], form: OTHER }) { practice { id } } }"#,
            json!({}),
        )
        .await;
    let waited = started.elapsed();
    let e = expect_error(&write, "SERVICE_UNAVAILABLE");
    assert_eq!(e["extensions"]["retryAfterSeconds"], 2);
    assert!(waited < Duration::from_secs(15), "{waited:?}");
    let read = app.query(READ).await;
    assert!(read.get("errors").is_none(), "{read:#}");
    lock.rollback().await.unwrap();
    let _ = other.close().await;
    let ok = app
        .query_as(
            &token,
            r#"mutation { createPractice(input: { title: "Setelah terkunci", summary: "x", ownerRegionCode: "32.11", sectors: [HEALTH], form: OTHER }) { practice { id } } }"#,
            json!({}),
        )
        .await;
    assert!(ok.get("errors").is_none(), "{ok:#}");
    eprintln!("SQLite locked by another writer: SERVICE_UNAVAILABLE after {waited:?}");
    app.close().await;
}
