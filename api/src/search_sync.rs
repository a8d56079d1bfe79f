//! Keeping the search engine in step with the database, without losing a
//! write: a transactional outbox.
//!
//! - Every write that changes a searchable object records an outbox row in
//!   its own transaction ([`enqueue_for_audit`], called by the audit record
//!   every write makes).
//! - A background worker ([`spawn_worker`]) drains the outbox in batches:
//!   it rebuilds the documents from the database, sends them to the engine,
//!   and deletes the rows only after the engine confirmed them. A failure
//!   leaves the rows, with a growing backoff.
//! - At start, [`ensure_complete`] rebuilds the index when the engine's
//!   document counts differ from the database (a new embedded index, a new
//!   Meilisearch, data loaded by `seed-demo`).
//! - [`reindex`] rebuilds everything into fresh indexes and swaps them in,
//!   so search keeps answering meanwhile.
//!
//! Replicas can all run the worker: a batch claims its objects (row locks
//! and a per-object advisory lock on PostgreSQL, the write lock on SQLite)
//! until its rows are deleted, and documents are rebuilt from the database
//! after the claim, so two workers never send one object at once and the
//! last document sent for an object is built from its newest state.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use chrono::{Datelike, Utc};
use entity::{
    AdoptionStage, AgreementStage, LearningRequestStatus, adoption, agreement, agreement_party,
    agreement_practice, learning_request, learning_request_practice, learning_request_sector,
    outcome, practice, practice_sector, region, search_outbox,
};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement, TransactionOptions,
    TransactionTrait,
};
use search::{AgreementDoc, DocKind, Document, PracticeDoc, RegionDoc, RequestDoc, SearchEngine};
use uuid::Uuid;

use crate::domain::agreement::stage;
use crate::error::Result;

/// The engine in use, shared by the schema, the HTTP layer and the worker.
pub type Engine = Arc<dyn SearchEngine>;

/// Rows sent to the engine per batch.
pub const BATCH: u64 = 200;

/// Builds the engine the configuration asks for: Meilisearch when a URL is
/// set, else the embedded engine in `data_dir/search`.
pub fn engine_from_config(config: &crate::config::Config) -> Result<Engine, search::SearchError> {
    let s = &config.search;
    match &s.meili_url {
        Some(url) => Ok(Arc::new(search::meili::MeiliEngine::with_keys(
            url,
            s.meili_api_key.as_ref().map(crate::config::Secret::expose),
            s.meili_search_key
                .as_ref()
                .map(crate::config::Secret::expose),
            &s.index_prefix,
            Duration::from_millis(s.timeout_ms),
        )?)),
        None => Ok(Arc::new(search::embedded::EmbeddedEngine::open(
            &config.data_dir.join("search"),
        )?)),
    }
}

fn kind_name(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Practice => "practice",
        DocKind::Agreement => "agreement",
        DocKind::Region => "region",
        DocKind::Request => "learning_request",
    }
}

/// The check `serve` makes before it listens. A search engine that answers
/// but refuses the configured key is an error naming the setting: serving
/// on would answer every search with an error and never build the index.
/// An engine that does not answer is not an error (it may start later): the
/// server starts degraded, says so in the log and in `/readyz`, and the
/// worker catches the index up when the engine is back.
pub async fn check_at_start(engine: &dyn SearchEngine) -> Result<(), search::SearchError> {
    match engine.health().await {
        Ok(()) => Ok(()),
        Err(e @ search::SearchError::Refused(_)) => Err(e),
        Err(e) => {
            tracing::warn!(error = %e, "search engine not reachable at start; serving degraded until it is");
            Ok(())
        }
    }
}

