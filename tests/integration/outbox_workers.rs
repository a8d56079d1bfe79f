//! The search outbox drained by several workers at once (replicas): no
//! object is sent by two workers at the same time, and once the writes
//! stop every indexed document equals the document built from its row.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::*;

/// The test's engine in front of the real one: upserts are slowed by a few
/// milliseconds (so that workers overlap), every document's last version
/// sent is kept, and two sends of one object at once are counted.
#[derive(Debug)]
struct Recorder {
    inner: api::search_sync::Engine,
    calls: AtomicUsize,
    in_flight: Mutex<HashSet<String>>,
    overlaps: AtomicUsize,
    last: Mutex<HashMap<String, ::search::Document>>,
    /// Started at the first upsert, when set: a shutdown mid-batch.
    stop_on_first_upsert: Option<api::shutdown::Shutdown>,
}

#[async_trait::async_trait]
impl ::search::SearchEngine for Recorder {
    fn name(&self) -> &'static str {
        "embedded"
    }
    async fn prepare(&self) -> ::search::Result<()> {
        self.inner.prepare().await
    }
    async fn upsert(&self, docs: Vec<::search::Document>) -> ::search::Result<()> {
        let ids: Vec<String> = docs.iter().map(|d| d.id().to_owned()).collect();
        {
            let mut f = self.in_flight.lock().unwrap();
            for id in &ids {
                if !f.insert(id.clone()) {
                    self.overlaps.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        if let Some(s) = &self.stop_on_first_upsert {
            s.begin();
        }
        tokio::time::sleep(Duration::from_millis((n % 4) as u64)).await;
        let result = {
            // Applied and recorded in one step: `last` is the index's order.
            let r = self.inner.upsert(docs.clone()).await;
            if r.is_ok() {
                let mut last = self.last.lock().unwrap();
                for d in docs {
                    last.insert(d.id().to_owned(), d);
                }
            }
            r
        };
        let mut f = self.in_flight.lock().unwrap();
        for id in &ids {
            f.remove(id);
        }
        result
    }
    async fn delete(&self, kind: ::search::DocKind, ids: Vec<String>) -> ::search::Result<()> {
        self.inner.delete(kind, ids.clone()).await?;
        let mut last = self.last.lock().unwrap();
        for id in ids {
            last.remove(&id);
        }
        Ok(())
    }
    async fn search(
        &self,
        r: &::search::SearchRequest,
    ) -> ::search::Result<::search::SearchResponse> {
        self.inner.search(r).await
    }
    async fn count(&self, kind: ::search::DocKind) -> ::search::Result<u64> {
        self.inner.count(kind).await
    }
    async fn health(&self) -> ::search::Result<()> {
        self.inner.health().await
    }
    async fn begin_rebuild(&self) -> ::search::Result<Box<dyn ::search::Rebuild>> {
        self.inner.begin_rebuild().await
    }
}

const UPDATE: &str = r#"mutation ($id: ID!, $v: Int!, $t: String!) { updatePractice(input: { id: $id, version: $v, title: $t }) { practice { version } } }"#;

scenario!(
    three_workers_and_200_concurrent_updates_leave_every_document_equal_to_its_row,
    with_demo,
    |app| async move {
        let recorder = Arc::new(Recorder {
            inner: app.state.search.clone(),
            calls: AtomicUsize::new(0),
            in_flight: Mutex::default(),
            overlaps: AtomicUsize::new(0),
            last: Mutex::default(),
            stop_on_first_upsert: None,
        });
        let engine: api::search_sync::Engine = recorder.clone();
        let workers: Vec<_> = (0..3)
            .map(|_| {
                api::search_sync::spawn_worker(
                    app.db.clone(),
                    engine.clone(),
                    Duration::from_millis(2),
                    None,
                )
            })
            .collect();
        let admin = app.token("admin", None).await;
        // The demo has six practices: four more make ten.
        for i in 0..4 {
            app.data_as(
                &admin,
                r#"mutation ($t: String!) { createPractice(input: { title: $t, summary: "Praktik tambahan", ownerRegionCode: "32.11", sectors: [HEALTH], form: OTHER }) { practice { id } } }"#,
                json!({ "t": format!("Praktik tambahan {i}") }),
            )
            .await;
        }
        let d = app
            .data("{ practices(first: 10) { nodes { id version } } }")
            .await;
        let ids: Vec<String> = d["practices"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids.len(), 10);
        let app = Arc::new(app);
        // 20 writers, 10 updates each: 200 updates, 20 per object, each
        // retried on CONFLICT with the version read again.
        let mut writers = Vec::new();
        for w in 0..20usize {
            let app = app.clone();
            let admin = admin.clone();
            let id = ids[w % 10].clone();
            writers.push(tokio::spawn(async move {
                let mut conflicts = 0;
                for n in 0..10 {
                    loop {
                        let d = app
                            .data_with(
                                "query ($id: ID!) { practice(id: $id) { version } }",
                                json!({ "id": id }),
                            )
                            .await;
                        let v = d["practice"]["version"].as_i64().unwrap();
                        let r = app
                            .query_as(
                                &admin,
                                UPDATE,
                                json!({ "id": id, "v": v, "t": format!("Praktik diubah penulis {w} kali {n}") }),
                            )
                            .await;
                        match r.get("errors") {
                            None => break,
                            Some(_) => {
                                expect_error(&r, "CONFLICT");
                                conflicts += 1;
                            }
                        }
                    }
                }
                conflicts
            }));
        }
        let mut conflicts = 0;
        for w in writers {
            conflicts += w.await.unwrap();
        }
        // Every row sent and deleted: each batch deletes its rows only
        // after the engine confirmed them, in the claim's transaction.
        let mut backlog = u64::MAX;
        for _ in 0..600 {
            backlog = api::search_sync::backlog(&app.db).await.unwrap();
            if backlog == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(backlog, 0, "the workers drained the outbox");
        for w in workers {
            w.abort();
        }
        let last = recorder.last.lock().unwrap().clone();
        for id in &ids {
            let want = api::search_sync::practice_document(&app.db, id.parse().unwrap())
                .await
                .unwrap()
                .expect("a live practice");
            assert_eq!(
                last.get(id),
                Some(&::search::Document::Practice(want)),
                "the indexed document of {id} is its row's"
            );
        }
        assert_eq!(
            recorder.overlaps.load(Ordering::SeqCst),
            0,
            "two workers sent one object at once"
        );
        eprintln!(
            "{:?}: 200 updates ({conflicts} conflicts retried), {} engine calls by 3 workers",
            app.backend,
            recorder.calls.load(Ordering::SeqCst)
        );
        let Ok(app) = Arc::try_unwrap(app) else {
            panic!("writers are done")
        };
        app.close().await;
    }
);

scenario!(
    a_worker_told_to_stop_ends_between_batches_and_loses_no_row,
    with_demo,
    |app| async move {
        let shutdown = api::shutdown::Shutdown::default();
        let recorder = Arc::new(Recorder {
            inner: app.state.search.clone(),
            calls: AtomicUsize::new(0),
            in_flight: Mutex::default(),
            overlaps: AtomicUsize::new(0),
            last: Mutex::default(),
            stop_on_first_upsert: Some(shutdown.clone()),
        });
        let admin = app.token("admin", None).await;
        let mut ids = Vec::new();
        for i in 0..30 {
            let d = app
                .data_as(
                    &admin,
                    r#"mutation ($t: String!) { createPractice(input: { title: $t, summary: "Saat berhenti", ownerRegionCode: "32.11", sectors: [HEALTH], form: OTHER }) { practice { id } } }"#,
                    json!({ "t": format!("Praktik saat berhenti {i}") }),
                )
                .await;
            ids.push(
                d["createPractice"]["practice"]["id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
        // Indexed; then one update each leaves 30 rows waiting (with the
        // index's counts right, so the worker does not start by a rebuild).
        app.sync_search().await;
        for id in &ids {
            app.data_as(
                &admin,
                UPDATE,
                json!({ "id": id, "v": 1, "t": format!("Praktik diubah {id}") }),
            )
            .await;
        }
        // More than one batch (200 rows): 30 + 240 rows.
        for _ in 0..8 {
            for id in &ids {
                api::search_sync::enqueue(&app.db, ::search::DocKind::Practice, id)
                    .await
                    .unwrap();
            }
        }
        let engine: api::search_sync::Engine = recorder.clone();
        let worker = api::search_sync::spawn_worker_until(
            app.db.clone(),
            engine,
            Duration::from_millis(2),
            None,
            shutdown.clone(),
        );
        // The shutdown starts while the first batch is with the engine.
        tokio::time::timeout(Duration::from_secs(10), worker)
            .await
            .expect("the worker stops within 10 s")
            .unwrap();
        // The batch under way finished and committed; the next did not
        // start: its rows wait for the next start.
        let backlog = api::search_sync::backlog(&app.db).await.unwrap();
        assert_eq!(backlog, 270 - 200, "one batch sent, the rest kept");
        assert_eq!(recorder.calls.load(Ordering::SeqCst), 1);
        let last = recorder.last.lock().unwrap().clone();
        let mut sent = 0;
        for id in &ids {
            match last.get(id) {
                Some(doc) => {
                    let want = api::search_sync::practice_document(&app.db, id.parse().unwrap())
                        .await
                        .unwrap()
                        .unwrap();
                    assert_eq!(doc, &::search::Document::Practice(want));
                    sent += 1;
                }
                None => panic!("{id} was in the batch under way but not sent"),
            }
        }
        // What was left is sent by the next worker.
        app.sync_search().await;
        assert_eq!(api::search_sync::backlog(&app.db).await.unwrap(), 0);
        eprintln!(
            "{:?}: stopped after one batch ({sent} of 30 practices sent), {backlog} rows left for the next start",
            app.backend
        );
        app.close().await;
    }
);
