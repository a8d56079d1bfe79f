//! Test harness: `TestApp` starts the real application (same `build_schema`
//! and `app` as `main`) on a database of its own, created for the test and
//! dropped after it.
//!
//! Every scenario runs on SQLite (in memory) and, when `DATABASE_URL` names a
//! PostgreSQL server, again on a fresh PostgreSQL database; see [`scenario!`].
// A harness may panic: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use api::config::Limits;
use api::{AppState, app};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{Value, json};
use tower::ServiceExt;

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Says that a variant was skipped and why: on the real standard error
/// (past the test harness's capture), once per reason per test binary, and
/// in the test's own output.
pub fn skipped(reason: &str) {
    use std::io::Write;
    static SEEN: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    eprintln!("{reason}");
    let mut seen = SEEN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !seen.iter().any(|r| r == reason) {
        seen.push(reason.to_owned());
        let _ = writeln!(
            std::io::stderr(),
            "{reason} (every such variant passes without running)"
        );
    }
}

/// Which search engine a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchBackend {
    /// The embedded engine, in RAM: always.
    Embedded,
    /// Meilisearch at `MEILI_URL` (with `MEILI_MASTER_KEY`), on indexes of
    /// the test's own: only when `MEILI_URL` is set.
    Meili,
}

/// Meilisearch indexes made for one test, deleted after it.
struct MeiliIndexes(search::meili::MeiliEngine);

impl Drop for MeiliIndexes {
    fn drop(&mut self) {
        let engine = self.0.clone();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(engine.drop_all()).ok()
        })
        .join();
    }
}

/// The Meilisearch engine for a test, on a unique index prefix; `None`
/// without `MEILI_URL`.
pub fn meili_engine() -> Option<search::meili::MeiliEngine> {
    let url = std::env::var("MEILI_URL").ok().filter(|u| !u.is_empty())?;
    let key = std::env::var("MEILI_MASTER_KEY")
        .or_else(|_| std::env::var("MEILI_API_KEY"))
        .ok();
    let prefix = format!("t{}_", uuid::Uuid::new_v4().simple());
    Some(
        search::meili::MeiliEngine::new(
            &url,
            key.as_deref(),
            &prefix,
            std::time::Duration::from_secs(10),
        )
        .expect("Meilisearch client"),
    )
}

/// A running application on its own database.
pub struct TestApp {
    pub backend: Backend,
    pub search_backend: SearchBackend,
    /// The database's URL (for a second replica's own pool).
    pub url: String,
    pub db: DatabaseConnection,
    pub state: AppState,
    _meili: Option<MeiliIndexes>,
    statements: Arc<AtomicUsize>,
    log: Arc<std::sync::Mutex<Vec<String>>>,
    pg_drop: Option<PgDatabase>,
    _sqlite_dir: Option<tempfile::TempDir>,
}

struct PgDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop runs outside async; a short-lived runtime on its own thread
        // removes the database even when the test panicked.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let admin = api::db::connect_url(&admin_url, 1).await.ok()?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await
                    .ok()?;
                admin.close().await.ok()
            })
        })
        .join();
    }
}

fn base_url(url: &str) -> &str {
    let no_query = url.split('?').next().unwrap_or(url);
    match no_query.rfind('/') {
        Some(i) if i > "postgres://".len() => &no_query[..i],
        _ => no_query,
    }
}

impl TestApp {
    /// Starts the app on `backend` with migrations applied (regions loaded).
    /// `None` for PostgreSQL when `DATABASE_URL` is not set.
    pub async fn spawn(backend: Backend) -> Option<Self> {
        Self::spawn_with_limits(backend, Limits::default()).await
    }

    /// Like [`TestApp::spawn`], with the demo data loaded (and indexed).
    pub async fn with_demo(backend: Backend) -> Option<Self> {
        let app = Self::spawn(backend).await?;
        app.load_demo().await;
        Some(app)
    }

    /// Starts the app on `backend` and the `search` engine; `None` when
    /// either is not available (no `DATABASE_URL`, no `MEILI_URL`).
    pub async fn spawn_search(backend: Backend, search: SearchBackend) -> Option<Self> {
        Self::start(backend, Limits::default(), search).await
    }

