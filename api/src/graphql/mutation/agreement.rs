//! Writes of agreements: drafting, parties, transfers, the legal path,
//! evaluations.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use super::{patch, viewer};
use crate::domain::agreement::plan::MeasurementInput;
use crate::domain::agreement::write::{
    self as agreements, AgreementPatch, NewAgreement, PartyInput,
};
use crate::domain::parse_id;
use crate::error::Result;
use crate::graphql::db;
use crate::graphql::enums::{AgreementCategory, AgreementKind, AgreementStage};
use crate::graphql::scalars::Date;
use crate::graphql::types::work_plan::{IndicatorMeasurement, WriteWarning};
use crate::graphql::types::{Agreement, AgreementEvaluation, AgreementParty};

/// A party: a region (by code) or a named third party.
#[derive(InputObject)]
pub struct AgreementPartyInput {
    /// Region code, e.g. "32.11" (or give `thirdPartyName`).
    pub region_code: Option<ID>,
    /// Name of a party that is not a region.
    pub third_party_name: Option<String>,
    /// 1 for pihak kesatu, 2 for pihak kedua, ...
    pub position: Option<i32>,
    /// Who signs (or signed) for this party.
    pub signatory_name: Option<String>,
    /// Title of the signatory, e.g. "Bupati Lebak".
    pub signatory_title: Option<String>,
}

impl From<AgreementPartyInput> for PartyInput {
    fn from(p: AgreementPartyInput) -> Self {
        Self {
            region_code: p.region_code.map(|c| c.0),
            third_party_name: p.third_party_name,
            position: p.position,
            signatory_name: p.signatory_name,
            signatory_title: p.signatory_title,
        }
    }
}

/// A new agreement, created as a proposal (stage PROPOSED).
#[derive(InputObject)]
pub struct CreateAgreementInput {
    /// Title.
    pub title: String,
    /// Official number, when known (unique per region).
    pub number: Option<String>,
    /// Legal form.
    pub kind: Option<AgreementKind>,
    /// Who the cooperation is with.
    pub category: AgreementCategory,
    /// Scope items (ruang lingkup).
    #[graphql(default)]
    pub scope: Vec<String>,
    /// Agencies (OPD) involved.
    #[graphql(default)]
    pub agencies: Vec<String>,
    /// The parties; the caller must write for at least one of them.
    pub parties: Vec<AgreementPartyInput>,
    /// For an implementing agreement (PKS): its framework.
    pub parent_id: Option<ID>,
    /// First day in force.
    pub valid_from: Option<Date>,
    /// Last day in force.
    pub valid_until: Option<Date>,
    /// Notes.
    pub notes: Option<String>,
    /// Practices the agreement transfers.
    #[graphql(default)]
    pub practice_ids: Vec<ID>,
}

/// Changes to an agreement: omitted fields stay, `null` clears.
#[derive(InputObject)]
pub struct UpdateAgreementInput {
    /// Agreement id.
    pub id: ID,
    /// The `version` you last read.
    pub version: i32,
    /// New title.
    pub title: Option<String>,
    /// New number.
    pub number: MaybeUndefined<String>,
    /// New legal form.
    pub kind: MaybeUndefined<AgreementKind>,
    /// New category.
    pub category: Option<AgreementCategory>,
    /// New scope (replaces the old one).
    pub scope: Option<Vec<String>>,
    /// New agencies (replace the old ones).
    pub agencies: Option<Vec<String>>,
    /// New place of signing.
    pub signed_place: MaybeUndefined<String>,
    /// New first day in force.
    pub valid_from: MaybeUndefined<Date>,
    /// New last day in force.
    pub valid_until: MaybeUndefined<Date>,
    /// New notes.
    pub notes: MaybeUndefined<String>,
}

/// A party to add.
#[derive(InputObject)]
pub struct AddAgreementPartyInput {
    /// Agreement id.
    pub agreement_id: ID,
    /// The party.
    pub party: AgreementPartyInput,
}

/// A party to remove.
#[derive(InputObject)]
pub struct RemoveAgreementPartyInput {
    /// Party id.
    pub party_id: ID,
}

/// A practice transferred by an agreement.
#[derive(InputObject)]
pub struct AgreementPracticeInput {
    /// Agreement id.
    pub agreement_id: ID,
    /// Practice id.
    pub practice_id: ID,
}

