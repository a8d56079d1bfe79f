//! Facilitation writes: submit (the requesting region), advance (the
//! province's bureau; withdrawal by the requester).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use super::viewer;
use crate::domain::facilitation::{self, Move, NewFacilitation};
use crate::domain::parse_id;
use crate::error::Result;
use crate::graphql::db;
use crate::graphql::enums::{FacilitationKind, FacilitationStatus};
use crate::graphql::types::facilitation::FacilitationRequest;

/// A new facilitation request.
#[derive(InputObject)]
pub struct SubmitFacilitationRequestInput {
    /// The requesting region (its province's bureau handles it; a province
    /// asks its own).
    pub region_code: ID,
    /// The requesting agency (OPD).
    pub agency: String,
    /// What it asks for.
    pub kind: FacilitationKind,
    /// Its subject.
    pub subject: String,
    /// Details.
    pub description: Option<String>,
    /// The cooperation it is about (the region is a party).
    pub agreement_id: Option<ID>,
    /// The region's learning request it is about.
    pub learning_request_id: Option<ID>,
}

/// A step of a facilitation request.
#[derive(InputObject)]
pub struct AdvanceFacilitationRequestInput {
    /// The request.
    pub id: ID,
    /// The `version` you last read.
    pub version: i32,
    /// Where it goes (see `allowedNext`): ASSIGNED, ANSWERED, CLOSED (the
    /// bureau), WITHDRAWN (the requesting region).
    pub to: FacilitationStatus,
    /// A note on the step.
    pub note: Option<String>,
    /// Who handles it (required for ASSIGNED).
    pub assignee: Option<String>,
    /// The answer (required for ANSWERED).
    pub answer: Option<String>,
}

/// The request a write changed.
#[derive(SimpleObject)]
pub struct FacilitationRequestPayload {
    /// The request after the write.
    pub request: FacilitationRequest,
}

/// Facilitation writes.
#[derive(Default)]
pub struct FacilitationMutation;

#[Object]
impl FacilitationMutation {
    /// Submits a facilitation request to the province's cooperation bureau
    /// (writers of the region).
    async fn submit_facilitation_request(
        &self,
        ctx: &Context<'_>,
        input: SubmitFacilitationRequestInput,
    ) -> Result<FacilitationRequestPayload> {
        let agreement_id = input
            .agreement_id
            .map(|a| parse_id("input.agreementId", &a))
            .transpose()?;
        let learning_request_id = input
            .learning_request_id
            .map(|a| parse_id("input.learningRequestId", &a))
            .transpose()?;
        let r = facilitation::submit(
            db(ctx)?,
            viewer(ctx),
            NewFacilitation {
                region_code: input.region_code.0,
                agency: input.agency,
                kind: input.kind.into(),
                subject: input.subject,
                description: input.description,
                agreement_id,
                learning_request_id,
            },
        )
        .await?;
        Ok(FacilitationRequestPayload {
            request: FacilitationRequest(r),
        })
    }

    /// Moves a facilitation request one step: assign, answer, close or take
    /// back (the province's admins), withdraw (the requesting region). An
    /// illegal move is `BAD_USER_INPUT` naming the allowed ones.
    async fn advance_facilitation_request(
        &self,
        ctx: &Context<'_>,
        input: AdvanceFacilitationRequestInput,
    ) -> Result<FacilitationRequestPayload> {
        let id = parse_id("input.id", &input.id)?;
        let r = facilitation::advance(
            db(ctx)?,
            viewer(ctx),
            id,
            input.version,
            Move {
                to: input.to.into(),
                note: input.note,
                assignee: input.assignee,
                answer: input.answer,
            },
        )
        .await?;
        Ok(FacilitationRequestPayload {
            request: FacilitationRequest(r),
        })
    }
}