    /// Like [`TestApp::spawn_search`], with the demo data loaded and indexed.
    pub async fn with_demo_search(backend: Backend, search: SearchBackend) -> Option<Self> {
        let app = Self::spawn_search(backend, search).await?;
        app.load_demo().await;
        Some(app)
    }

    /// Loads the demo data set and brings the index up to date, as the
    /// server's start does.
    pub async fn load_demo(&self) {
        api::seed::load_demo(&self.db)
            .await
            .expect("demo data loads");
        api::search_sync::ensure_complete(&self.db, self.state.search.as_ref())
            .await
            .expect("index rebuilt");
        self.settle().await;
    }

    /// PostgreSQL: waits until this app's listener has heard every change
    /// announced so far (a marker event sent now comes back after them), so
    /// that a late invalidation of the response cache cannot land in the
    /// middle of the test's next steps.
    pub async fn settle(&self) {
        if self.backend != Backend::Postgres {
            return;
        }
        let mut rx = self.state.events.subscribe();
        let marker = api::events::Event::Changed {
            object: "TestMarker".into(),
            id: uuid::Uuid::new_v4().to_string(),
        };
        api::events::announce(&self.db, &marker)
            .await
            .expect("marker sent");
        tokio::time::timeout(std::time::Duration::from_secs(10), async {
            loop {
                match rx.recv().await {
                    Ok(e) if e == marker => return,
                    Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                }
            }
        })
        .await
        .expect("the listener hears its marker within 10 s");
    }

    /// Sends every pending outbox row to the engine now (the server's worker
    /// does it every few hundred milliseconds).
    pub async fn sync_search(&self) {
        api::search_sync::drain(&self.db, self.state.search.as_ref())
            .await
            .expect("outbox drains");
    }

    /// Starts the app with custom limits.
    pub async fn spawn_with_limits(backend: Backend, limits: Limits) -> Option<Self> {
        Self::start(backend, limits, SearchBackend::Embedded).await
    }

