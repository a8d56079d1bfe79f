//! `AuditEntry`: one write in the audit trail.

use async_graphql::{ID, Json, Object};
use entity::audit_entry;

use crate::graphql::scalars::DateTime;

/// One write: who, when, what, and the object before and after.
pub struct AuditEntry(pub audit_entry::Model);

/// One write: who, when, what, and the object before and after.
#[Object]
impl AuditEntry {
    /// Entry id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// When the write happened.
    async fn at(&self) -> DateTime {
        self.0.at.into()
    }

    /// Who wrote: role and scope, e.g. `editor 32.11`, `admin 32`, `operator`.
    async fn actor(&self) -> &str {
        &self.0.actor
    }

    /// Id of the token used, when the write came through the API.
    async fn actor_token_id(&self) -> Option<ID> {
        self.0.actor_token_id.map(|id| ID(id.to_string()))
    }

    /// The mutation, e.g. `updatePractice`.
    async fn action(&self) -> &str {
        &self.0.action
    }

    /// Kind of object written: `Practice`, `Outcome`, `Agreement`, ...
    async fn object_type(&self) -> &str {
        &self.0.object_type
    }

    /// Id of the object written.
    async fn object_id(&self) -> &str {
        &self.0.object_id
    }

    /// The object before the write (null for a creation).
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0.before.clone().map(Json)
    }

    /// The object after the write (null for a removal).
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0.after.clone().map(Json)
    }
}
