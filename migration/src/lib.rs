//! Database migrations. Each migration is named
//! `mYYYYMMDD_HHMMSS_<verb>_<noun>` and runs identically on SQLite and
//! PostgreSQL. This crate does not depend on `entity`: a migration describes
//! the schema as it was on its day, not as the entities are now.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_regions;
mod m20261122_000002_create_practices;
mod m20261122_000003_create_agreements;
mod m20261122_000004_create_adoptions_and_visits;
mod m20261122_000005_load_regions;
mod m20261122_000006_add_writes_support;
mod m20261122_000007_create_search_outbox;
mod m20261201_000008_create_learning_requests;
mod m20261207_000009_create_work_plans;
mod m20261207_000010_create_adoption_follow_ups;
mod m20261207_000011_create_webhooks;
mod m20261207_000012_create_facilitation_requests;
mod m20261207_000013_create_rate_buckets;

/// Runs every migration in order; `berguru migrate` and the server start call it.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_regions::Migration),
            Box::new(m20261122_000002_create_practices::Migration),
            Box::new(m20261122_000003_create_agreements::Migration),
            Box::new(m20261122_000004_create_adoptions_and_visits::Migration),
            Box::new(m20261122_000005_load_regions::Migration),
            Box::new(m20261122_000006_add_writes_support::Migration),
            Box::new(m20261122_000007_create_search_outbox::Migration),
            Box::new(m20261201_000008_create_learning_requests::Migration),
            Box::new(m20261207_000009_create_work_plans::Migration),
            Box::new(m20261207_000010_create_adoption_follow_ups::Migration),
            Box::new(m20261207_000011_create_webhooks::Migration),
            Box::new(m20261207_000012_create_facilitation_requests::Migration),
            Box::new(m20261207_000013_create_rate_buckets::Migration),
        ]
    }
}

/// Shorthand for a plain index on one table.
pub(crate) fn index<T, C>(table: T, name: &str, columns: C) -> IndexCreateStatement
where
    T: IntoTableRef,
    C: IntoIterator,
    C::Item: IntoIndexColumn,
{
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for c in columns {
        stmt.col(c);
    }
    stmt.to_owned()
}
