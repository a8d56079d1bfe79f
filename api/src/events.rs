//! Change events for subscriptions, published by the domain's write path
//! ([`crate::domain::write::audit`]) for every committed change, whoever
//! made it: a mutation, an import, a visit plan, a renewal's follow-up
//! agreement, or a command of the CLI.
//!
//! How an event travels:
//! - **PostgreSQL** (any number of replicas): `audit` sends
//!   `NOTIFY berguru_events` with the event as JSON (kind and id, plus
//!   `created` or the stage reached) inside the write's transaction, so it
//!   is delivered only if, and when, the transaction commits. Every
//!   replica's [`Listener`] turns the notifications into events on its own
//!   [`EventBus`]; the subscriptions of that replica then load the object
//!   and filter it for their subscriber. A replica's own writes come back
//!   to it the same way, so every replica sees the same events. While the
//!   listener is disconnected it reconnects every second, `/readyz` says
//!   `"events": "reconnecting"`, and events committed meanwhile are not
//!   delivered to that replica's subscribers.
//! - **SQLite** (one process): `audit` queues the event on the request's
//!   [`Sink`] (a task-local set by [`crate::http::execute`] around every
//!   request), and [`crate::domain::write::commit`] publishes the queue on
//!   the in-process bus once the transaction committed; a rolled-back
//!   write's events are dropped by the next [`crate::domain::write::begin`].
//!   Writes made by another process (the CLI) are not seen by the server's
//!   subscribers on SQLite.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::domain::write::ObjectKind;
use crate::response_cache::ResponseCache;

/// The PostgreSQL channel events travel on.
pub const CHANNEL: &str = "berguru_events";

/// What changed: the kind and id of the object (and what a subscriber
/// filters on that cannot be read later), never its content; subscribers
/// load the object as it is now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum Event {
    /// A practice (or one of its outcomes) was created or changed.
    Practice {
        /// The practice.
        id: Uuid,
        /// True when the practice itself was created.
        created: bool,
    },
    /// An agreement was created (as a proposal, or a renewal's follow-up)
    /// or reached a new stage.
    AgreementStage {
        /// The agreement.
        id: Uuid,
        /// The stage it reached with this change.
        stage: entity::AgreementStage,
    },
    /// Any other audited change (a party, an adoption, a visit, a region,
    /// ...), by its audit kind name and id.
    Changed {
        /// The audit kind (`Visit`, `Adoption`, ...).
        object: String,
        /// The object's id as the audit log records it.
        id: String,
    },
}

impl Event {
    /// The event of one audited write (`before`/`after` are the audit
    /// record's states); `None` for tokens and webhook endpoints, which
    /// nobody subscribes to.
    pub fn from_audit(
        kind: ObjectKind,
        id: &str,
        before: Option<&serde_json::Value>,
        after: Option<&serde_json::Value>,
    ) -> Option<Self> {
        let state = after.or(before);
        let uuid_of = |field: &str| {
            state
                .and_then(|v| v.get(field))
                .and_then(|v| v.as_str())
                .and_then(|s| Uuid::parse_str(s).ok())
        };
        let stage_of = |v: Option<&serde_json::Value>| {
            v.and_then(|v| v.get("stage"))
                .and_then(|s| serde_json::from_value::<entity::AgreementStage>(s.clone()).ok())
        };
        match kind {
            ObjectKind::ApiToken | ObjectKind::WebhookEndpoint => None,
            ObjectKind::Practice => Some(Self::Practice {
                id: Uuid::parse_str(id).ok()?,
                created: before.is_none(),
            }),
            ObjectKind::Outcome => Some(Self::Practice {
                id: uuid_of("practice_id")?,
                created: false,
            }),
            ObjectKind::Agreement => {
                let now = stage_of(after);
                match now {
                    Some(stage) if before.is_none() || stage_of(before) != now => {
                        Some(Self::AgreementStage {
                            id: Uuid::parse_str(id).ok()?,
                            stage,
                        })
                    }
                    _ => Some(Self::Changed {
                        object: kind.name().to_owned(),
                        id: id.to_owned(),
                    }),
                }
            }
            _ => Some(Self::Changed {
                object: kind.name().to_owned(),
                id: id.to_owned(),
            }),
        }
    }
}

/// Announces `event` from inside a write's transaction: a notification
/// delivered at commit on PostgreSQL; queued on the request's [`Sink`] on
/// SQLite (published by `write::commit`).
pub async fn announce(db: &impl ConnectionTrait, event: &Event) -> Result<(), sea_orm::DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        let payload =
            serde_json::to_string(event).map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), payload.into()],
        ))
        .await?;
    } else {
        let _ = SINK.try_with(|s| {
            if let Ok(mut p) = s.pending.lock() {
                p.push(event.clone());
            }
        });
    }
    Ok(())
}

/// The in-process event bus of one replica.
#[derive(Clone, Debug)]
pub struct EventBus {
    tx: broadcast::Sender<Event>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new(1024)
    }
}

impl EventBus {
    /// A bus keeping up to `capacity` events for slow subscribers (who then
    /// skip the oldest).
    pub fn new(capacity: usize) -> Self {
        Self {
            tx: broadcast::channel(capacity.max(1)).0,
        }
    }

    /// Publishes an event; no subscriber is fine.
    pub fn publish(&self, e: Event) {
        let _ = self.tx.send(e);
    }