/// A move along the legal path.
#[derive(InputObject)]
pub struct AdvanceAgreementInput {
    /// Agreement id.
    pub id: ID,
    /// The `version` you last read (optional; when given, a stale one is refused).
    pub version: Option<i32>,
    /// The stage to move to; refused unless it is an allowed next stage.
    pub to: AgreementStage,
    /// When it happened (default today; never in the future). For a signing,
    /// the signing date.
    pub on: Option<Date>,
    /// Note (decision, reference).
    pub note: Option<String>,
}

/// An evaluation of a running agreement.
#[derive(InputObject)]
pub struct RecordEvaluationInput {
    /// Agreement id.
    pub agreement_id: ID,
    /// Date of the evaluation (not in the future).
    pub on: Date,
    /// Progress in percent, 0-100.
    pub progress: Option<i32>,
    /// What the evaluation found.
    pub findings: String,
    /// Values the agreement's work-plan indicators reached on `on` (each
    /// indicator at most once).
    #[graphql(default)]
    pub measurements: Vec<IndicatorMeasurementInput>,
}

/// A value a work-plan indicator reached, recorded with an evaluation.
#[derive(InputObject)]
pub struct IndicatorMeasurementInput {
    /// The indicator (of the evaluated agreement).
    pub indicator_id: ID,
    /// The value, in the indicator's unit.
    pub value: f64,
    /// How it was measured, or what explains it.
    pub note: Option<String>,
}

/// The agreement after a write.
#[derive(SimpleObject)]
pub struct AgreementPayload {
    /// The agreement as saved (with its new `version`).
    pub agreement: Agreement,
}

/// A party after it was added, with its agreement.
#[derive(SimpleObject)]
pub struct AddAgreementPartyPayload {
    /// The new party.
    pub party: AgreementParty,
    /// The agreement (with its new `version`).
    pub agreement: Agreement,
}

/// The agreement after a move, and the follow-up a renewal created.
#[derive(SimpleObject)]
pub struct AdvanceAgreementPayload {
    /// The agreement at its new stage.
    pub agreement: Agreement,
    /// For a move to RENEWED: the new agreement that continues it.
    pub renewal: Option<Agreement>,
    /// What the move accepted but you should see to, e.g.
    /// `NO_MEASURABLE_PLAN` for an implementing agreement signed without
    /// indicators.
    pub warnings: Vec<WriteWarning>,
}

/// A recorded evaluation, with its agreement.
#[derive(SimpleObject)]
pub struct RecordEvaluationPayload {
    /// The evaluation.
    pub evaluation: AgreementEvaluation,
    /// The values measured with it.
    pub measurements: Vec<IndicatorMeasurement>,
    /// The agreement (EVALUATED when it was in implementation).
    pub agreement: Agreement,
}

/// Writes of agreements.
#[derive(Default)]
pub struct AgreementMutation;

#[Object]
impl AgreementMutation {
    /// Creates an agreement as a proposal with its parties and transfers.
    async fn create_agreement(
        &self,
        ctx: &Context<'_>,
        input: CreateAgreementInput,
    ) -> Result<AgreementPayload> {
        let practice_ids = input
            .practice_ids
            .iter()
            .map(|id| parse_id("input.practiceIds", id))
            .collect::<Result<Vec<_>>>()?;
        let a = agreements::create(
            db(ctx)?,
            viewer(ctx),
            NewAgreement {
                title: input.title,
                number: input.number,
                kind: input.kind.map(Into::into),
                category: input.category.into(),
                scope: input.scope,
                agencies: input.agencies,
                parties: input.parties.into_iter().map(Into::into).collect(),
                parent_id: input
                    .parent_id
                    .map(|id| parse_id("input.parentId", &id))
                    .transpose()?,
                valid_from: input.valid_from.map(|d| d.0),
                valid_until: input.valid_until.map(|d| d.0),
                notes: input.notes,
                practice_ids,
            },
        )
        .await?;
        Ok(AgreementPayload {
            agreement: Agreement(a),
        })
    }

    /// Changes an agreement; refused with `CONFLICT` when `version` is stale.
    async fn update_agreement(
        &self,
        ctx: &Context<'_>,
        input: UpdateAgreementInput,
    ) -> Result<AgreementPayload> {
        let id = parse_id("input.id", &input.id)?;
        let a = agreements::update(
            db(ctx)?,
            viewer(ctx),
            id,
            input.version,
            AgreementPatch {
                title: input.title,
                number: patch(input.number),
                kind: patch(input.kind).map(|k| k.map(Into::into)),
                category: input.category.map(Into::into),
                scope: input.scope,
                agencies: input.agencies,
                signed_place: patch(input.signed_place),
                valid_from: patch(input.valid_from).map(|d| d.map(|d| d.0)),
                valid_until: patch(input.valid_until).map(|d| d.map(|d| d.0)),
                notes: patch(input.notes),
            },
        )
        .await?;
        Ok(AgreementPayload {
            agreement: Agreement(a),
        })
    }

