//! Shared rules of every write: one transaction per mutation (taking
//! SQLite's write lock up front, so concurrent writers wait instead of
//! failing), optimistic concurrency on `version`, text validation, and the
//! audit record of who changed what.

use chrono::Utc;
use entity::{TextList, audit_entry};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, IntoActiveModel, ModelTrait, QueryFilter, TransactionOptions,
    TransactionTrait,
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

/// Starts the transaction of one write. End it with [`commit`], which
/// publishes its events.
pub async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction> {
    let opts = TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    let txn = db.begin_with_options(opts).await?;
    crate::events::write_started();
    Ok(txn)
}

/// Commits the transaction of one write and then publishes the events
/// its audit records announced (on SQLite; on PostgreSQL the commit itself
/// delivers them, see [`crate::events`]).
pub async fn commit(txn: DatabaseTransaction) -> Result<()> {
    txn.commit().await?;
    crate::events::write_committed();
    Ok(())
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

/// Refuses a text longer than `max` characters.
pub fn check_len(field: &str, v: &str, max: usize) -> Result<()> {
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

/// What an audit entry is about; stored by [`ObjectKind::name`] in
/// `audit_entry.object_type`. The search outbox asks it which documents a
/// change touches, so a new kind does not compile until that is decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectKind {
    Practice,
    Outcome,
    Agreement,
    AgreementParty,
    AgreementPractice,
    AgreementEvaluation,
    Adoption,
    Visit,
    Region,
    RegionIndex,
    ApiToken,
    LearningRequest,
    ExpressionOfInterest,
    WorkPlanIndicator,
    WorkPlanActivity,
    IndicatorMeasurement,
    AdoptionFollowUp,
    WebhookEndpoint,
    FacilitationRequest,
}

impl ObjectKind {
    /// The stored spelling (`AgreementParty`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Practice => "Practice",
            Self::Outcome => "Outcome",
            Self::Agreement => "Agreement",
            Self::AgreementParty => "AgreementParty",
            Self::AgreementPractice => "AgreementPractice",
            Self::AgreementEvaluation => "AgreementEvaluation",
            Self::Adoption => "Adoption",
            Self::Visit => "Visit",
            Self::Region => "Region",
            Self::RegionIndex => "RegionIndex",
            Self::ApiToken => "ApiToken",
            Self::LearningRequest => "LearningRequest",
            Self::ExpressionOfInterest => "ExpressionOfInterest",
            Self::WorkPlanIndicator => "WorkPlanIndicator",
            Self::WorkPlanActivity => "WorkPlanActivity",
            Self::IndicatorMeasurement => "IndicatorMeasurement",
            Self::AdoptionFollowUp => "AdoptionFollowUp",
            Self::WebhookEndpoint => "WebhookEndpoint",
            Self::FacilitationRequest => "FacilitationRequest",
        }
    }

    /// How messages name it ("the agreement was changed ...").
    pub fn noun(self) -> &'static str {
        match self {
            Self::Practice => "practice",
            Self::Outcome => "outcome",
            Self::Agreement => "agreement",
            Self::AgreementParty => "party",
            Self::AgreementPractice => "practice link",
            Self::AgreementEvaluation => "evaluation",
            Self::Adoption => "adoption",
            Self::Visit => "visit",
            Self::Region => "region",
            Self::RegionIndex => "region index",
            Self::ApiToken => "token",
            Self::LearningRequest => "learning request",
            Self::ExpressionOfInterest => "expression of interest",
            Self::WorkPlanIndicator => "indicator",
            Self::WorkPlanActivity => "activity",
            Self::IndicatorMeasurement => "measurement",
            Self::AdoptionFollowUp => "follow-up",
            Self::WebhookEndpoint => "webhook endpoint",
            Self::FacilitationRequest => "facilitation request",
        }
    }

    /// The search documents a change to the object `id` touches; `field`
    /// reads a field of its stored state (after the write, else before).
    pub fn search_targets(
        self,
        id: &str,
        field: impl Fn(&str) -> Option<String>,
    ) -> Vec<(search::DocKind, String)> {
        use search::DocKind;
        let mut out = Vec::new();
        match self {
            Self::Practice => out.push((DocKind::Practice, id.to_owned())),
            Self::Agreement => out.push((DocKind::Agreement, id.to_owned())),
            Self::Region => out.push((DocKind::Region, id.to_owned())),
            Self::LearningRequest => out.push((DocKind::Request, id.to_owned())),
            Self::Outcome | Self::Adoption => {
                out.extend(field("practice_id").map(|p| (DocKind::Practice, p)))
            }
            Self::AgreementParty | Self::AgreementEvaluation => {
                out.extend(field("agreement_id").map(|a| (DocKind::Agreement, a)));
            }
            Self::AgreementPractice => {
                out.extend(field("agreement_id").map(|a| (DocKind::Agreement, a)));
                out.extend(field("practice_id").map(|p| (DocKind::Practice, p)));
            }
            // Not searchable: visits, index values and tokens are no
            // search documents' content.
            // Expressions, facilitation and follow-ups are not searched; a
            // work plan is no part of an agreement's search document.
            Self::Visit
            | Self::RegionIndex
            | Self::ApiToken
            | Self::ExpressionOfInterest
            | Self::WorkPlanIndicator
            | Self::WorkPlanActivity
            | Self::IndicatorMeasurement
            | Self::AdoptionFollowUp
            | Self::WebhookEndpoint
            | Self::FacilitationRequest => {}
        }
        out
    }
}

