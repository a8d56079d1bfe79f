//! Webhook deliveries: every committed change that concerns a region is
//! sent, signed, to the endpoints its admins registered, at least once.
//!
//! - **Queued in the write's transaction.** [`enqueue`] is called by the
//!   audit record every write makes ([`crate::domain::write::audit`]): it
//!   finds the endpoints that want this kind of change for one of the
//!   regions concerned (a province's endpoint also hears its regencies and
//!   cities) and inserts one delivery row each. The rows commit with the
//!   change, or not at all: a durable outbox in the database, not memory.
//! - **Sent by a worker** ([`spawn_worker`], on every replica; [`deliver_due`]
//!   is one round). A round claims due rows (`FOR UPDATE SKIP LOCKED` on
//!   PostgreSQL, so replicas share the work) by pushing their next attempt
//!   past a lease, sends them outside any transaction, and records each
//!   outcome. A process that dies mid-send leaves its rows to be retried
//!   when the lease ends; a receiver may therefore get a delivery twice,
//!   and drops duplicates by the `Berguru-Delivery` id.
//! - **Signed**: `Berguru-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256
//!   of "<t>.<body>" with the endpoint's secret>`, as Stripe and GitHub do.
//!   Receivers recompute it and refuse a timestamp older than a few
//!   minutes.
//! - **Retried** with exponential backoff (`webhook_retry_base_ms`,
//!   doubling, at most `webhook_retry_max_secs`). A success flushes the
//!   endpoint's other waiting deliveries at once, so a receiver that comes
//!   back gets what it missed without waiting for each backoff.
//! - **Paused** when every attempt failed for `webhook_pause_after_secs`
//!   (default three days): deliveries keep queueing, none is sent, and the
//!   endpoint's `status`, `failingSince` and `lastError` tell its owners
//!   in the API until an admin resumes it.
//! - **Logged**: delivered rows stay as the delivery log for
//!   [`LOG_DAYS`] days.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::Utc;
use entity::{
    WebhookEvent, WebhookStatus, adoption, adoption_follow_up, agreement_evaluation,
    agreement_party, expression_of_interest, facilitation_request, learning_request, practice,
    region, visit, webhook_delivery, webhook_endpoint,
};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, TransactionOptions, TransactionTrait,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::auth::hex;
use crate::domain::write::ObjectKind;
use crate::error::Result;
use crate::events::Event;

/// Days a delivered row stays in the delivery log.
pub const LOG_DAYS: i64 = 30;
/// Deliveries claimed per round.
pub const BATCH: u64 = 50;

/// How deliveries are sent and retried.
#[derive(Clone, Copy, Debug)]
pub struct WebhookConfig {
    /// How often the worker looks for due deliveries (ms).
    pub poll_ms: u64,
    /// Wait before the first retry (ms); doubles with each failure.
    pub retry_base_ms: u64,
    /// Longest wait between two attempts (seconds).
    pub retry_max_secs: u64,
    /// An endpoint failing this long is paused (seconds).
    pub pause_after_secs: u64,
    /// Bound on one delivery's HTTP request (ms).
    pub timeout_ms: u64,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        Self {
            poll_ms: 1_000,
            retry_base_ms: 10_000,
            retry_max_secs: 3_600,
            pause_after_secs: 3 * 24 * 3_600,
            timeout_ms: 10_000,
        }
    }
}

/// HMAC-SHA256 (RFC 2104) of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// The `Berguru-Signature` header of `body` sent at `timestamp` (unix
/// seconds): `t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mac = hmac_sha256(secret.as_bytes(), format!("{timestamp}.{body}").as_bytes());
    format!("t={timestamp},v1={}", hex(&mac))
}

/// A new endpoint secret (244 random bits).
pub fn generate_secret() -> String {
    format!(
        "whsec_{}{}",
        Uuid::new_v4().simple(),
        Uuid::new_v4().simple()
    )
}