    /// Adds a party to an agreement.
    async fn add_agreement_party(
        &self,
        ctx: &Context<'_>,
        input: AddAgreementPartyInput,
    ) -> Result<AddAgreementPartyPayload> {
        let id = parse_id("input.agreementId", &input.agreement_id)?;
        let (p, a) = agreements::add_party(db(ctx)?, viewer(ctx), id, input.party.into()).await?;
        Ok(AddAgreementPartyPayload {
            party: AgreementParty(p),
            agreement: Agreement(a),
        })
    }

    /// Removes a party (not from a signed agreement; one party always stays).
    async fn remove_agreement_party(
        &self,
        ctx: &Context<'_>,
        input: RemoveAgreementPartyInput,
    ) -> Result<AgreementPayload> {
        let id = parse_id("input.partyId", &input.party_id)?;
        let a = agreements::remove_party(db(ctx)?, viewer(ctx), id).await?;
        Ok(AgreementPayload {
            agreement: Agreement(a),
        })
    }

    /// Records that an agreement transfers a practice.
    async fn link_agreement_practice(
        &self,
        ctx: &Context<'_>,
        input: AgreementPracticeInput,
    ) -> Result<AgreementPayload> {
        let (a, p) = (
            parse_id("input.agreementId", &input.agreement_id)?,
            parse_id("input.practiceId", &input.practice_id)?,
        );
        let a = agreements::set_practice_link(db(ctx)?, viewer(ctx), a, p, true).await?;
        Ok(AgreementPayload {
            agreement: Agreement(a),
        })
    }

    /// Removes a practice from an agreement's transfers.
    async fn unlink_agreement_practice(
        &self,
        ctx: &Context<'_>,
        input: AgreementPracticeInput,
    ) -> Result<AgreementPayload> {
        let (a, p) = (
            parse_id("input.agreementId", &input.agreement_id)?,
            parse_id("input.practiceId", &input.practice_id)?,
        );
        let a = agreements::set_practice_link(db(ctx)?, viewer(ctx), a, p, false).await?;
        Ok(AgreementPayload {
            agreement: Agreement(a),
        })
    }

    /// Moves an agreement to its next stage. An illegal move is refused with
    /// `BAD_USER_INPUT` naming the allowed next stages; signing needs a date
    /// not in the future and two parties; a PKS needs a signed framework; a
    /// move to RENEWED creates the follow-up agreement.
    async fn advance_agreement(
        &self,
        ctx: &Context<'_>,
        input: AdvanceAgreementInput,
    ) -> Result<AdvanceAgreementPayload> {
        let id = parse_id("input.id", &input.id)?;
        let r = agreements::advance(
            db(ctx)?,
            viewer(ctx),
            id,
            input.version,
            input.to.into(),
            input.on.map(|d| d.0),
            input.note,
        )
        .await?;
        Ok(AdvanceAgreementPayload {
            agreement: Agreement(r.agreement),
            renewal: r.renewal.map(Agreement),
            warnings: r.warnings.into_iter().map(Into::into).collect(),
        })
    }

    /// Records an evaluation of a signed, running agreement.
    async fn record_evaluation(
        &self,
        ctx: &Context<'_>,
        input: RecordEvaluationInput,
    ) -> Result<RecordEvaluationPayload> {
        let id = parse_id("input.agreementId", &input.agreement_id)?;
        let measurements = input
            .measurements
            .into_iter()
            .enumerate()
            .map(|(n, m)| {
                Ok(MeasurementInput {
                    indicator_id: parse_id(
                        &format!("input.measurements[{n}].indicatorId"),
                        &m.indicator_id,
                    )?,
                    value: m.value,
                    note: m.note,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let r = agreements::evaluate(
            db(ctx)?,
            viewer(ctx),
            id,
            input.on.0,
            input.progress,
            input.findings,
            measurements,
        )
        .await?;
        Ok(RecordEvaluationPayload {
            evaluation: AgreementEvaluation(r.evaluation),
            measurements: r
                .measurements
                .into_iter()
                .map(IndicatorMeasurement)
                .collect(),
            agreement: Agreement(r.agreement),
        })
    }
}