/// Records that an object must be (re)indexed, in the caller's transaction.
pub async fn enqueue(db: &impl ConnectionTrait, kind: DocKind, id: &str) -> Result<()> {
    let now = Utc::now();
    search_outbox::ActiveModel {
        kind: sea_orm::Set(kind_name(kind).to_owned()),
        object_id: sea_orm::Set(id.to_owned()),
        enqueued_at: sea_orm::Set(now),
        attempts: sea_orm::Set(0),
        next_attempt_at: sea_orm::Set(now),
        last_error: sea_orm::Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Number of rows waiting in the outbox (for `/metrics` and `/readyz`).
pub async fn backlog(db: &DatabaseConnection) -> Result<u64> {
    Ok(search_outbox::Entity::find().count(db).await?)
}

/// Sends every due outbox row to the engine, a batch at a time; returns the
/// number of rows confirmed. On an engine failure the batch stays, with its
/// attempt count raised and its next attempt pushed back, and the error is
/// returned. Any number of workers may drain one database at once (see
/// [`drain_batch`]); it returns when nothing due is left that no other
/// worker holds.
pub async fn drain(db: &DatabaseConnection, engine: &dyn SearchEngine) -> Result<usize> {
    drain_while(db, engine, || true).await
}

/// [`drain`], checking `go_on` before each batch (a shutdown stops it
/// between batches).
pub async fn drain_while(
    db: &DatabaseConnection,
    engine: &dyn SearchEngine,
    go_on: impl Fn() -> bool,
) -> Result<usize> {
    let mut done = 0;
    while go_on() {
        match drain_batch(db, engine).await? {
            Some(n) => done += n,
            None => break,
        }
    }
    Ok(done)
}

/// Claims, sends and deletes one batch inside one transaction, so that two
/// workers never send the same object at once and the last state sent is
/// always the newest:
/// - PostgreSQL: the batch's rows are taken `FOR UPDATE SKIP LOCKED`, then
///   each object's advisory lock (`pg_try_advisory_xact_lock`), held until
///   the batch commits; rows of an object another worker holds stay for a
///   later batch.
/// - SQLite: the batch holds the database's write lock (one process, and
///   one batch at a time across processes).
///
/// Documents are built after the claim, from the database as it is then, so
/// a write committed after the claim has its own row, which is not in this
/// batch and is sent later, once this batch released the object.
/// `None` when there was nothing to send.
async fn drain_batch(db: &DatabaseConnection, engine: &dyn SearchEngine) -> Result<Option<usize>> {
    let postgres = db.get_database_backend() == DbBackend::Postgres;
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await?;
    let mut q = search_outbox::Entity::find()
        .filter(search_outbox::Column::NextAttemptAt.lte(Utc::now()))
        .order_by_asc(search_outbox::Column::Id)
        .limit(BATCH);
    if postgres {
        q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let mut rows = q.all(&txn).await?;
    if postgres && !rows.is_empty() {
        let held = lock_objects(&txn, &rows).await?;
        rows.retain(|r| held.contains(&object_key(r)));
    }
    if rows.is_empty() {
        txn.rollback().await?;
        return Ok(None);
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    match send(&txn, engine, &rows).await {
        Ok(()) => {
            index_changed(&txn).await;
            search_outbox::Entity::delete_many()
                .filter(search_outbox::Column::Id.is_in(ids))
                .exec(&txn)
                .await?;
            txn.commit().await?;
            Ok(Some(rows.len()))
        }
        Err(e) => {
            let attempts = rows.iter().map(|r| r.attempts).max().unwrap_or(0) + 1;
            let backoff = Duration::from_secs(1 << attempts.clamp(0, 8) as u32);
            let next = Utc::now()
                + chrono::Duration::from_std(backoff).unwrap_or(chrono::Duration::seconds(60));
            search_outbox::Entity::update_many()
                .col_expr(search_outbox::Column::Attempts, Expr::value(attempts))
                .col_expr(search_outbox::Column::NextAttemptAt, Expr::value(next))
                .col_expr(
                    search_outbox::Column::LastError,
                    Expr::value(Some(e.message().to_owned())),
                )
                .filter(search_outbox::Column::Id.is_in(ids))
                .exec(&txn)
                .await?;
            txn.commit().await?;
            Err(e)
        }
    }
}

/// The object an outbox row is about, as its lock names it.
fn object_key(r: &search_outbox::Model) -> String {
    format!("{}:{}", r.kind, r.object_id)
}

/// PostgreSQL: takes the advisory lock of every object of `rows` that no
/// other transaction holds, until this transaction ends; returns their
/// keys. (Two objects whose keys hash alike merely wait for each other.)
async fn lock_objects(
    txn: &impl ConnectionTrait,
    rows: &[search_outbox::Model],
) -> Result<std::collections::HashSet<String>> {
    let keys: BTreeSet<String> = rows.iter().map(object_key).collect();
    let values: Vec<String> = keys
        .iter()
        .map(|k| format!("('{}')", k.replace('\'', "''")))
        .collect();
    let sql = format!(
        "SELECT k FROM (VALUES {}) AS t(k) \
         WHERE pg_try_advisory_xact_lock(hashtextextended('berguru_search:' || k, 0))",
        values.join(",")
    );
    let held = txn
        .query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await?;
    Ok(held
        .iter()
        .filter_map(|r| r.try_get::<String>("", "k").ok())
        .collect())
}

async fn send(
    db: &impl ConnectionTrait,
    engine: &dyn SearchEngine,
    rows: &[search_outbox::Model],
) -> Result<()> {
    let mut practices: BTreeSet<Uuid> = BTreeSet::new();
    let mut agreements: BTreeSet<Uuid> = BTreeSet::new();
    let mut regions: BTreeSet<String> = BTreeSet::new();
    let mut requests: BTreeSet<Uuid> = BTreeSet::new();
    for r in rows {
        match r.kind.as_str() {
            "practice" => practices.extend(Uuid::parse_str(&r.object_id).ok()),
            "learning_request" => requests.extend(Uuid::parse_str(&r.object_id).ok()),
            "agreement" => agreements.extend(Uuid::parse_str(&r.object_id).ok()),
            "region" => {
                regions.insert(r.object_id.clone());
            }
            _ => {}
        }
    }
    // An agreement's stage changes the transfer counts of its practices:
    // they are queued (committed with this batch) rather than sent here, so
    // that each practice is sent only under its own claim.
    if !agreements.is_empty() {
        let links = agreement_practice::Entity::find()
            .filter(agreement_practice::Column::AgreementId.is_in(agreements.iter().copied()))
            .all(db)
            .await?;
        let linked: BTreeSet<Uuid> = links.into_iter().map(|l| l.practice_id).collect();
        for p in linked.difference(&practices) {
            enqueue(db, DocKind::Practice, &p.to_string()).await?;
        }
    }
    let practices: Vec<Uuid> = practices.into_iter().collect();
    let agreements: Vec<Uuid> = agreements.into_iter().collect();
    let regions: Vec<String> = regions.into_iter().collect();
    let all_regions = region_map(db).await?;
    let mut docs = Vec::new();
    let (p_docs, p_gone) = practice_docs(db, &all_regions, &practices).await?;
    docs.extend(p_docs);
    let (a_docs, a_gone) = agreement_docs(db, &all_regions, &agreements).await?;
    docs.extend(a_docs);
    let requests: Vec<Uuid> = requests.into_iter().collect();
    let (q_docs, q_gone) = request_docs(db, &all_regions, &requests).await?;
    docs.extend(q_docs);
    let mut r_gone = Vec::new();
    for code in &regions {
        match all_regions.get(code) {
            Some(r) => docs.push(region_doc(&all_regions, r)),
            None => r_gone.push(code.clone()),
        }
    }
    engine.upsert(docs).await?;
    engine.delete(DocKind::Practice, p_gone).await?;
    engine.delete(DocKind::Agreement, a_gone).await?;
    engine.delete(DocKind::Region, r_gone).await?;
    engine.delete(DocKind::Request, q_gone).await?;
    Ok(())
}

/// Makes the index complete ([`ensure_complete`], retried until the engine
/// answers), then runs [`drain`] every `poll` until the process ends;
/// failures are logged and retried with the rows' backoff.
pub fn spawn_worker(
    db: DatabaseConnection,
    engine: Engine,
    poll: Duration,
    response_cache: Option<std::sync::Arc<crate::response_cache::ResponseCache>>,
) -> tokio::task::JoinHandle<()> {
    spawn_worker_until(
        db,
        engine,
        poll,
        response_cache,
        crate::shutdown::Shutdown::default(),
    )
}

/// [`spawn_worker`], ending between two batches once `shutdown` started.
/// A batch is one transaction: one cut short (the task aborted) commits
/// nothing, and its rows stay for the next run.
pub fn spawn_worker_until(
    db: DatabaseConnection,
    engine: Engine,
    poll: Duration,
    response_cache: Option<std::sync::Arc<crate::response_cache::ResponseCache>>,
    shutdown: crate::shutdown::Shutdown,
) -> tokio::task::JoinHandle<()> {
    let index_changed = move || {
        if let Some(c) = &response_cache {
            c.invalidate();
        }
    };
    tokio::spawn(async move {
        let mut failing = false;
        let mut complete = false;
        while !shutdown.started() {
            if !complete {
                match ensure_complete(&db, engine.as_ref()).await {
                    Ok(rebuilt) => {
                        complete = true;
                        if rebuilt {
                            index_changed();
                            tracing::info!("search index rebuilt from the database");
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e.message(), "search index check failed; will retry");
                        tokio::select! {
                            () = tokio::time::sleep(poll * 20) => {}
                            () = shutdown.wait() => {}
                        }
                        continue;
                    }
                }
            }
            match drain_while(&db, engine.as_ref(), || !shutdown.started()).await {
                Ok(n) => {
                    if n > 0 {
                        index_changed();
                    }
                    if failing {
                        tracing::info!(sent = n, "search engine reachable again; outbox caught up");
                    } else if n > 0 {
                        tracing::debug!(sent = n, "search outbox drained");
                    }
                    failing = false;
                }
                Err(e) => {
                    if !failing {
                        tracing::warn!(error = %e.message(), "search outbox: a batch failed (engine or database); will retry");
                    }
                    failing = true;
                }
            }
            tokio::select! {
                () = tokio::time::sleep(poll) => {}
                () = shutdown.wait() => {}
            }
        }
        tracing::info!("search outbox worker stopped");
    })
}

/// Search answers changed: every replica's response cache is told (on
/// PostgreSQL; the worker also invalidates its own server's cache).
async fn index_changed(db: &impl ConnectionTrait) {
    if let Err(e) = crate::response_cache::notify_change(db).await {
        tracing::warn!(error = %e, "response cache: cannot announce an index change");
    }
}

/// Rebuilds the whole index when the engine's counts differ from the
/// database's, or its documents predate its settings (Meilisearch indexes
/// from before the stemmed shadow fields). Returns whether it rebuilt.
pub async fn ensure_complete(db: &DatabaseConnection, engine: &dyn SearchEngine) -> Result<bool> {
    engine.prepare().await?;
    if engine.stale().await? {
        reindex(db, engine, |_, _| {}).await?;
        return Ok(true);
    }
    let want = [
        (
            DocKind::Practice,
            practice::Entity::find()
                .filter(practice::Column::ArchivedAt.is_null())
                .count(db)
                .await?,
        ),
        (
            DocKind::Agreement,
            agreement::Entity::find().count(db).await?,
        ),
        (DocKind::Region, region::Entity::find().count(db).await?),
        (DocKind::Request, open_requests(db).await?),
    ];
    for (kind, n) in want {
        if engine.count(kind).await? != n {
            reindex(db, engine, |_, _| {}).await?;
            return Ok(true);
        }
    }
    Ok(false)
}

/// Rebuilds every index from the database into fresh indexes and swaps them
/// in; `progress(done, total)` is called after each batch. Outbox rows
/// written before the rebuild started are removed once it is swapped in.
pub async fn reindex(
    db: &DatabaseConnection,
    engine: &dyn SearchEngine,
    progress: impl Fn(u64, u64),
) -> Result<u64> {
    let started = search_outbox::Entity::find()
        .order_by_desc(search_outbox::Column::Id)
        .one(db)
        .await?
        .map(|r| r.id);
    let total = practice::Entity::find().count(db).await?
        + agreement::Entity::find().count(db).await?
        + region::Entity::find().count(db).await?
        + open_requests(db).await?;
    let mut rebuild = engine.begin_rebuild().await?;
    let all_regions = region_map(db).await?;
    let mut done = 0u64;
    let regions: Vec<Document> = all_regions
        .values()
        .map(|r| region_doc(&all_regions, r))
        .collect();
    done += regions.len() as u64;
    rebuild.add(regions).await?;
    progress(done, total);
    for kind in [DocKind::Practice, DocKind::Agreement] {
        let mut after: Option<Uuid> = None;
        loop {
            let ids = match kind {
                DocKind::Practice => {
                    ids_after::<practice::Entity>(db, practice::Column::Id, after).await?
                }
                _ => ids_after::<agreement::Entity>(db, agreement::Column::Id, after).await?,
            };
            let Some(last) = ids.last().copied() else {
                break;
            };
            after = Some(last);
            let (docs, _) = match kind {
                DocKind::Practice => practice_docs(db, &all_regions, &ids).await?,
                _ => agreement_docs(db, &all_regions, &ids).await?,
            };
            done += ids.len() as u64;
            rebuild.add(docs).await?;
            progress(done, total);
        }
    }
    let open: Vec<Uuid> = learning_request::Entity::find()
        .select_only()
        .column(learning_request::Column::Id)
        .filter(learning_request::Column::Status.eq(LearningRequestStatus::Open))
        .into_tuple()
        .all(db)
        .await?;
    for ids in open.chunks(500) {
        let (docs, _) = request_docs(db, &all_regions, ids).await?;
        done += ids.len() as u64;
        rebuild.add(docs).await?;
        progress(done, total);
    }
    rebuild.finish().await?;
    index_changed(db).await;
    if let Some(id) = started {
        search_outbox::Entity::delete_many()
            .filter(search_outbox::Column::Id.lte(id))
            .exec(db)
            .await?;
    }
    Ok(done)
}

/// Number of open learning requests: those the index holds.
async fn open_requests(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(learning_request::Entity::find()
        .filter(learning_request::Column::Status.eq(LearningRequestStatus::Open))
        .count(db)
        .await?)
}

/// Documents of the given learning requests that are open; the ids of
/// those closed (fulfilled or withdrawn) or gone come back separately, to
/// delete: only open requests are searchable.
async fn request_docs(
    db: &impl ConnectionTrait,
    regions: &HashMap<String, region::Model>,
    ids: &[Uuid],
) -> Result<(Vec<Document>, Vec<String>)> {
    if ids.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let rows = rows_in::<learning_request::Entity>(db, learning_request::Column::Id, ids).await?;
    let mut sectors: HashMap<Uuid, Vec<entity::Sector>> = HashMap::new();
    for s in rows_in::<learning_request_sector::Entity>(
        db,
        learning_request_sector::Column::LearningRequestId,
        ids,
    )
    .await?
    {
        sectors
            .entry(s.learning_request_id)
            .or_default()
            .push(s.sector);
    }
    let links = rows_in::<learning_request_practice::Entity>(
        db,
        learning_request_practice::Column::LearningRequestId,
        ids,
    )
    .await?;
    let practice_ids: Vec<Uuid> = links.iter().map(|l| l.practice_id).collect();
    let titles: HashMap<Uuid, String> =
        rows_in::<practice::Entity>(db, practice::Column::Id, &practice_ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p.title))
            .collect();
    let mut practice_titles: HashMap<Uuid, Vec<String>> = HashMap::new();
    for l in links {
        if let Some(t) = titles.get(&l.practice_id) {
            practice_titles
                .entry(l.learning_request_id)
                .or_default()
                .push(t.clone());
        }
    }
    let mut docs = Vec::new();
    let mut present = BTreeSet::new();
    for r in rows {
        if r.status != LearningRequestStatus::Open {
            continue;
        }
        present.insert(r.id);
        let mut sector = sectors.remove(&r.id).unwrap_or_default();
        sector.sort_by_key(entity::wire_name);
        let (region_name, province, province_name, region_kind) = match regions.get(&r.region_code)
        {
            Some(m) => {
                let (p, pn) = province_of(regions, m);
                (m.name.clone(), p, pn, entity::wire_name(&m.kind))
            }
            None => Default::default(),
        };
        let objectives: Vec<String> = r.objectives.0.clone();
        docs.push(Document::Request(RequestDoc {
            id: r.id.to_string(),
            aliases: search::vocab::aliases(&format!(
                "{} {}",
                r.topic,
                r.problem.as_deref().unwrap_or("")
            )),
            title: r.topic,
            summary: r.problem.unwrap_or_default(),
            objectives,
            sector_names: sector.iter().map(|s| sector_words(*s).to_owned()).collect(),
            sector: sector.iter().map(entity::wire_name).collect(),
            region_name,
            region_code: r.region_code,
            province,
            province_name,
            region_kind,
            contact_agency: r.contact_agency,
            practice_titles: practice_titles.remove(&r.id).unwrap_or_default(),
            preferred_from: r.preferred_from.map(|d| d.to_string()),
            proven: 0,
        }));
    }
    Ok((docs, gone(ids, &present)))
}

/// The next 500 ids of `E` after `after`, in id order (keyset paging).
async fn ids_after<E: EntityTrait>(
    db: &impl ConnectionTrait,
    id: E::Column,
    after: Option<Uuid>,
) -> Result<Vec<Uuid>> {
    let mut q = E::find()
        .select_only()
        .column(id)
        .order_by_asc(id)
        .limit(500);
    if let Some(a) = after {
        q = q.filter(id.gt(a));
    }
    Ok(q.into_tuple().all(db).await?)
}

async fn region_map(db: &impl ConnectionTrait) -> Result<HashMap<String, region::Model>> {
    Ok(region::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.code.clone(), r))
        .collect())
}

/// Words for a sector, in Indonesian and English, so "kesehatan" finds
/// health practices.
fn sector_words(s: entity::Sector) -> &'static str {
    use entity::Sector::*;
    match s {
        EGovernment => "SPBE e-government pemerintahan digital",
        SmartCity => "smart city kota cerdas",
        DataAndStatistics => "data statistik satu data",
        Encryption => "persandian keamanan informasi",
        CivilService => "kepegawaian ASN aparatur",
        BureaucraticReform => "reformasi birokrasi",
        PublicService => "pelayanan publik",
        RegionalRevenue => "pendapatan daerah pajak",
        VillageEconomy => "desa ekonomi desa",
        TradeAndIndustry => "perdagangan industri",
        Smes => "UMKM usaha mikro kecil menengah",
        PublicCommunication => "komunikasi publik informasi",
        RegionalCooperation => "kerja sama daerah",
        Tourism => "pariwisata",
        Health => "kesehatan",
        Education => "pendidikan",
        Agriculture => "pertanian",
        Environment => "lingkungan hidup",
        Infrastructure => "infrastruktur pekerjaan umum",
        Other => "lainnya",
    }
}

