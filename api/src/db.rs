//! Connecting to the database and bringing its schema up to date.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};

use crate::config::Config;

/// Longest wait for a pooled connection, or to open one.
pub const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Opens the connection pool named by the configuration.
pub async fn connect(config: &Config) -> Result<DatabaseConnection, DbErr> {
    connect_url(
        config.effective_database_url().expose(),
        config.db_max_connections,
    )
    .await
}

/// Opens a pool to `url`. SQLite gets WAL journaling so readers do not wait
/// for the writer.
pub async fn connect_url(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(max_connections)
        .min_connections(1)
        // A request waits at most this long for a connection (database
        // down, or every connection busy) before it is answered
        // `SERVICE_UNAVAILABLE`; sqlx's default is 30 s.
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_timeout(ACQUIRE_TIMEOUT)
        .sqlx_logging(false);
    let db = Database::connect(opts).await?;
    if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        db.execute_unprepared("PRAGMA journal_mode = WAL;").await?;
    }
    Ok(db)
}

/// Applies every pending migration (including the region reference data).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}
