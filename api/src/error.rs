//! The one error type of the API: every failure a client can see has a
//! stable `extensions.code`; internal failures reach the client only as
//! "Internal error" and are logged once, with their cause, where they happen.
//!
//! `ApiError` deliberately does not implement `Display`: async-graphql turns
//! any `Display` error into client-visible text, so without it the only way
//! into a GraphQL response is our own `From<ApiError> for async_graphql::Error`,
//! which attaches the code and hides internals.

use std::sync::Arc;

use async_graphql::ErrorExtensions;
use sea_orm::DbErr;

/// Result of everything in the GraphQL layer; shadows `async_graphql::Result`
/// so that a bare `?` on a foreign error goes through [`ApiError`].
pub type Result<T, E = ApiError> = std::result::Result<T, E>;

/// A failure with a stable code.
#[derive(Clone, Debug)]
pub enum ApiError {
    /// The input is invalid; the message says what and how to fix it.
    BadUserInput {
        message: String,
        /// The argument or input field at fault, when there is one.
        field: Option<String>,
    },
    /// The thing named does not exist.
    NotFound { message: String },
    /// A write without a valid token (missing, unknown, expired or revoked).
    Unauthenticated { message: String },
    /// The token is valid but may not do this.
    Forbidden { message: String },
    /// The write lost a race (stale `version`) or would duplicate something.
    Conflict { message: String },
    /// The search engine cannot answer now (down, slow or failing); writes
    /// still succeed and reach it later through the outbox.
    SearchUnavailable { message: String },
    /// The database cannot be reached now (down, restarting, cut off, or
    /// no connection free in time); nothing was written. Retry after
    /// `retry_after_secs` (also in `extensions.retryAfterSeconds`).
    ServiceUnavailable {
        message: String,
        retry_after_secs: u32,
    },
    /// Something broke on our side; the cause is logged, never shown.
    Internal { id: uuid::Uuid },
}

impl ApiError {
    /// Invalid input in `field`.
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadUserInput {
            message: message.into(),
            field: Some(field.into()),
        }
    }

    /// The thing named does not exist.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::NotFound {
            message: message.into(),
        }
    }

    /// A write without a valid token.
    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::Unauthenticated {
            message: message.into(),
        }
    }

    /// The token may not do this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Forbidden {
            message: message.into(),
        }
    }

    /// A stale version or a duplicate.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict {
            message: message.into(),
        }
    }

    /// The search engine cannot answer now.
    pub fn search_unavailable(message: impl Into<String>) -> Self {
        Self::SearchUnavailable {
            message: message.into(),
        }
    }

    /// Logs `cause` once, with an id the client also gets, and hides it.
    pub fn internal(cause: &(dyn std::error::Error + 'static)) -> Self {
        let id = uuid::Uuid::new_v4();
        tracing::error!(error_id = %id, error = %cause, source = ?cause.source(), "internal error");
        Self::Internal { id }
    }

    /// The stable code clients switch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadUserInput { .. } => "BAD_USER_INPUT",
            Self::NotFound { .. } => "NOT_FOUND",
            Self::Unauthenticated { .. } => "UNAUTHENTICATED",
            Self::Forbidden { .. } => "FORBIDDEN",
            Self::Conflict { .. } => "CONFLICT",
            Self::SearchUnavailable { .. } => "SEARCH_UNAVAILABLE",
            Self::ServiceUnavailable { .. } => "SERVICE_UNAVAILABLE",
            Self::Internal { .. } => "INTERNAL_SERVER_ERROR",
        }
    }

    /// The client-facing message.
    pub fn message(&self) -> &str {
        match self {
            Self::BadUserInput { message, .. }
            | Self::NotFound { message }
            | Self::Unauthenticated { message }
            | Self::Forbidden { message }
            | Self::Conflict { message }
            | Self::SearchUnavailable { message }
            | Self::ServiceUnavailable { message, .. } => message,
            Self::Internal { .. } => "Internal error",
        }
    }
}

/// Seconds a client is asked to wait before retrying when the database
/// cannot be reached.
pub const DATABASE_RETRY_AFTER_SECS: u32 = 2;