    async fn start(backend: Backend, limits: Limits, search: SearchBackend) -> Option<Self> {
        let meili = match search {
            SearchBackend::Embedded => None,
            SearchBackend::Meili => Some(meili_engine()?),
        };
        // SQLite runs on a file in WAL mode, as in production: shared-cache
        // memory databases lock differently and would hide real contention.
        let sqlite_dir = match backend {
            Backend::Sqlite => Some(tempfile::tempdir().expect("temp dir")),
            Backend::Postgres => None,
        };
        let (url, pg_drop) = match (backend, &sqlite_dir) {
            (Backend::Sqlite, Some(dir)) => (
                format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("berguru.sqlite").display()
                ),
                None,
            ),
            (Backend::Sqlite, None) => unreachable!("a SQLite test has its folder"),
            (Backend::Postgres, _) => {
                let admin_url = std::env::var("DATABASE_URL")
                    .ok()
                    .filter(|u| u.starts_with("postgres"))?;
                let name = format!("berguru_test_{}", uuid::Uuid::new_v4().simple());
                let admin = api::db::connect_url(&admin_url, 1)
                    .await
                    .expect("connect to DATABASE_URL");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create test database");
                admin.close().await.expect("close admin connection");
                let url = format!("{}/{name}", base_url(&admin_url));
                (url, Some(PgDatabase { admin_url, name }))
            }
        };
        let mut db = api::db::connect_url(&url, 5)
            .await
            .expect("connect to test database");
        let statements = Arc::new(AtomicUsize::new(0));
        let log = Arc::new(std::sync::Mutex::new(Vec::new()));
        {
            let statements = statements.clone();
            let log = log.clone();
            db.set_metric_callback(move |info| {
                statements.fetch_add(1, Ordering::SeqCst);
                if let Ok(mut l) = log.lock() {
                    l.push(info.statement.sql.clone());
                }
            });
        }
        api::db::migrate(&db).await.expect("migrations apply");
        let engine: api::search_sync::Engine = match &meili {
            Some(m) => Arc::new(m.clone()),
            None => Arc::new(search::embedded::EmbeddedEngine::in_ram().expect("RAM index")),
        };
        // Before the state (and its PostgreSQL listener) exists, so that the
        // index's change announcement cannot reach the new response cache
        // late, in the middle of a test.
        api::search_sync::ensure_complete(&db, engine.as_ref())
            .await
            .expect("search index prepared");
        let state = api::state(db.clone(), limits, engine);
        wait_listening(&state).await;
        let app = Self {
            backend,
            search_backend: search,
            url,
            _meili: meili.map(MeiliIndexes),
            db,
            state,
            statements,
            log,
            pg_drop,
            _sqlite_dir: sqlite_dir,
        };
        app.settle().await;
        Some(app)
    }

    /// Runs a query through the schema (tier 1) and returns the JSON
    /// response (`data` and `errors`).
    pub async fn query(&self, query: &str) -> Value {
        self.query_with(query, json!({})).await
    }

    /// Runs a query with variables through the schema.
    pub async fn query_with(&self, query: &str, variables: Value) -> Value {
        let req = async_graphql::Request::new(query)
            .variables(async_graphql::Variables::from_json(variables));
        let resp = self.state.execute(req).await;
        serde_json::to_value(&resp).expect("response serialises")
    }

    /// Creates a token as the operator would at the command line; returns
    /// its secret. `role` is `admin` or `editor`.
    pub async fn token(&self, role: &str, region: Option<&str>) -> String {
        let role = if role == "admin" {
            entity::TokenRole::Admin
        } else {
            entity::TokenRole::Editor
        };
        let (secret, _) = api::domain::token::create(
            &self.db,
            &api::auth::Viewer::Operator,
            api::domain::token::NewToken {
                name: "test".into(),
                role,
                region_code: region.map(str::to_owned),
                expires_at: None,
            },
        )
        .await
        .expect("token created");
        secret
    }

    /// Runs a query as the holder of `token` (authenticated as the HTTP
    /// layer does); an invalid token answers its `UNAUTHENTICATED` error.
    pub async fn query_as(&self, token: &str, query: &str, variables: Value) -> Value {
        let header = format!("Bearer {token}");
        let viewer = match api::auth::authenticate(&self.db, Some(&header)).await {
            Ok(v) => v,
            Err(e) => {
                let err: async_graphql::Error = e.into();
                return json!({ "errors": [{ "message": err.message, "extensions": err.extensions }] });
            }
        };
        let req = async_graphql::Request::new(query)
            .variables(async_graphql::Variables::from_json(variables))
            .data(viewer);
        serde_json::to_value(self.state.execute(req).await).expect("response serialises")
    }

    /// Like [`TestApp::query_as`], failing the test on any error; returns `data`.
    pub async fn data_as(&self, token: &str, query: &str, variables: Value) -> Value {
        let v = self.query_as(token, query, variables).await;
        assert!(
            v.get("errors").is_none(),
            "unexpected errors on {:?}: {v:#}",
            self.backend
        );
        v["data"].clone()
    }

    /// Runs a query and fails the test on any GraphQL error; returns `data`.
    pub async fn data(&self, query: &str) -> Value {
        self.data_with(query, json!({})).await
    }

    /// Runs a query with variables and fails on any error; returns `data`.
    pub async fn data_with(&self, query: &str, variables: Value) -> Value {
        let v = self.query_with(query, variables).await;
        assert!(
            v.get("errors").is_none(),
            "unexpected errors on {:?}: {v:#}",
            self.backend
        );
        v["data"].clone()
    }

    /// Follows a connection page by page and returns every node. `query`
    /// takes `$after: String` and returns the connection at `data[field]`
    /// with `nodes` and `pageInfo { hasNextPage endCursor }`.
    pub async fn all_pages(&self, query: &str, variables: Value, field: &str) -> Vec<Value> {
        let mut vars = variables;
        let mut nodes = Vec::new();
        loop {
            let d = self.data_with(query, vars.clone()).await;
            let conn = &d[field];
            nodes.extend(conn["nodes"].as_array().expect("nodes").iter().cloned());
            if conn["pageInfo"]["hasNextPage"] != true {
                return nodes;
            }
            vars["after"] = conn["pageInfo"]["endCursor"].clone();
            assert!(nodes.len() < 100_000, "pagination does not end");
        }
    }

    /// Sends an HTTP request through the router in process (tier 2).
    pub async fn http(&self, req: Request<Body>) -> (StatusCode, String, Option<String>) {
        let resp = app(self.state.clone())
            .oneshot(req)
            .await
            .expect("router answers");
        let status = resp.status();
        let ctype = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = resp.into_body().collect().await.expect("body").to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned(), ctype)
    }

    /// Posts a GraphQL query over HTTP in process.
    pub async fn post_graphql(&self, query: &str) -> (StatusCode, Value) {
        let req = Request::post("/graphql")
            .header("content-type", "application/json")
            .body(Body::from(json!({ "query": query }).to_string()))
            .expect("request");
        let (status, body, _) = self.http(req).await;
        (
            status,
            serde_json::from_str(&body).unwrap_or(Value::String(body)),
        )
    }

    /// Forgets the statements counted so far.
    pub fn reset_statements(&self) {
        self.statements.store(0, Ordering::SeqCst);
        if let Ok(mut l) = self.log.lock() {
            l.clear();
        }
    }

    /// SQL statements executed since the last reset.
    pub fn statements(&self) -> usize {
        self.statements.load(Ordering::SeqCst)
    }

    /// The SQL text of the statements since the last reset.
    pub fn statement_log(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Closes the pool before the database is dropped.
    pub async fn close(self) {
        let _ = self.db.clone().close().await;
        drop(self.pg_drop);
    }
}

