//! Query roots, one per domain, merged into `Query`.

mod agreement;
mod audit;
mod guru;
mod practice;
mod region;
mod search;
mod token;
mod visit;

pub use agreement::{AgreementFilter, AgreementOrderBy, AgreementQuery};
pub use guru::{GuruQueries, VisitPlanInput, plan_input};
pub use practice::{PracticeFilter, PracticeOrderBy, PracticeQuery};
pub use region::{RegionFilter, RegionQuery};
pub use search::SearchQuery;
pub use token::TokenQuery;
pub use visit::VisitQuery;

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
);