/// The webhook kind of one audited change, if endpoints can receive it.
/// Every object kind is named, so a new one must be decided here.
fn webhook_event(kind: ObjectKind, event: &Event) -> Option<WebhookEvent> {
    match kind {
        ObjectKind::Practice | ObjectKind::Outcome => Some(WebhookEvent::PracticeChanged),
        ObjectKind::Agreement => matches!(event, Event::AgreementStage { .. })
            .then_some(WebhookEvent::AgreementStageChanged),
        ObjectKind::AgreementEvaluation => Some(WebhookEvent::AgreementEvaluated),
        ObjectKind::LearningRequest => Some(WebhookEvent::LearningRequestChanged),
        ObjectKind::ExpressionOfInterest => Some(WebhookEvent::ExpressionOfInterestChanged),
        ObjectKind::Adoption => Some(WebhookEvent::AdoptionChanged),
        ObjectKind::AdoptionFollowUp => Some(WebhookEvent::AdoptionFollowUpRecorded),
        ObjectKind::Visit => Some(WebhookEvent::VisitChanged),
        ObjectKind::FacilitationRequest => Some(WebhookEvent::FacilitationChanged),
        // Parts of an agreement (its parties, practices and work plan)
        // reach endpoints with the agreement's stage changes and
        // evaluations; regions, their indices, tokens and endpoints
        // themselves are no region's news.
        ObjectKind::AgreementParty
        | ObjectKind::AgreementPractice
        | ObjectKind::WorkPlanIndicator
        | ObjectKind::WorkPlanActivity
        | ObjectKind::IndicatorMeasurement
        | ObjectKind::Region
        | ObjectKind::RegionIndex
        | ObjectKind::ApiToken
        | ObjectKind::WebhookEndpoint => None,
    }
}

async fn parties(db: &impl ConnectionTrait, agreement: Uuid) -> Result<Vec<String>> {
    Ok(agreement_party::Entity::find()
        .filter(agreement_party::Column::AgreementId.eq(agreement))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| p.region_code)
        .collect())
}

async fn adoption_regions(db: &impl ConnectionTrait, id: Uuid) -> Result<Vec<String>> {
    let Some(a) = adoption::Entity::find_by_id(id).one(db).await? else {
        return Ok(Vec::new());
    };
    let mut out = vec![a.region_code];
    if let Some(p) = practice::Entity::find_by_id(a.practice_id).one(db).await? {
        out.push(p.owner_region_code);
    }
    Ok(out)
}

/// The regions a change concerns (read inside the write's transaction):
/// a practice's owner; an agreement's parties; a request's region; an
/// expression's answering and requesting regions; an adoption's adopter
/// and the practice's owner; a visit's visitor and host; a facilitation
/// request's region and province.
async fn regions_concerned(
    db: &impl ConnectionTrait,
    kind: WebhookEvent,
    object_id: &str,
    state: Option<&serde_json::Value>,
) -> Result<Vec<String>> {
    let uuid = |field: Option<&str>| {
        let s = match field {
            None => Some(object_id),
            Some(f) => state.and_then(|v| v.get(f)).and_then(|v| v.as_str()),
        };
        s.and_then(|s| Uuid::parse_str(s).ok())
    };
    Ok(match kind {
        // An outcome's state names its practice; a practice is the object.
        WebhookEvent::PracticeChanged => match uuid(Some("practice_id")).or_else(|| uuid(None)) {
            Some(id) => practice::Entity::find_by_id(id)
                .one(db)
                .await?
                .map(|p| vec![p.owner_region_code])
                .unwrap_or_default(),
            None => Vec::new(),
        },
        WebhookEvent::AgreementStageChanged => match uuid(None) {
            Some(id) => parties(db, id).await?,
            None => Vec::new(),
        },
        WebhookEvent::AgreementEvaluated => match uuid(Some("agreement_id")) {
            Some(id) => parties(db, id).await?,
            None => match uuid(None) {
                Some(id) => match agreement_evaluation::Entity::find_by_id(id).one(db).await? {
                    Some(e) => parties(db, e.agreement_id).await?,
                    None => Vec::new(),
                },
                None => Vec::new(),
            },
        },
        WebhookEvent::LearningRequestChanged => match uuid(None) {
            Some(id) => learning_request::Entity::find_by_id(id)
                .one(db)
                .await?
                .map(|r| vec![r.region_code])
                .unwrap_or_default(),
            None => Vec::new(),
        },
        WebhookEvent::ExpressionOfInterestChanged => {
            let Some(id) = uuid(None) else {
                return Ok(Vec::new());
            };
            let Some(x) = expression_of_interest::Entity::find_by_id(id)
                .one(db)
                .await?
            else {
                return Ok(Vec::new());
            };
            let mut out = vec![x.region_code];
            if let Some(r) = learning_request::Entity::find_by_id(x.learning_request_id)
                .one(db)
                .await?
            {
                out.push(r.region_code);
            }
            out
        }
        WebhookEvent::AdoptionChanged => match uuid(None) {
            Some(id) => adoption_regions(db, id).await?,
            None => Vec::new(),
        },
        WebhookEvent::AdoptionFollowUpRecorded => {
            let adoption = match uuid(Some("adoption_id")) {
                Some(a) => Some(a),
                None => match uuid(None) {
                    Some(id) => adoption_follow_up::Entity::find_by_id(id)
                        .one(db)
                        .await?
                        .map(|f| f.adoption_id),
                    None => None,
                },
            };
            match adoption {
                Some(a) => adoption_regions(db, a).await?,
                None => Vec::new(),
            }
        }
        WebhookEvent::FacilitationChanged => match uuid(None) {
            Some(id) => facilitation_request::Entity::find_by_id(id)
                .one(db)
                .await?
                .map(|r| vec![r.region_code, r.province_code])
                .unwrap_or_default(),
            None => Vec::new(),
        },
        WebhookEvent::VisitChanged => match uuid(None) {
            Some(id) => visit::Entity::find_by_id(id)
                .one(db)
                .await?
                .map(|v| vec![v.visitor_region_code, v.host_region_code])
                .unwrap_or_default(),
            None => Vec::new(),
        },
    })
}

