//! Mutation roots, one per domain, merged into `Mutation`. Resolvers parse
//! input and call the domain writes in `crate::domain`, which own
//! the rules, the transaction and the audit record.

mod adoption_visit;
mod agreement;
mod facilitation;
mod follow_up;
mod import;
mod practice;
mod request;
mod token;
mod webhook;
mod work_plan;

pub use adoption_visit::AdoptionVisitMutation;
pub use agreement::AgreementMutation;
pub use follow_up::FollowUpMutation;
pub use import::ImportMutation;
pub use practice::PracticeMutation;
pub use request::RequestMutation;
pub use token::TokenMutation;
pub use webhook::WebhookMutation;
pub use work_plan::WorkPlanMutation;

use async_graphql::{Context, MaybeUndefined};

use crate::auth::Viewer;

/// The root of all writes.
#[derive(async_graphql::MergedObject, Default)]
pub struct Mutation(
    PracticeMutation,
    AgreementMutation,
    AdoptionVisitMutation,
    ImportMutation,
    TokenMutation,
    RequestMutation,
    WorkPlanMutation,
    FollowUpMutation,
    WebhookMutation,
    facilitation::FacilitationMutation,
);

/// The caller of this request; anonymous when the request carries no token.
pub(crate) fn viewer<'a>(ctx: &'a Context<'_>) -> &'a Viewer {
    static ANONYMOUS: Viewer = Viewer::Anonymous;
    ctx.data::<Viewer>().unwrap_or(&ANONYMOUS)
}

/// `undefined` leaves a field alone, `null` clears it, a value sets it.
pub(crate) fn patch<T>(v: MaybeUndefined<T>) -> Option<Option<T>> {
    match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(x) => Some(Some(x)),
    }
}
