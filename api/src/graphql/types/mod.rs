//! GraphQL object types. Each wraps an entity model and chooses what to
//! expose, so a new column never leaks into the public schema. Every
//! relation goes through the request's DataLoader.

pub mod adoption;
pub mod agreement;
pub mod audit;
pub mod cooperation;
pub mod digest;
pub mod facilitation;
pub mod follow_up;
pub mod guru;
pub mod practice;
pub mod region;
pub mod request;
pub mod search;
pub mod token;
pub mod visit;
pub mod visit_plan;
pub mod webhook;
pub mod work_plan;

pub use adoption::Adoption;
pub use agreement::{Agreement, AgreementEvaluation, AgreementParty, AgreementStageChange};
pub use audit::AuditEntry;
pub use practice::{Outcome, Practice};
pub use region::{PartnerCategoryCounts, Region, RegionIndex, RegionStats};
pub use request::{ExpressionOfInterest, LearningRequest};
pub use visit::Visit;

use async_graphql::Context;
use async_graphql::dataloader::Loader;

use super::loaders::{AppLoader, DbLoader};
use crate::error::{ApiError, Result};

/// Loads one value through the request's DataLoader.
pub(crate) async fn load_one<K>(
    ctx: &Context<'_>,
    key: K,
) -> Result<Option<<DbLoader as Loader<K>>::Value>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    DbLoader: Loader<K, Error = ApiError>,
{
    loader(ctx)?.load_one(key).await
}

/// Loads a list relation; a key with no rows is an empty list.
pub(crate) async fn load_many<K, V>(ctx: &Context<'_>, key: K) -> Result<Vec<V>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    V: Send + Sync + Clone + 'static,
    DbLoader: Loader<K, Value = Vec<V>, Error = ApiError>,
{
    Ok(loader(ctx)?.load_one(key).await?.unwrap_or_default())
}

/// The request's DataLoader.
pub(crate) fn loader<'a>(ctx: &'a Context<'_>) -> Result<&'a AppLoader> {
    ctx.data::<AppLoader>()
        .map_err(|_| ApiError::internal(&MissingContext("DataLoader")))
}

/// A value the schema or request should carry is missing: a wiring bug.
#[derive(Debug, thiserror::Error)]
#[error("{0} missing from the GraphQL context")]
pub(crate) struct MissingContext(pub &'static str);

/// Rounds to one decimal (distances in km).
pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
