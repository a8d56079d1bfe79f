//! Subscriptions over WebSocket (`graphql-transport-ws` at `/graphql/ws`):
//! agreement stage changes, new or updated practices, learning requests,
//! expressions of interest and facilitation steps, each filtered to the
//! regions concerned.
//! Authorised like reads: when the server requires a token for reads, the
//! connection must send one in `connection_init`. Events carry only kind
//! and id (see [`crate::events`]); each subscription loads what it filters
//! on, and the object itself is resolved for its subscriber like any read.

use async_graphql::{Context, ID, Object, Subscription};
use futures_util::Stream;
use futures_util::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use entity::{
    agreement_party, expression_of_interest, facilitation_request, learning_request,
    learning_request_sector, practice,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::auth::Viewer;
use crate::domain::facilitation;
use crate::domain::write::ObjectKind;
use crate::error::Result;
use crate::events::{Event, EventBus};
use crate::graphql::enums::{
    AgreementStage, ExpressionStatus, FacilitationStatus, LearningRequestStatus, Sector,
};
use crate::graphql::loaders::{AgreementById, LearningRequestById, PracticeById};
use crate::graphql::mutation::viewer;
use crate::graphql::types::facilitation::{FacilitationRequest, FacilitationStep};
use crate::graphql::types::{Agreement, ExpressionOfInterest, LearningRequest, Practice, load_one};

/// An agreement reached a stage.
pub struct AgreementStageEvent {
    agreement_id: uuid::Uuid,
    stage: entity::AgreementStage,
    region_codes: Vec<String>,
}

/// An agreement reached a stage.
#[Object]
impl AgreementStageEvent {
    /// The stage reached.
    async fn stage(&self) -> AgreementStage {
        self.stage.into()
    }

    /// Codes of the party regions.
    async fn region_codes(&self) -> &[String] {
        &self.region_codes
    }

    /// The agreement as it is now.
    async fn agreement(&self, ctx: &Context<'_>) -> Result<Option<Agreement>> {
        Ok(load_one(ctx, AgreementById(self.agreement_id))
            .await?
            .map(Agreement))
    }
}

/// A practice was created or changed.
pub struct PracticeEvent {
    practice_id: uuid::Uuid,
    owner_region_code: String,
    created: bool,
}

/// A practice was created or changed.
#[Object]
impl PracticeEvent {
    /// True for a new practice, false for a change.
    async fn created(&self) -> bool {
        self.created
    }

    /// Code of the owner region.
    async fn owner_region_code(&self) -> &str {
        &self.owner_region_code
    }

    /// The practice as it is now.
    async fn practice(&self, ctx: &Context<'_>) -> Result<Option<Practice>> {
        Ok(load_one(ctx, PracticeById(self.practice_id))
            .await?
            .map(Practice))
    }
}

/// A learning request was posted, changed or closed.
pub struct LearningRequestEvent {
    request: learning_request::Model,
}

/// A learning request was posted, changed or closed.
#[Object]
impl LearningRequestEvent {
    /// Code of the requesting region.
    async fn region_code(&self) -> &str {
        &self.request.region_code
    }

    /// The request's status after the change.
    async fn status(&self) -> LearningRequestStatus {
        self.request.status.into()
    }

    /// True when the request was just posted (its first version).
    async fn posted(&self) -> bool {
        self.request.version == 1
    }

    /// The request as it is now.
    async fn request(&self) -> LearningRequest {
        LearningRequest(self.request.clone())
    }
}

/// An expression of interest was made, changed, accepted, declined or
/// withdrawn.
pub struct ExpressionEvent {
    expression: expression_of_interest::Model,
    requesting_region_code: String,
}

/// An expression of interest was made, changed, accepted, declined or
/// withdrawn.
#[Object]
impl ExpressionEvent {
    /// Code of the answering (guru) region.
    async fn answering_region_code(&self) -> &str {
        &self.expression.region_code
    }

    /// Code of the region whose request it answers.
    async fn requesting_region_code(&self) -> &str {
        &self.requesting_region_code
    }

    /// The expression's status after the change.
    async fn status(&self) -> ExpressionStatus {
        self.expression.status.into()
    }

    /// The expression as it is now.
    async fn expression(&self) -> ExpressionOfInterest {
        ExpressionOfInterest(self.expression.clone())
    }

    /// The request it answers, as it is now.
    async fn request(&self, ctx: &Context<'_>) -> Result<Option<LearningRequest>> {
        Ok(load_one(
            ctx,
            LearningRequestById(self.expression.learning_request_id),
        )
        .await?
        .map(LearningRequest))
    }
}

/// A facilitation request was submitted or moved a step (assigned,
/// answered, closed, taken back, withdrawn).
pub struct FacilitationEvent {
    request: facilitation_request::Model,
}

/// A facilitation request was submitted or moved a step (assigned,
/// answered, closed, taken back, withdrawn).
#[Object]
impl FacilitationEvent {
    /// Code of the requesting region.
    async fn region_code(&self) -> &str {
        &self.request.region_code
    }

    /// Code of the province whose cooperation bureau handles it.
    async fn province_code(&self) -> &str {
        &self.request.province_code
    }

    /// The request's status after the step.
    async fn status(&self) -> FacilitationStatus {
        self.request.status.into()
    }

    /// True when the request was just submitted (its first version).
    async fn submitted(&self) -> bool {
        self.request.version == 1
    }

    /// The latest step (the one this event announces, unless another
    /// followed it before the event was sent).
    async fn step(&self, ctx: &Context<'_>) -> Result<Option<FacilitationStep>> {
        let steps = facilitation::steps(crate::graphql::db(ctx)?, self.request.id).await?;
        Ok(steps.into_iter().last().map(|s| FacilitationStep {
            on: crate::graphql::scalars::Date(s.on),
            status: s.status.into(),
            actor: s.actor,
            note: s.note,
        }))
    }

    /// The request as it is now.
    async fn request(&self) -> FacilitationRequest {
        FacilitationRequest(self.request.clone())
    }
}

/// The id of an audited change of `kind`, if `e` is one.
fn changed(e: &Event, kind: ObjectKind) -> Option<uuid::Uuid> {
    match e {
        Event::Changed { object, id } if object == kind.name() => uuid::Uuid::parse_str(id).ok(),
        _ => None,
    }
}

fn events(ctx: &Context<'_>) -> impl Stream<Item = Event> + use<> {
    let rx = ctx.data::<EventBus>().map(EventBus::subscribe).ok();
    // A lagging subscriber skips what it missed rather than failing.
    futures_util::stream::iter(rx)
        .flat_map(BroadcastStream::new)
        .filter_map(|e| async move { e.ok() })
}

/// The subscriber's own connection to the database: an event carries only
/// kind and id, and each subscription loads what it filters on.
fn database(ctx: &Context<'_>) -> Option<DatabaseConnection> {
    ctx.data::<DatabaseConnection>().ok().cloned()
}

/// Logs a failed load of an event's object (the event is skipped for this
/// subscriber; the object itself is loaded again when the event is sent).
fn skipped(what: &str, e: &sea_orm::DbErr) {
    tracing::warn!(error = %e, "subscription: cannot load the {what} of an event; skipped");
}

/// The root of subscriptions.
#[derive(Default)]
pub struct Subscription;

// Events come from every write (mutations, imports, renewals' follow-up
// agreements) made through any replica (on PostgreSQL): see `crate::events`.
/// Live changes over WebSocket (`/graphql/ws`, `graphql-transport-ws`).
#[Subscription]
impl Subscription {
    /// Agreement stage changes (and new proposals); only those with this
    /// region as a party when `regionCode` is given.
    async fn agreement_stage_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only agreements this region is a party to.")] region_code: Option<ID>,
    ) -> impl Stream<Item = AgreementStageEvent> + use<> {
        let region = region_code.map(|c| c.0);
        let db = database(ctx);
        events(ctx).filter_map(move |e| {
            let region = region.clone();
            let db = db.clone();
            async move {
                let Event::AgreementStage { id, stage } = e else {
                    return None;
                };
                let parties = agreement_party::Entity::find()
                    .filter(agreement_party::Column::AgreementId.eq(id))
                    .all(&db?)
                    .await
                    .map_err(|e| skipped("parties", &e))
                    .ok()?;
                let region_codes: Vec<String> =
                    parties.into_iter().filter_map(|p| p.region_code).collect();
                region
                    .as_ref()
                    .is_none_or(|r| region_codes.contains(r))
                    .then_some(AgreementStageEvent {
                        agreement_id: id,
                        stage,
                        region_codes,
                    })
            }
        })
    }

    /// New and updated practices; only those owned by this region when
    /// `regionCode` is given.
    async fn practice_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only practices owned by this region.")] region_code: Option<ID>,
    ) -> impl Stream<Item = PracticeEvent> + use<> {
        let region = region_code.map(|c| c.0);
        let db = database(ctx);
        events(ctx).filter_map(move |e| {
            let region = region.clone();
            let db = db.clone();
            async move {
                let Event::Practice { id, created } = e else {
                    return None;
                };
                let p = practice::Entity::find_by_id(id)
                    .one(&db?)
                    .await
                    .map_err(|e| skipped("practice", &e))
                    .ok()??;
                region
                    .as_ref()
                    .is_none_or(|r| *r == p.owner_region_code)
                    .then_some(PracticeEvent {
                        practice_id: id,
                        owner_region_code: p.owner_region_code,
                        created,
                    })
            }
        })
    }

    /// Learning requests posted, changed or closed; only those of this
    /// region when `regionCode` is given, only those naming this sector
    /// when `sector` is given (a guru region listens for requests in the
    /// sectors it can teach).
    async fn learning_request_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only requests of this (requesting) region.")] region_code: Option<ID>,
        #[graphql(desc = "Only requests naming this sector.")] sector: Option<Sector>,
    ) -> impl Stream<Item = LearningRequestEvent> + use<> {
        let region = region_code.map(|c| c.0);
        let sector: Option<entity::Sector> = sector.map(Into::into);
        let db = database(ctx);
        events(ctx).filter_map(move |e| {
            let region = region.clone();
            let db = db.clone();
            async move {
                let id = changed(&e, ObjectKind::LearningRequest)?;
                let db = db?;
                let r = learning_request::Entity::find_by_id(id)
                    .one(&db)
                    .await
                    .map_err(|e| skipped("learning request", &e))
                    .ok()??;
                if region.as_ref().is_some_and(|c| *c != r.region_code) {
                    return None;
                }
                if let Some(sector) = sector {
                    let named = learning_request_sector::Entity::find()
                        .filter(learning_request_sector::Column::LearningRequestId.eq(id))
                        .filter(learning_request_sector::Column::Sector.eq(sector))
                        .one(&db)
                        .await
                        .map_err(|e| skipped("sectors", &e))
                        .ok()?;
                    named.as_ref()?;
                }
                Some(LearningRequestEvent { request: r })
            }
        })
    }

    /// Expressions of interest made, changed, accepted, declined or
    /// withdrawn; only those concerning this region (as the answering
    /// region or as the requesting one) when `regionCode` is given.
    async fn expression_of_interest_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only expressions this region made or received.")] region_code: Option<ID>,
    ) -> impl Stream<Item = ExpressionEvent> + use<> {
        let region = region_code.map(|c| c.0);
        let db = database(ctx);
        events(ctx).filter_map(move |e| {
            let region = region.clone();
            let db = db.clone();
            async move {
                let id = changed(&e, ObjectKind::ExpressionOfInterest)?;
                let db = db?;
                let x = expression_of_interest::Entity::find_by_id(id)
                    .one(&db)
                    .await
                    .map_err(|e| skipped("expression of interest", &e))
                    .ok()??;
                let r = learning_request::Entity::find_by_id(x.learning_request_id)
                    .one(&db)
                    .await
                    .map_err(|e| skipped("learning request", &e))
                    .ok()??;
                region
                    .as_ref()
                    .is_none_or(|c| *c == x.region_code || *c == r.region_code)
                    .then_some(ExpressionEvent {
                        expression: x,
                        requesting_region_code: r.region_code,
                    })
            }
        })
    }

    /// Facilitation requests submitted or moved a step, for those who may
    /// read them: the requesting region's writers and the province's
    /// admins (the bureau). `provinceCode` is a bureau's queue (its admins
    /// only), `regionCode` one region's requests; without either, every
    /// request the subscriber may read. Needs a token (in
    /// `connection_init`).
    async fn facilitation_request_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only requests handled by this province's bureau.")] province_code: Option<
            ID,
        >,
        #[graphql(desc = "Only requests of this (requesting) region.")] region_code: Option<ID>,
    ) -> Result<impl Stream<Item = FacilitationEvent> + use<>> {
        let me: Viewer = viewer(ctx).clone();
        me.require_writer()?;
        let province = province_code.map(|c| c.0);
        let region = region_code.map(|c| c.0);
        let conn = crate::graphql::db(ctx)?;
        if let Some(p) = &province {
            me.require_admin()?;
            me.check_region(conn, p, "facilitation requests").await?;
        }
        if let Some(r) = &region {
            me.check_region(conn, r, "facilitation requests").await?;
        }
        let db = database(ctx);
        Ok(events(ctx).filter_map(move |e| {
            let (province, region, me, db) =
                (province.clone(), region.clone(), me.clone(), db.clone());
            async move {
                let id = changed(&e, ObjectKind::FacilitationRequest)?;
                // Authorised per event, as the read `facilitationRequest`:
                // a request the subscriber may not read is not sent.
                let r = facilitation::one(&db?, &me, id).await.ok()??;
                if province.as_ref().is_some_and(|p| *p != r.province_code)
                    || region.as_ref().is_some_and(|c| *c != r.region_code)
                {
                    return None;
                }
                Some(FacilitationEvent { request: r })
            }
        }))
    }
}