/// Records one write in the audit log, inside the write's transaction,
/// tells every replica's response cache, announces the change to every
/// replica's subscribers (delivered at commit), queues the webhook
/// deliveries of the regions concerned, and queues the search documents it
/// touched for the outbox.
pub async fn audit<B: Serialize, A: Serialize>(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    action: &str,
    kind: ObjectKind,
    object_id: impl ToString,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<()> {
    let before = before
        .map(serde_json::to_value)
        .transpose()
        .map_err(|e| ApiError::internal(&e))?;
    let after = after
        .map(serde_json::to_value)
        .transpose()
        .map_err(|e| ApiError::internal(&e))?;
    let object_id = object_id.to_string();
    // Every replica's response cache forgets what it stored (at commit).
    crate::response_cache::notify_change(db).await?;
    let state = after.as_ref().or(before.as_ref());
    if let Some(event) =
        crate::events::Event::from_audit(kind, &object_id, before.as_ref(), after.as_ref())
    {
        crate::events::announce(db, &event).await?;
        // Webhook deliveries commit with the change, or not at all.
        crate::webhook::enqueue(db, kind, &object_id, &event, state).await?;
    }
    let field = |name: &str| {
        state
            .and_then(|v| v.get(name))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    for (doc, id) in kind.search_targets(&object_id, field) {
        crate::search_sync::enqueue(db, doc, &id).await?;
    }
    audit_entry::Model {
        id: Uuid::new_v4(),
        at: Utc::now(),
        actor_token_id: viewer.token_id(),
        actor: viewer.actor(),
        action: action.to_owned(),
        object_type: kind.name().to_owned(),
        object_id,
        before,
        after,
    }
    .into_active_model()
    .insert(db)
    .await?;
    Ok(())
}

/// A row written under optimistic concurrency: every write raises its
/// `version` by one, and a write based on an older version is refused.
pub trait Versioned:
    ModelTrait + Clone + Serialize + IntoActiveModel<<Self::Entity as EntityTrait>::ActiveModel>
{
    /// Its kind in the audit log.
    const KIND: ObjectKind;
    /// Its `version` column.
    const VERSION: <Self::Entity as EntityTrait>::Column;
    fn version(&self) -> i32;
    /// Sets the new version and the time of the change.
    fn stamp(&mut self, version: i32, at: chrono::DateTime<Utc>);
    /// Selects this row by its key.
    fn key_condition(&self) -> Condition;
    /// The key as the audit log records it.
    fn object_id(&self) -> String;
}

/// The one versioned save: writes `changed` over `before` only if the row
/// is still at `before`'s version (else `CONFLICT`), with the version
/// raised and the time set, and records the audit entry (which queues the
/// search documents and tells the response caches). Run it inside the
/// write's transaction.
pub async fn save_versioned<M>(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    action: &str,
    before: &M,
    mut changed: M,
) -> Result<M>
where
    M: Versioned,
    <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
{
    changed.stamp(before.version() + 1, Utc::now());
    let res = M::Entity::update_many()
        .set(changed.clone().into_active_model().reset_all())
        .filter(before.key_condition())
        .filter(M::VERSION.eq(before.version()))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::conflict(format!(
            "the {} was changed by someone else; reload it",
            M::KIND.noun()
        )));
    }
    audit(
        db,
        viewer,
        action,
        M::KIND,
        before.object_id(),
        Some(before),
        Some(&changed),
    )
    .await?;
    Ok(changed)
}

macro_rules! versioned {
    ($module:ident, $kind:ident, $col:ident . $key:ident, |$m:ident, $v:ident, $at:ident| $stamp:expr) => {
        impl Versioned for entity::$module::Model {
            const KIND: ObjectKind = ObjectKind::$kind;
            const VERSION: entity::$module::Column = entity::$module::Column::Version;
            fn version(&self) -> i32 {
                self.version
            }
            fn stamp(&mut self, $v: i32, $at: chrono::DateTime<Utc>) {
                let $m = self;
                $stamp
            }
            fn key_condition(&self) -> Condition {
                Condition::all().add(entity::$module::Column::$col.eq(self.$key.clone()))
            }
            fn object_id(&self) -> String {
                self.$key.to_string()
            }
        }
    };
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

versioned!(practice, Practice, Id.id, |m, v, at| {
    m.version = v;
    m.updated_at = at;
});
versioned!(agreement, Agreement, Id.id, |m, v, at| {
    m.version = v;
    m.updated_at = at;
});
versioned!(adoption, Adoption, Id.id, |m, v, at| {
    m.version = v;
    m.updated_at = at;
});
versioned!(visit, Visit, Id.id, |m, v, at| {
    m.version = v;
    m.updated_at = at;
});
versioned!(region, Region, Code.code, |m, v, at| {
    m.version = v;
    m.updated_at = Some(at);
});
versioned!(learning_request, LearningRequest, Id.id, |m, v, at| {
    m.version = v;
    m.updated_at = at;
});
versioned!(work_plan_indicator, WorkPlanIndicator, Id.id, |m, v, at| {
    m.version = v;
    m.updated_at = at;
});
versioned!(work_plan_activity, WorkPlanActivity, Id.id, |m, v, at| {
    m.version = v;
    m.updated_at = at;
});
versioned!(
    facilitation_request,
    FacilitationRequest,
    Id.id,
    |m, v, at| {
        m.version = v;
        m.updated_at = at;
    }
);
versioned!(webhook_endpoint, WebhookEndpoint, Id.id, |m, v, at| {
    m.version = v;
    m.updated_at = at;
});
versioned!(
    expression_of_interest,
    ExpressionOfInterest,
    Id.id,
    |m, v, at| {
        m.version = v;
        m.updated_at = at;
    }
);
