//! Query roots, one per domain, merged into `Query`. They check and convert
//! arguments and call the domain; the types they answer with are in
//! `graphql::types`.

mod adoption;
mod agreement;
mod audit;
mod digest;
mod facilitation;
mod guru;
mod practice;
mod region;
mod request;
mod search;
mod token;
mod visit;
mod webhook;

pub use adoption::AdoptionQuery;
pub use agreement::{AgreementFilter, AgreementOrderBy, AgreementQuery};
pub use guru::{GuruQueries, plan_input};
pub use practice::{PracticeFilter, PracticeOrderBy, PracticeQuery};
pub use region::{RegionFilter, RegionQuery};
pub use request::{LearningRequestFilter, RequestQuery};
pub use search::SearchQuery;
pub use token::TokenQuery;
pub use visit::VisitQuery;
pub use webhook::WebhookQuery;

/// The root of all reads.
#[derive(async_graphql::MergedObject, Default)]
pub struct Query(
    RegionQuery,
    PracticeQuery,
    AgreementQuery,
    VisitQuery,
    TokenQuery,
    audit::AuditQuery,
    SearchQuery,
    GuruQueries,
    RequestQuery,
    AdoptionQuery,
    WebhookQuery,
    digest::DigestQuery,
    facilitation::FacilitationQuery,
);