/// Queues the deliveries of one audited change, inside its transaction.
/// One query when no endpoint is registered at all.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    kind: ObjectKind,
    object_id: &str,
    event: &Event,
    state: Option<&serde_json::Value>,
) -> Result<()> {
    let Some(wanted) = webhook_event(kind, event) else {
        return Ok(());
    };
    let endpoints = webhook_endpoint::Entity::find().all(db).await?;
    let wire = entity::wire_name(&wanted);
    let endpoints: Vec<_> = endpoints
        .into_iter()
        .filter(|e| e.events.0.contains(&wire))
        .collect();
    if endpoints.is_empty() {
        return Ok(());
    }
    let mut regions: BTreeSet<String> = regions_concerned(db, wanted, object_id, state)
        .await?
        .into_iter()
        .collect();
    if regions.is_empty() {
        return Ok(());
    }
    let concerned: Vec<String> = regions.iter().cloned().collect();
    // A province's endpoint hears its regencies and cities.
    for r in region::Entity::find()
        .filter(region::Column::Code.is_in(concerned.clone()))
        .all(db)
        .await?
    {
        regions.extend(r.province_code);
    }
    let stage = match event {
        Event::AgreementStage { stage, .. } => Some(entity::wire_name(stage)),
        _ => None,
    };
    let now = Utc::now();
    for e in endpoints
        .into_iter()
        .filter(|e| regions.contains(&e.region_code))
    {
        let id = Uuid::new_v4();
        let mut body = json!({
            "deliveryId": id,
            "event": wire,
            "objectId": object_id,
            "regionCodes": concerned,
            "endpointRegionCode": e.region_code,
            "occurredAt": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        });
        if let Some(s) = &stage {
            body["stage"] = json!(s);
        }
        webhook_delivery::Model {
            id,
            endpoint_id: e.id,
            event: wire.clone(),
            object_id: object_id.to_owned(),
            body: body.to_string(),
            attempts: 0,
            next_attempt_at: now,
            delivered_at: None,
            last_status: None,
            last_error: None,
            created_at: now,
        }
        .into_active_model()
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The HTTP client of deliveries: bounded, no redirects followed (a
/// redirect is a failure the owner should see, not a hop elsewhere).
pub fn client(config: &WebhookConfig) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_millis(config.timeout_ms))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Berguru-Webhook/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

/// What one attempt gave.
struct Attempt {
    delivered: bool,
    status: Option<i32>,
    error: Option<String>,
}

async fn send(
    client: &reqwest::Client,
    e: &webhook_endpoint::Model,
    d: &webhook_delivery::Model,
) -> Attempt {
    let t = Utc::now().timestamp();
    let res = client
        .post(&e.url)
        .header("content-type", "application/json")
        .header("Berguru-Delivery", d.id.to_string())
        .header("Berguru-Event", &d.event)
        .header("Berguru-Signature", signature(&e.secret, t, &d.body))
        .body(d.body.clone())
        .send()
        .await;
    match res {
        Ok(r) if r.status().is_success() => Attempt {
            delivered: true,
            status: Some(i32::from(r.status().as_u16())),
            error: None,
        },
        Ok(r) => Attempt {
            delivered: false,
            status: Some(i32::from(r.status().as_u16())),
            error: Some(format!(
                "the receiver answered HTTP {}",
                r.status().as_u16()
            )),
        },
        Err(err) => Attempt {
            delivered: false,
            status: None,
            error: Some(describe(&err)),
        },
    }
}

fn describe(e: &reqwest::Error) -> String {
    // The innermost cause says what went wrong (refused, TLS, DNS).
    let mut cause: &dyn std::error::Error = e;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    if e.is_timeout() {
        "the receiver did not answer in time".into()
    } else if e.is_connect() {
        format!("cannot connect to the receiver: {cause}")
    } else {
        format!("the request failed: {cause}")
    }
}

/// Wait before attempt `attempts + 1`.
fn backoff(config: &WebhookConfig, attempts: i32) -> chrono::Duration {
    let exp = u32::try_from(attempts.clamp(1, 30) - 1).unwrap_or(0);
    let ms = config
        .retry_base_ms
        .saturating_mul(1u64 << exp)
        .min(config.retry_max_secs.saturating_mul(1000));
    chrono::Duration::milliseconds(i64::try_from(ms).unwrap_or(i64::MAX / 2))
}

/// Claims up to [`BATCH`] due deliveries of active endpoints, pushing
/// their next attempt past the lease so no other worker takes them.
async fn claim(
    db: &DatabaseConnection,
    config: &WebhookConfig,
) -> Result<Vec<webhook_delivery::Model>> {
    let postgres = db.get_database_backend() == DbBackend::Postgres;
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await?;
    let now = Utc::now();
    let active = Query::select()
        .column(webhook_endpoint::Column::Id)
        .from(webhook_endpoint::Entity)
        .and_where(webhook_endpoint::Column::Status.eq(WebhookStatus::Active))
        .to_owned();
    let mut q = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::DeliveredAt.is_null())
        .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
        .filter(webhook_delivery::Column::EndpointId.in_subquery(active))
        .order_by_asc(webhook_delivery::Column::CreatedAt)
        .limit(BATCH);
    if postgres {
        q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let rows = q.all(&txn).await?;
    if !rows.is_empty() {
        let lease = now
            + chrono::Duration::milliseconds(
                i64::try_from(config.timeout_ms).unwrap_or(60_000) + 60_000,
            );
        webhook_delivery::Entity::update_many()
            .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(lease))
            .filter(webhook_delivery::Column::Id.is_in(rows.iter().map(|r| r.id)))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(rows)
}

/// One round of the worker: sends every due delivery of an active
/// endpoint (in batches) and records the outcomes. Returns how many were
/// delivered.
pub async fn deliver_due(
    db: &DatabaseConnection,
    client: &reqwest::Client,
    config: &WebhookConfig,
) -> Result<usize> {
    let mut delivered = 0;
    loop {
        let rows = claim(db, config).await?;
        if rows.is_empty() {
            break;
        }
        let ids: BTreeSet<Uuid> = rows.iter().map(|r| r.endpoint_id).collect();
        let endpoints = webhook_endpoint::Entity::find()
            .filter(webhook_endpoint::Column::Id.is_in(ids))
            .all(db)
            .await?;
        let sends = rows.iter().filter_map(|d| {
            let e = endpoints.iter().find(|e| e.id == d.endpoint_id)?;
            Some(async move { (d, e, send(client, e, d).await) })
        });
        for (d, e, a) in futures_util::future::join_all(sends).await {
            if a.delivered {
                delivered += 1;
            }
            record(db, config, d, e, a).await?;
        }
    }
    prune(db).await?;
    Ok(delivered)
}

/// Records one attempt on its delivery and its endpoint's health.
async fn record(
    db: &DatabaseConnection,
    config: &WebhookConfig,
    d: &webhook_delivery::Model,
    e: &webhook_endpoint::Model,
    a: Attempt,
) -> Result<()> {
    let now = Utc::now();
    let attempts = d.attempts + 1;
    let mut u = webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::Attempts, Expr::value(attempts))
        .col_expr(webhook_delivery::Column::LastStatus, Expr::value(a.status))
        .col_expr(
            webhook_delivery::Column::LastError,
            Expr::value(a.error.clone()),
        )
        .filter(webhook_delivery::Column::Id.eq(d.id));
    u = if a.delivered {
        u.col_expr(webhook_delivery::Column::DeliveredAt, Expr::value(now))
    } else {
        u.col_expr(
            webhook_delivery::Column::NextAttemptAt,
            Expr::value(now + backoff(config, attempts)),
        )
    };
    u.exec(db).await?;
    if a.delivered {
        webhook_endpoint::Entity::update_many()
            .col_expr(
                webhook_endpoint::Column::FailingSince,
                Expr::value(Option::<chrono::DateTime<Utc>>::None),
            )
            .col_expr(webhook_endpoint::Column::LastDeliveredAt, Expr::value(now))
            .col_expr(
                webhook_endpoint::Column::LastError,
                Expr::value(Option::<String>::None),
            )
            .filter(webhook_endpoint::Column::Id.eq(e.id))
            .exec(db)
            .await?;
        // The receiver is back: what it missed goes out on the next round,
        // not after each delivery's own backoff.
        webhook_delivery::Entity::update_many()
            .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(now))
            .filter(webhook_delivery::Column::EndpointId.eq(e.id))
            .filter(webhook_delivery::Column::DeliveredAt.is_null())
            .filter(webhook_delivery::Column::Attempts.gt(0))
            .filter(webhook_delivery::Column::NextAttemptAt.gt(now))
            .exec(db)
            .await?;
    } else {
        // Read the endpoint afresh: another delivery's success may have
        // cleared its failure meanwhile.
        let Some(cur) = webhook_endpoint::Entity::find_by_id(e.id).one(db).await? else {
            return Ok(());
        };
        let since = cur.failing_since.unwrap_or(now);
        let pause = now - since
            >= chrono::Duration::seconds(
                i64::try_from(config.pause_after_secs).unwrap_or(i64::MAX / 2),
            );
        let mut u = webhook_endpoint::Entity::update_many()
            .col_expr(webhook_endpoint::Column::FailingSince, Expr::value(since))
            .col_expr(webhook_endpoint::Column::LastError, Expr::value(a.error))
            .filter(webhook_endpoint::Column::Id.eq(e.id));
        if pause && cur.status == WebhookStatus::Active {
            u = u.col_expr(
                webhook_endpoint::Column::Status,
                Expr::value(WebhookStatus::Paused),
            );
            tracing::warn!(endpoint = %e.id, region = %e.region_code, "webhook endpoint paused: every delivery failed for too long");
        }
        u.exec(db).await?;
    }
    Ok(())
}