    /// A new subscription to every event from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.tx.subscribe()
    }
}

/// Where the writes of one request queue their events on SQLite until
/// their transaction commits.
#[derive(Clone, Debug)]
pub struct Sink {
    bus: EventBus,
    pending: Arc<Mutex<Vec<Event>>>,
}

tokio::task_local! {
    static SINK: Sink;
}

impl Sink {
    /// A sink publishing on `bus`.
    pub fn new(bus: EventBus) -> Self {
        Self {
            bus,
            pending: Arc::default(),
        }
    }

    /// Runs `f` (one poll of a request) with this sink as the writes'
    /// destination.
    pub fn scope<T>(&self, f: impl FnOnce() -> T) -> T {
        SINK.sync_scope(self.clone(), f)
    }
}

/// A write transaction starts: forget what a rolled-back one queued.
pub(crate) fn write_started() {
    let _ = SINK.try_with(|s| {
        if let Ok(mut p) = s.pending.lock() {
            p.clear();
        }
    });
}

/// A write transaction committed: publish what it queued.
pub(crate) fn write_committed() {
    let _ = SINK.try_with(|s| {
        let events = s
            .pending
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default();
        for e in events {
            s.bus.publish(e);
        }
    });
}

/// The PostgreSQL listener of one replica: events of every replica onto
/// this replica's bus, and every replica's change announcements into this
/// replica's response cache. Aborted when dropped.
#[derive(Debug)]
pub struct Listener {
    task: tokio::task::JoinHandle<()>,
    connected: Arc<AtomicBool>,
}

impl Listener {
    /// True while it is connected and listening.
    pub fn connected(&self) -> bool {
        self.connected.load(Ordering::SeqCst)
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts the listener on PostgreSQL (`None` on SQLite, or outside a
/// Tokio runtime). It reconnects every second while the connection is
/// lost; meanwhile `cache` serves nothing.
pub fn spawn_listener(
    db: &DatabaseConnection,
    bus: EventBus,
    cache: Option<Arc<ResponseCache>>,
) -> Option<Listener> {
    if db.get_database_backend() != DbBackend::Postgres {
        return None;
    }
    let handle = tokio::runtime::Handle::try_current().ok()?;
    let pool = db.get_postgres_connection_pool().clone();
    let connected = Arc::new(AtomicBool::new(false));
    let flag = connected.clone();
    // Until it listens, the cache serves nothing.
    let mut down = cache.map(crate::response_cache::ListenerDown::new);
    let task = handle.spawn(async move {
        loop {
            if let Err(e) = listen(&pool, &bus, down.as_mut(), &flag).await {
                tracing::warn!(error = %e, "event listener lost its connection; reconnecting");
            }
            flag.store(false, Ordering::SeqCst);
            if let Some(d) = down.as_mut() {
                d.set(true);
                d.cache.invalidate();
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
    Some(Listener { task, connected })
}

async fn listen(
    pool: &sea_orm::sqlx::PgPool,
    bus: &EventBus,
    mut down: Option<&mut crate::response_cache::ListenerDown>,
    connected: &AtomicBool,
) -> Result<(), sea_orm::sqlx::Error> {
    let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(pool).await?;
    listener
        .listen_all([crate::response_cache::CHANNEL, CHANNEL])
        .await?;
    if let Some(d) = down.as_deref_mut() {
        // Writes made while no one listened are unknown: start afresh.
        d.cache.invalidate();
        d.set(false);
    }
    connected.store(true, Ordering::SeqCst);
    tracing::info!("event listener connected");
    loop {
        let n = listener.recv().await?;
        if n.channel() == CHANNEL {
            match serde_json::from_str::<Event>(n.payload()) {
                Ok(e) => bus.publish(e),
                Err(e) => tracing::warn!(error = %e, "unreadable event notification"),
            }
        } else if let Some(d) = down.as_deref() {
            d.cache.invalidate();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn audits_become_events() {
        let id = Uuid::new_v4();
        let p = json!({ "id": id.to_string(), "stage": "proposed" });
        assert_eq!(
            Event::from_audit(ObjectKind::Practice, &id.to_string(), None, Some(&p)),
            Some(Event::Practice { id, created: true })
        );
        let o = json!({ "practice_id": id.to_string() });
        assert_eq!(
            Event::from_audit(ObjectKind::Outcome, "7", Some(&o), None),
            Some(Event::Practice { id, created: false })
        );
        let before =
            serde_json::to_value(json!({ "stage": entity::AgreementStage::Proposed })).unwrap();
        let after =
            serde_json::to_value(json!({ "stage": entity::AgreementStage::UnderReview })).unwrap();
        assert_eq!(
            Event::from_audit(
                ObjectKind::Agreement,
                &id.to_string(),
                Some(&before),
                Some(&after)
            ),
            Some(Event::AgreementStage {
                id,
                stage: entity::AgreementStage::UnderReview
            })
        );
        assert!(matches!(
            Event::from_audit(
                ObjectKind::Agreement,
                &id.to_string(),
                Some(&after),
                Some(&after)
            ),
            Some(Event::Changed { .. })
        ));
        assert_eq!(
            Event::from_audit(ObjectKind::ApiToken, "x", None, Some(&p)),
            None
        );
        let e = Event::AgreementStage {
            id,
            stage: entity::AgreementStage::Offered,
        };
        let wire = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<Event>(&wire).unwrap(), e);
    }
}