/// Waits (up to 10 s) until `state`'s PostgreSQL listener is connected, so
/// that a test's first write reaches its subscribers and its cache works.
pub async fn wait_listening(state: &AppState) {
    for _ in 0..200 {
        if state.events_listening() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the event listener did not connect within 10 s");
}

/// Asserts a response failed with one error carrying `code`; returns it.
pub fn expect_error(resp: &Value, code: &str) -> Value {
    let errors = resp["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("expected an error {code}, got {resp:#}"));
    let e = errors
        .iter()
        .find(|e| e["extensions"]["code"] == code)
        .unwrap_or_else(|| panic!("expected error code {code}, got {resp:#}"));
    e.clone()
}

/// Declares a search scenario: on SQLite and PostgreSQL (with
/// `DATABASE_URL`), each with the embedded engine and with Meilisearch (with
/// `MEILI_URL`; skipped, and saying so, without). `$spawn` is
/// `spawn_search` or `with_demo_search`.
#[macro_export]
macro_rules! search_scenario {
    ($name:ident, $spawn:ident, |$app:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($app: $crate::TestApp) {
                $body.await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite_embedded() {
                let app = $crate::TestApp::$spawn(
                    $crate::Backend::Sqlite,
                    $crate::SearchBackend::Embedded,
                )
                .await
                .expect("sqlite test app");
                run(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres_embedded() {
                match $crate::TestApp::$spawn(
                    $crate::Backend::Postgres,
                    $crate::SearchBackend::Embedded,
                )
                .await
                {
                    Some(app) => run(app).await,
                    None => {
                        $crate::skipped("skipped: DATABASE_URL is not set, PostgreSQL pass not run")
                    }
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite_meilisearch() {
                match $crate::TestApp::$spawn($crate::Backend::Sqlite, $crate::SearchBackend::Meili)
                    .await
                {
                    Some(app) => run(app).await,
                    None => {
                        $crate::skipped("skipped: MEILI_URL is not set, Meilisearch pass not run")
                    }
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres_meilisearch() {
                if std::env::var("MEILI_URL").map_or(true, |u| u.is_empty()) {
                    $crate::skipped("skipped: MEILI_URL is not set, Meilisearch pass not run");
                    return;
                }
                match $crate::TestApp::$spawn(
                    $crate::Backend::Postgres,
                    $crate::SearchBackend::Meili,
                )
                .await
                {
                    Some(app) => run(app).await,
                    None => {
                        $crate::skipped("skipped: DATABASE_URL is not set, PostgreSQL pass not run")
                    }
                }
            }
        }
    };
}

/// Declares a test scenario that runs on SQLite and, when `DATABASE_URL` is
/// set, on PostgreSQL: `scenario!(name, |app| async move { ... });` makes
/// tests `name::sqlite` and `name::postgres`. `with_demo` loads the demo.
#[macro_export]
macro_rules! scenario {
    ($name:ident, $spawn:ident, |$app:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($app: $crate::TestApp) {
                $body.await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::TestApp::$spawn($crate::Backend::Sqlite)
                    .await
                    .expect("sqlite test app");
                run(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match $crate::TestApp::$spawn($crate::Backend::Postgres).await {
                    Some(app) => run(app).await,
                    None => {
                        $crate::skipped("skipped: DATABASE_URL is not set, PostgreSQL pass not run")
                    }
                }
            }
        }
    };
}