/// Whether `e` says the database cannot be reached (as opposed to a
/// statement it refused): no connection in time, a connection lost or
/// refused, the server shutting down or starting up (SQLSTATE classes 08
/// and 57P), or SQLite still locked by another process after its busy
/// timeout (5 s).
pub fn database_unreachable(e: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    use sea_orm::sqlx::Error as Sqlx;
    match e {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => match &**e {
            Sqlx::Io(_)
            | Sqlx::Tls(_)
            | Sqlx::PoolTimedOut
            | Sqlx::PoolClosed
            | Sqlx::WorkerCrashed => true,
            Sqlx::Protocol(m) => m.contains("EOF") || m.contains("closed"),
            // SQLite: SQLITE_BUSY (5) and its extended codes once the busy
            // timeout ran out: another process holds the write lock.
            Sqlx::Database(d) => d.code().is_some_and(|c| {
                c.starts_with("08") || c.starts_with("57P") || matches!(&*c, "5" | "261" | "517")
            }),
            _ => false,
        },
        DbErr::Conn(_) => true,
        _ => false,
    }
}

impl ApiError {
    /// The database cannot be reached: logged as a warning, told to the
    /// client with a retry hint.
    fn unreachable(cause: &DbErr) -> Self {
        tracing::warn!(error = %cause, "database unreachable");
        Self::ServiceUnavailable {
            message: "the database cannot be reached right now; nothing was changed, retry shortly"
                .to_owned(),
            retry_after_secs: DATABASE_RETRY_AFTER_SECS,
        }
    }
}

impl From<DbErr> for ApiError {
    fn from(e: DbErr) -> Self {
        if database_unreachable(&e) {
            Self::unreachable(&e)
        } else {
            Self::internal(&e)
        }
    }
}

impl From<Arc<DbErr>> for ApiError {
    fn from(e: Arc<DbErr>) -> Self {
        if database_unreachable(&e) {
            Self::unreachable(&e)
        } else {
            Self::internal(e.as_ref())
        }
    }
}

/// An engine error as the API's: `SEARCH_UNAVAILABLE` when the engine
/// cannot answer, `BAD_USER_INPUT` on `filter` for a filter it refuses.
impl From<search::SearchError> for ApiError {
    fn from(e: search::SearchError) -> Self {
        match e {
            search::SearchError::Unavailable(m) => {
                tracing::warn!(error = %m, "search engine unavailable");
                ApiError::search_unavailable(
                    "search is unavailable right now; try again shortly (your data is safe: changes are indexed when the engine is back)",
                )
            }
            search::SearchError::Refused(m) => {
                // Logged as an error: only an operator can mend it.
                tracing::error!(error = %m, "search engine refuses Berguru's configuration");
                ApiError::search_unavailable(
                    "search is unavailable: the search engine refuses this server's configuration (the operator has been told in the log and in /readyz)",
                )
            }
            search::SearchError::Invalid(m) => ApiError::bad_input("filter", m),
            other @ search::SearchError::Internal(_) => ApiError::internal(&other),
        }
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(e: ApiError) -> Self {
        let code = e.code();
        async_graphql::Error::new(e.message()).extend_with(|_, ext| {
            ext.set("code", code);
            match &e {
                ApiError::BadUserInput {
                    field: Some(field), ..
                } => ext.set("field", field.as_str()),
                ApiError::Internal { id } => ext.set("errorId", id.to_string()),
                ApiError::ServiceUnavailable {
                    retry_after_secs, ..
                } => ext.set("retryAfterSeconds", *retry_after_secs),
                _ => {}
            }
        })
    }
}

/// A request-level GraphQL error (no path, nothing executed) with `code`:
/// what the gate and persisted queries refuse a request with.
pub fn coded(message: impl Into<String>, code: &str) -> async_graphql::ServerError {
    let mut e = async_graphql::ServerError::new(message, None);
    ensure_code(&mut e, code);
    e
}

/// Gives `e` the code `code` unless it has one already.
pub fn ensure_code(e: &mut async_graphql::ServerError, code: &str) {
    let ext = e.extensions.get_or_insert_with(Default::default);
    if ext.get("code").is_none() {
        ext.set("code", code);
    }
}
