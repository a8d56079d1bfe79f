//! Mutation roots, one per domain, merged into `Mutation`. Resolvers parse
//! input and call the domain writes in `crate::domain::*_edit`, which own
//! the rules, the transaction and the audit record.

mod adoption_visit;
mod agreement;
mod import;
mod practice;
mod request;
mod token;

pub use adoption_visit::AdoptionVisitMutation;
pub use agreement::AgreementMutation;
pub use import::ImportMutation;
pub use practice::PracticeMutation;
pub use request::RequestMutation;
pub use token::TokenMutation;

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

/// Publishes a change for subscribers (after the write committed).
pub(crate) fn publish(ctx: &Context<'_>, event: crate::events::Event) {
    if let Ok(bus) = ctx.data::<crate::events::EventBus>() {
        bus.publish(event);
    }
}

/// Publishes that a practice was created or changed.
pub(crate) fn publish_practice(ctx: &Context<'_>, p: &entity::practice::Model, created: bool) {
    publish(
        ctx,
        crate::events::Event::Practice {
            practice_id: p.id,
            owner_region_code: p.owner_region_code.clone(),
            created,
        },
    );
}

/// Publishes an agreement's stage, with its party regions for filtering.
pub(crate) async fn publish_agreement(
    ctx: &Context<'_>,
    a: &entity::agreement::Model,
) -> crate::error::Result<()> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let parties = entity::agreement_party::Entity::find()
        .filter(entity::agreement_party::Column::AgreementId.eq(a.id))
        .all(crate::graphql::db(ctx)?)
        .await?;
    publish(
        ctx,
        crate::events::Event::AgreementStage {
            agreement_id: a.id,
            stage: a.stage,
            region_codes: parties.into_iter().filter_map(|p| p.region_code).collect(),
        },
    );
    Ok(())
}