fn province_of(regions: &HashMap<String, region::Model>, r: &region::Model) -> (String, String) {
    let code = r.province_code.clone().unwrap_or_else(|| r.code.clone());
    let name = regions
        .get(&code)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    (code, name)
}

fn region_doc(regions: &HashMap<String, region::Model>, r: &region::Model) -> Document {
    let (province, province_name) = province_of(regions, r);
    Document::Region(RegionDoc {
        id: RegionDoc::id_of(&r.code),
        code: r.code.clone(),
        name: r.name.clone(),
        capital: r.capital.clone().unwrap_or_default(),
        province,
        province_name,
        region_kind: entity::wire_name(&r.kind),
        proven: 0,
        aliases: search::vocab::aliases(&r.name),
    })
}

fn days(d: chrono::NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) - 719_163
}

fn number(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The search document of practice `id` as the outbox would send it now
/// (`None` when archived or gone): what the index says of a practice, for
/// tests and diagnostics.
pub async fn practice_document(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<search::PracticeDoc>> {
    let regions = region_map(db).await?;
    let (docs, _) = practice_docs(db, &regions, &[id]).await?;
    Ok(docs.into_iter().find_map(|d| match d {
        Document::Practice(p) => Some(p),
        _ => None,
    }))
}

/// The rows of `E` whose `column` is one of `ids`.
async fn rows_in<E: EntityTrait>(
    db: &impl ConnectionTrait,
    column: E::Column,
    ids: &[Uuid],
) -> Result<Vec<E::Model>> {
    Ok(E::find()
        .filter(column.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// The ids asked for that have no document (gone, or archived): to delete
/// from the index.
fn gone(ids: &[Uuid], present: &BTreeSet<Uuid>) -> Vec<String> {
    ids.iter()
        .filter(|id| !present.contains(id))
        .map(Uuid::to_string)
        .collect()
}

/// Documents of the given practices; the ids of those archived or gone come
/// back separately, to delete.
async fn practice_docs(
    db: &impl ConnectionTrait,
    regions: &HashMap<String, region::Model>,
    ids: &[Uuid],
) -> Result<(Vec<Document>, Vec<String>)> {
    if ids.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let rows = rows_in::<practice::Entity>(db, practice::Column::Id, ids).await?;
    let mut related = PracticeRelated::load(db, ids).await?;
    let mut docs = Vec::new();
    let mut present = BTreeSet::new();
    for p in rows {
        if p.archived_at.is_some() {
            continue;
        }
        present.insert(p.id);
        docs.push(practice_doc(regions, &mut related, p));
    }
    Ok((docs, gone(ids, &present)))
}

/// What a practice's document says beyond its own row, by practice id.
#[derive(Default)]
struct PracticeRelated {
    /// Its sectors.
    sectors: HashMap<Uuid, Vec<entity::Sector>>,
    /// Its outcomes, as text ([`outcome_text`]).
    outcomes: HashMap<Uuid, Vec<String>>,
    /// Its completed adoptions.
    adopted: HashMap<Uuid, u32>,
    /// Its agreements that prove a transfer ([`stage::is_proven_transfer`]).
    transferring: HashMap<Uuid, u32>,
}

impl PracticeRelated {
    /// The related rows of the given practices, grouped by practice.
    async fn load(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Self> {
        let sectors =
            rows_in::<practice_sector::Entity>(db, practice_sector::Column::PracticeId, ids)
                .await?;
        let outcomes = rows_in::<outcome::Entity>(db, outcome::Column::PracticeId, ids).await?;
        let adoptions = adoption::Entity::find()
            .filter(adoption::Column::PracticeId.is_in(ids.iter().copied()))
            .filter(adoption::Column::Stage.eq(AdoptionStage::Adopted))
            .all(db)
            .await?;
        let links =
            rows_in::<agreement_practice::Entity>(db, agreement_practice::Column::PracticeId, ids)
                .await?;
        let mut related = Self {
            transferring: transfer_counts(db, links).await?,
            ..Self::default()
        };
        for s in sectors {
            related
                .sectors
                .entry(s.practice_id)
                .or_default()
                .push(s.sector);
        }
        for o in outcomes {
            let text = outcome_text(&o);
            related
                .outcomes
                .entry(o.practice_id)
                .or_default()
                .push(text);
        }
        for a in adoptions {
            *related.adopted.entry(a.practice_id).or_default() += 1;
        }
        Ok(related)
    }
}

/// An outcome as the index holds it: `metric baseline -> achieved unit`,
/// each part only when known.
fn outcome_text(o: &outcome::Model) -> String {
    let mut text = o.metric.clone();
    if let Some(b) = o.baseline_value {
        text.push_str(&format!(" {}", number(b)));
    }
    if let Some(a) = o.achieved_value {
        text.push_str(&format!(" -> {}", number(a)));
    }
    if let Some(u) = &o.unit {
        text.push_str(&format!(" {u}"));
    }
    text
}

/// For each practice of `links`, how many of its agreements prove a
/// transfer (the stage rule decides).
async fn transfer_counts(
    db: &impl ConnectionTrait,
    links: Vec<agreement_practice::Model>,
) -> Result<HashMap<Uuid, u32>> {
    let linked_agreements: Vec<Uuid> = links.iter().map(|l| l.agreement_id).collect();
    let stages: HashMap<Uuid, AgreementStage> = if linked_agreements.is_empty() {
        HashMap::new()
    } else {
        rows_in::<agreement::Entity>(db, agreement::Column::Id, &linked_agreements)
            .await?
            .into_iter()
            .map(|a| (a.id, a.stage))
            .collect()
    };
    let mut transferring: HashMap<Uuid, u32> = HashMap::new();
    for l in links {
        let signed = stages
            .get(&l.agreement_id)
            .is_some_and(|s| stage::is_proven_transfer(*s));
        if signed {
            *transferring.entry(l.practice_id).or_default() += 1;
        }
    }
    Ok(transferring)
}

/// The search document of practice `p` (not archived); its share of
/// `related` is taken out.
fn practice_doc(
    regions: &HashMap<String, region::Model>,
    related: &mut PracticeRelated,
    p: practice::Model,
) -> Document {
    let owner = regions.get(&p.owner_region_code);
    let (province, province_name) = owner.map(|o| province_of(regions, o)).unwrap_or_default();
    let sectors = related.sectors.remove(&p.id).unwrap_or_default();
    let outcomes = related.outcomes.remove(&p.id).unwrap_or_default();
    let completed = related.adopted.get(&p.id).copied().unwrap_or(0);
    let transfers = related.transferring.get(&p.id).copied().unwrap_or(0);
    let aliases = search::vocab::aliases(&format!(
        "{} {} {}",
        p.title,
        p.summary,
        p.description.as_deref().unwrap_or("")
    ));
    Document::Practice(PracticeDoc {
        id: p.id.to_string(),
        title: p.title,
        summary: p.summary,
        description: p.description.unwrap_or_default(),
        lessons: p.lessons_learned.unwrap_or_default(),
        sector: sectors.iter().map(entity::wire_name).collect(),
        sector_names: sectors
            .iter()
            .map(|s| sector_words(*s).to_owned())
            .collect(),
        owner_name: owner.map(|o| o.name.clone()).unwrap_or_default(),
        owner_code: p.owner_region_code,
        province,
        province_name,
        region_kind: owner
            .map(|o| entity::wire_name(&o.kind))
            .unwrap_or_default(),
        has_outcomes: !outcomes.is_empty(),
        outcomes,
        status: entity::wire_name(&p.status),
        last_verified: p.last_verified_on.map(|d| d.to_string()),
        last_verified_days: p.last_verified_on.map(days).unwrap_or(0),
        looking_for_adopters: p.looking_for_adopters,
        completed_adoptions: completed,
        transferring_agreements: transfers,
        proven: completed + transfers,
        aliases,
    })
}

/// Documents of the given agreements, and the ids of those gone.
async fn agreement_docs(
    db: &impl ConnectionTrait,
    regions: &HashMap<String, region::Model>,
    ids: &[Uuid],
) -> Result<(Vec<Document>, Vec<String>)> {
    if ids.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let rows = rows_in::<agreement::Entity>(db, agreement::Column::Id, ids).await?;
    let parties =
        rows_in::<agreement_party::Entity>(db, agreement_party::Column::AgreementId, ids).await?;
    let links =
        rows_in::<agreement_practice::Entity>(db, agreement_practice::Column::AgreementId, ids)
            .await?;
    let mut by_agreement: HashMap<Uuid, Vec<agreement_party::Model>> = HashMap::new();
    for p in parties {
        by_agreement.entry(p.agreement_id).or_default().push(p);
    }
    let mut practices: HashMap<Uuid, u32> = HashMap::new();
    for l in links {
        *practices.entry(l.agreement_id).or_default() += 1;
    }
    let mut docs = Vec::new();
    let mut present = BTreeSet::new();
    for a in rows {
        present.insert(a.id);
        let mut names = Vec::new();
        let mut provinces = BTreeSet::new();
        let mut kinds = BTreeSet::new();
        for p in by_agreement.remove(&a.id).unwrap_or_default() {
            if let Some(code) = &p.region_code
                && let Some(r) = regions.get(code)
            {
                names.push(r.name.clone());
                provinces.insert(province_of(regions, r).0);
                kinds.insert(entity::wire_name(&r.kind));
            } else if let Some(t) = p.third_party_name {
                names.push(t);
            }
        }
        let aliases = search::vocab::aliases(&format!("{} {}", a.title, a.scope.0.join(" ")));
        docs.push(Document::Agreement(AgreementDoc {
            id: a.id.to_string(),
            title: a.title,
            number: a.number.unwrap_or_default(),
            kind: a.kind.map(|k| entity::wire_name(&k)).unwrap_or_default(),
            stage: entity::wire_name(&a.stage),
            scope: a.scope.0,
            agencies: a.agencies.0,
            party_names: names,
            province: provinces.into_iter().collect(),
            region_kind: kinds.into_iter().collect(),
            signed_on: a.signed_on.map(|d| d.to_string()),
            valid_until: a.valid_until.map(|d| d.to_string()),
            proven: practices.get(&a.id).copied().unwrap_or(0),
            aliases,
        }));
    }
    Ok((docs, gone(ids, &present)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_from_the_unix_epoch() {
        let d = chrono::NaiveDate::from_ymd_opt(1970, 1, 2);
        assert_eq!(d.map(days), Some(1));
    }
}