/// Drops delivered rows older than [`LOG_DAYS`].
async fn prune(db: &DatabaseConnection) -> Result<()> {
    webhook_delivery::Entity::delete_many()
        .filter(
            webhook_delivery::Column::DeliveredAt.lt(Utc::now() - chrono::Duration::days(LOG_DAYS)),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Runs [`deliver_due`] every `poll_ms` until `shutdown` starts; failures
/// (the database unreachable) are logged and retried.
pub fn spawn_worker(
    db: DatabaseConnection,
    config: WebhookConfig,
    shutdown: crate::shutdown::Shutdown,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let client = client(&config);
        let mut failing = false;
        while !shutdown.started() {
            match deliver_due(&db, &client, &config).await {
                Ok(n) => {
                    if n > 0 {
                        tracing::debug!(delivered = n, "webhook deliveries sent");
                    }
                    failing = false;
                }
                Err(e) => {
                    if !failing {
                        tracing::warn!(error = %e.message(), "webhook worker: a round failed; will retry");
                    }
                    failing = true;
                }
            }
            tokio::select! {
                () = tokio::time::sleep(Duration::from_millis(config.poll_ms)) => {}
                () = shutdown.wait() => {}
            }
        }
        tracing::info!("webhook worker stopped");
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231, test cases 2 and 6 (a key longer than the block).
    #[test]
    fn hmac_matches_the_rfc_4231_vectors() {
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn the_signature_covers_the_timestamp_and_the_body() {
        let s = signature("whsec_x", 1_700_000_000, r#"{"a":1}"#);
        assert!(s.starts_with("t=1700000000,v1="), "{s}");
        assert_ne!(s, signature("whsec_x", 1_700_000_001, r#"{"a":1}"#));
        assert_ne!(s, signature("whsec_x", 1_700_000_000, r#"{"a":2}"#));
        assert_ne!(s, signature("whsec_y", 1_700_000_000, r#"{"a":1}"#));
    }

    #[test]
    fn backoff_doubles_up_to_its_bound() {
        let c = WebhookConfig {
            retry_base_ms: 1_000,
            retry_max_secs: 5,
            ..WebhookConfig::default()
        };
        let ms = |n| backoff(&c, n).num_milliseconds();
        assert_eq!(
            [ms(1), ms(2), ms(3), ms(4), ms(40)],
            [1_000, 2_000, 4_000, 5_000, 5_000]
        );
    }
}
