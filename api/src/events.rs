//! Change events for subscriptions. Mutations publish after their
//! transaction committed; subscribers filter by region. The bus is in
//! process: with several replicas, a subscriber sees the changes made
//! through its own replica (a shared bus, e.g. PostgreSQL LISTEN/NOTIFY, is
//! the next step for scaled-out deployments).

use tokio::sync::broadcast;
use uuid::Uuid;

/// What changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// An agreement reached a new stage (or was created as a proposal).
    AgreementStage {
        agreement_id: Uuid,
        stage: entity::AgreementStage,
        /// The party regions, for filtering.
        region_codes: Vec<String>,
    },
    /// A practice was created or changed.
    Practice {
        practice_id: Uuid,
        owner_region_code: String,
        created: bool,
    },
}

/// The in-process event bus shared by the schema.
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
