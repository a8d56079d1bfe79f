//! The response cache: repeated queries are answered from it, a write
//! through the API is seen by the very next read, a write behind Berguru's
//! back is seen when the entry expires, and on PostgreSQL a write announced
//! by another replica reaches this one's cache.

use std::time::Duration;

use axum::body::Body;
use axum::http::Request;

use crate::*;

const E_OFFICE: &str = "00000000-de70-4000-8000-000000000101";
const TITLE: &str = "query ($id: ID!) { practice(id: $id) { title version } }";

fn post(body: &Value, token: Option<&str>) -> Request<Body> {
    let mut req = Request::post("/graphql").header("content-type", "application/json");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    req.body(Body::from(body.to_string())).unwrap()
}

async fn title(app: &TestApp) -> String {
    let (_, body, _) = app
        .http(post(
            &json!({ "query": TITLE, "variables": { "id": E_OFFICE } }),
            None,
        ))
        .await;
    let v: Value = serde_json::from_str(&body).unwrap();
    v["data"]["practice"]["title"].as_str().unwrap().to_owned()
}

async fn hits(app: &TestApp) -> u64 {
    let (_, body, _) = app
        .http(Request::get("/metrics").body(Body::empty()).unwrap())
        .await;
    body.lines()
        .find_map(|l| l.strip_prefix("berguru_response_cache_hits_total "))
        .unwrap()
        .parse()
        .unwrap()
}

/// Sets the title behind Berguru's back (no audit, no notification).
async fn set_title_by_hand(app: &TestApp, title: &str) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let changed = entity::practice::Entity::update_many()
        .col_expr(entity::practice::Column::Title, Expr::value(title))
        .filter(entity::practice::Column::Id.eq(uuid::Uuid::parse_str(E_OFFICE).unwrap()))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(changed.rows_affected, 1);
}

scenario!(
    a_write_through_the_api_is_read_back_at_once,
    with_demo,
    |app| async move {
        let before = title(&app).await;
        assert_eq!(title(&app).await, before);
        assert!(hits(&app).await >= 1, "the second read came from the cache");

        let token = app.token("editor", Some("32.11")).await;
        let (_, body, _) = app
            .http(post(
                &json!({
                    "query": "mutation ($id: ID!) { updatePractice(input: { id: $id, version: 1, title: \"E-Office Sumedang, edisi baru\" }) { practice { version } } }",
                    "variables": { "id": E_OFFICE }
                }),
                Some(&token),
            ))
            .await;
        assert!(!body.contains("errors"), "{body}");
        assert_eq!(title(&app).await, "E-Office Sumedang, edisi baru");
        app.close().await;
    }
);

scenario!(
    a_write_behind_berguru_s_back_is_seen_when_the_entry_expires,
    spawn,
    |app| async move {
        let limits = api::config::Limits {
            response_cache_ttl_secs: 1,
            ..api::config::Limits::default()
        };
        let app2 = TestApp::spawn_with_limits(app.backend, limits)
            .await
            .unwrap();
        app.close().await;
        let app = app2;
        app.load_demo().await;
        let before = title(&app).await;
        set_title_by_hand(&app, "Diubah langsung di basis data").await;
        // Nothing told this process: within the time to live, a read may
        // still be answered from the cache, but never after it.
        tokio::time::sleep(Duration::from_millis(1100)).await;
        assert_ne!(before, "Diubah langsung di basis data");
        assert_eq!(title(&app).await, "Diubah langsung di basis data");
        app.close().await;
    }
);

scenario!(
    errors_and_mutations_are_never_cached,
    with_demo,
    |app| async move {
        let start = hits(&app).await;
        for _ in 0..2 {
            let (_, body, _) = app
                .http(post(
                    &json!({ "query": "{ region(code: \"sumedang\") { name } }" }),
                    None,
                ))
                .await;
            assert!(body.contains("BAD_USER_INPUT"), "{body}");
        }
        assert_eq!(hits(&app).await, start);
        app.close().await;
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_another_replica_s_write_reaches_this_cache() {
    let Some(app) = TestApp::with_demo(Backend::Postgres).await else {
        tests::skipped("skipped: DATABASE_URL is not set, PostgreSQL pass not run");
        return;
    };
    let cache = app
        .state
        .response_cache
        .clone()
        .expect("the cache is on by default");
    let listener = api::response_cache::spawn_listener(&app.db, cache.clone())
        .expect("a listener on PostgreSQL");
    for _ in 0..100 {
        if cache.listening() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(cache.listening());
    let before = title(&app).await;
    assert_eq!(title(&app).await, before);
    // "Another replica": a write and its notification from outside this
    // server's request path; only the listener can tell its cache.
    set_title_by_hand(&app, "Ditulis oleh replika lain").await;
    api::response_cache::notify_change(&app.db).await.unwrap();
    let mut seen = before;
    for _ in 0..100 {
        seen = title(&app).await;
        if seen == "Ditulis oleh replika lain" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(seen, "Ditulis oleh replika lain");
    listener.abort();
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_without_a_listener_a_write_behind_berguru_s_back_stays_unseen_within_the_ttl() {
    // The control for the test above: the same write and notification with
    // no listener is not seen (the entry lives 30 s), so the listener is
    // what made the difference there.
    let Some(mut app) = TestApp::with_demo(Backend::Postgres).await else {
        tests::skipped("skipped: DATABASE_URL is not set, PostgreSQL pass not run");
        return;
    };
    // The replica's own listener (which `api::state` starts) stopped.
    app.state.listener = None;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let before = title(&app).await;
    set_title_by_hand(&app, "Ditulis oleh replika lain").await;
    api::response_cache::notify_change(&app.db).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(title(&app).await, before);
    app.close().await;
}
