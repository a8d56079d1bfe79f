//! Shared rules of every write: one transaction per mutation (taking
//! SQLite's write lock up front, so concurrent writers wait instead of
//! failing), optimistic concurrency on `version`, text validation, and the
//! audit record of who changed what.

use chrono::Utc;
use entity::{TextList, audit_entry};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, IntoActiveModel,
    TransactionOptions, TransactionTrait,
};
use serde::Serialize;
use uuid::Uuid;

use crate::auth::Viewer;
use crate::error::{ApiError, Result};

/// Longest title (characters).
pub const MAX_TITLE: usize = 300;
/// Longest one-paragraph text (summary, note).
pub const MAX_SHORT_TEXT: usize = 4_000;
/// Longest long text (description, findings).
pub const MAX_LONG_TEXT: usize = 50_000;
/// Longest list item (scope item, agency, link, objective).
pub const MAX_ITEM: usize = 500;
/// Most items in a list.
pub const MAX_ITEMS: usize = 100;

/// Starts the transaction of one write.
pub async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction> {
    let opts = TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    Ok(db.begin_with_options(opts).await?)
}

/// Refuses a write based on a stale version.
pub fn check_version(what: &str, current: i32, given: i32) -> Result<()> {
    if current == given {
        Ok(())
    } else {
        Err(ApiError::conflict(format!(
            "{what} was changed by someone else (version {current}, you sent {given}); reload it and apply your change again"
        )))
    }
}

/// A required text: trimmed, not empty, at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ApiError::bad_input(
            field,
            format!("{field} must not be empty"),
        ));
    }
    check_len(field, v, max)?;
    Ok(v.to_owned())
}

/// An optional text: trimmed; empty becomes `None`.
pub fn optional_text(field: &str, value: Option<String>, max: usize) -> Result<Option<String>> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => {
            check_len(field, v, max)?;
            Ok(Some(v.to_owned()))
        }
    }
}

/// A list of short texts: each trimmed, non-empty, bounded.
pub fn text_list(field: &str, values: Vec<String>) -> Result<TextList> {
    if values.len() > MAX_ITEMS {
        return Err(ApiError::bad_input(
            field,
            format!("{field} has more than {MAX_ITEMS} items"),
        ));
    }
    let mut out = Vec::with_capacity(values.len());
    for v in values {
        out.push(required_text(field, &v, MAX_ITEM)?);
    }
    Ok(TextList(out))
}

fn check_len(field: &str, v: &str, max: usize) -> Result<()> {
    if v.chars().count() > max {
        return Err(ApiError::bad_input(
            field,
            format!("{field} is longer than {max} characters"),
        ));
    }
    if v.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(ApiError::bad_input(
            field,
            format!("{field} contains control characters"),
        ));
    }
    Ok(())
}

/// Records one write in the audit log, inside the write's transaction,
/// and queues the searchable objects it touched for the search outbox.
pub async fn audit<B: Serialize, A: Serialize>(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    action: &str,
    object_type: &str,
    object_id: impl ToString,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<()> {
    let to_json = |v: Option<serde_json::Value>| v;
    let before = to_json(
        before
            .map(serde_json::to_value)
            .transpose()
            .map_err(|e| ApiError::internal(&e))?,
    );
    let after = to_json(
        after
            .map(serde_json::to_value)
            .transpose()
            .map_err(|e| ApiError::internal(&e))?,
    );
    let object_id = object_id.to_string();
    // Every replica's response cache forgets what it stored (at commit).
    crate::response_cache::notify_change(db).await?;
    crate::search_sync::enqueue_for_audit(
        db,
        object_type,
        &object_id,
        before.as_ref(),
        after.as_ref(),
    )
    .await?;
    audit_entry::Model {
        id: Uuid::new_v4(),
        at: Utc::now(),
        actor_token_id: viewer.token_id(),
        actor: viewer.actor(),
        action: action.to_owned(),
        object_type: object_type.to_owned(),
        object_id,
        before,
        after,
    }
    .into_active_model()
    .insert(db)
    .await?;
    Ok(())
}

/// Turns a unique-constraint violation into `CONFLICT` with `message`.
pub fn unique_conflict(e: sea_orm::DbErr, message: impl Into<String>) -> ApiError {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => ApiError::conflict(message),
        _ => ApiError::from(e),
    }
}

/// Nothing to serialise (for audit records without a before or after).
pub const NONE: Option<&()> = None;
