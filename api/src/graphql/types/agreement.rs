//! `Agreement`, its parties and its stage history.

use async_graphql::{Context, ID, Object};
use entity::{agreement, agreement_evaluation, agreement_party, agreement_stage_change};

use super::practice::DanglingReference;
use super::work_plan::{
    AgreementAchievement, IndicatorMeasurement, WorkPlanActivity, WorkPlanIndicator, achievement_of,
};
use super::{Adoption, AuditEntry, LearningRequest, Practice, Region, load_many, load_one};
use crate::error::{ApiError, Result};
use crate::graphql::enums::{AgreementCategory, AgreementKind, AgreementStage, ContinuationKind};
use crate::graphql::loaders::*;
use crate::graphql::scalars::{Date, DateTime};

/// A cooperation agreement: a framework (Kesepakatan Bersama, Nota
/// Kesepakatan) or an implementing agreement (Perjanjian Kerja Sama) under one.
pub struct Agreement(pub agreement::Model);

/// A cooperation agreement: a framework (Kesepakatan Bersama, Nota
/// Kesepakatan) or an implementing agreement (Perjanjian Kerja Sama) under one.
#[Object]
impl Agreement {
    /// Stable id (UUID).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// Official document number, when known.
    async fn number(&self) -> Option<&str> {
        self.0.number.as_deref()
    }

    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Legal form; null when the source does not say.
    async fn kind(&self) -> Option<AgreementKind> {
        self.0.kind.map(AgreementKind::from)
    }

    /// Who the cooperation is with.
    async fn category(&self) -> AgreementCategory {
        self.0.category.into()
    }

    /// Current stage along the legal path.
    async fn stage(&self) -> AgreementStage {
        self.0.stage.into()
    }

    /// Date of signing.
    async fn signed_on(&self) -> Option<Date> {
        self.0.signed_on.map(Date)
    }

    /// Place of signing, e.g. "Aula Barat Gedung Sate, Kota Bandung".
    async fn signed_place(&self) -> Option<&str> {
        self.0.signed_place.as_deref()
    }

    /// First day in force.
    async fn valid_from(&self) -> Option<Date> {
        self.0.valid_from.map(Date)
    }

    /// Last day in force.
    async fn valid_until(&self) -> Option<Date> {
        self.0.valid_until.map(Date)
    }

    /// Scope (ruang lingkup): the fields the agreement covers.
    async fn scope(&self) -> &[String] {
        &self.0.scope.0
    }

    /// Regional agencies (OPD) involved, e.g. "Inspektorat", "BPSDM".
    async fn agencies(&self) -> &[String] {
        &self.0.agencies.0
    }

    /// Free-text notes (sources, context).
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }

    /// The parties, pihak kesatu first.
    async fn parties(&self, ctx: &Context<'_>) -> Result<Vec<AgreementParty>> {
        Ok(load_many(ctx, PartiesOf(self.0.id))
            .await?
            .into_iter()
            .map(AgreementParty)
            .collect())
    }

    /// Practices this agreement transfers.
    async fn practices(&self, ctx: &Context<'_>) -> Result<Vec<Practice>> {
        Ok(load_many(ctx, PracticesTransferredBy(self.0.id))
            .await?
            .into_iter()
            .map(Practice)
            .collect())
    }

    /// For an implementing agreement (PKS): the framework it implements.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Agreement>> {
        match self.0.parent_id {
            Some(id) => Ok(load_one(ctx, AgreementById(id)).await?.map(Agreement)),
            None => Ok(None),
        }
    }

    /// For a framework: the implementing agreements (PKS) under it.
    async fn implementing_agreements(&self, ctx: &Context<'_>) -> Result<Vec<Agreement>> {
        Ok(load_many(ctx, ImplementingAgreementsOf(self.0.id))
            .await?
            .into_iter()
            .map(Agreement)
            .collect())
    }

    /// The earlier agreement this one renews or widens.
    async fn renews(&self, ctx: &Context<'_>) -> Result<Option<Agreement>> {
        match self.0.continues_id {
            Some(id) => Ok(load_one(ctx, AgreementById(id)).await?.map(Agreement)),
            None => Ok(None),
        }
    }

    /// How this agreement continues the one in `renews`.
    async fn continuation(&self) -> Option<ContinuationKind> {
        self.0.continuation.map(ContinuationKind::from)
    }

    /// Later agreements that renew or widen this one.
    async fn renewed_by(&self, ctx: &Context<'_>) -> Result<Vec<Agreement>> {
        Ok(load_many(ctx, ContinuationsOf(self.0.id))
            .await?
            .into_iter()
            .map(Agreement)
            .collect())
    }

    /// Every stage change, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<AgreementStageChange>> {
        Ok(load_many(ctx, HistoryOf(self.0.id))
            .await?
            .into_iter()
            .map(AgreementStageChange)
            .collect())
    }

    /// Adoptions of practices carried out under this agreement.
    async fn adoptions(&self, ctx: &Context<'_>) -> Result<Vec<Adoption>> {
        Ok(load_many(ctx, AdoptionsUnderAgreement(self.0.id))
            .await?
            .into_iter()
            .map(Adoption)
            .collect())
    }

    /// Evaluations of its implementation, latest first.
    async fn evaluations(&self, ctx: &Context<'_>) -> Result<Vec<AgreementEvaluation>> {
        Ok(load_many(ctx, EvaluationsOf(self.0.id))
            .await?
            .into_iter()
            .map(AgreementEvaluation)
            .collect())
    }

    /// The work plan's indicators (unit, baseline, target, target date),
    /// in plan order.
    async fn indicators(&self, ctx: &Context<'_>) -> Result<Vec<WorkPlanIndicator>> {
        Ok(load_many(ctx, IndicatorsOf(self.0.id))
            .await?
            .into_iter()
            .map(WorkPlanIndicator)
            .collect())
    }

    /// The work plan's activities (owner, dates), in plan order.
    async fn activities(&self, ctx: &Context<'_>) -> Result<Vec<WorkPlanActivity>> {
        Ok(load_many(ctx, ActivitiesOf(self.0.id))
            .await?
            .into_iter()
            .map(WorkPlanActivity)
            .collect())
    }

    /// Planned against achieved on `asOf` (default today): each indicator
    /// met, on track, off track or not measured, and the activities done.
    async fn achievement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Judging day (default today).")] as_of: Option<Date>,
    ) -> Result<AgreementAchievement> {
        let as_of = as_of.map_or_else(|| chrono::Utc::now().date_naive(), |d| d.0);
        Ok(AgreementAchievement(
            achievement_of(ctx, &self.0, as_of).await?,
        ))
    }

    /// The learning request whose accepted expression of interest created
    /// this agreement, if any.
    async fn learning_request(&self, ctx: &Context<'_>) -> Result<Option<LearningRequest>> {
        Ok(
            load_one(ctx, RequestBehind(CreatedObject::Agreement(self.0.id)))
                .await?
                .map(LearningRequest),
        )
    }

    /// Writes to this agreement, newest first (its own audit trail).
    async fn changes(&self, ctx: &Context<'_>) -> Result<Vec<AuditEntry>> {
        Ok(load_many(ctx, ChangesOf(self.0.id.to_string()))
            .await?
            .into_iter()
            .map(AuditEntry)
            .collect())
    }

    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the entry was created.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }

    /// When the entry last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
}

/// An evaluation of an agreement's implementation.
pub struct AgreementEvaluation(pub agreement_evaluation::Model);

/// An evaluation of an agreement's implementation.
#[Object]
impl AgreementEvaluation {
    /// Evaluation id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// Date of the evaluation.
    async fn on(&self) -> Date {
        Date(self.0.evaluated_on)
    }

    /// Progress in percent, 0-100.
    async fn progress(&self) -> Option<i32> {
        self.0.progress
    }

    /// What the evaluation found.
    async fn findings(&self) -> &str {
        &self.0.findings
    }

    /// The values work-plan indicators reached, recorded with it.
    async fn measurements(&self, ctx: &Context<'_>) -> Result<Vec<IndicatorMeasurement>> {
        Ok(load_many(ctx, MeasurementsWith(self.0.id))
            .await?
            .into_iter()
            .map(IndicatorMeasurement)
            .collect())
    }
}

/// A party to an agreement: a region or a named third party, with its signatory.
pub struct AgreementParty(pub agreement_party::Model);

const ORDINALS: [&str; 10] = [
    "Kesatu",
    "Kedua",
    "Ketiga",
    "Keempat",
    "Kelima",
    "Keenam",
    "Ketujuh",
    "Kedelapan",
    "Kesembilan",
    "Kesepuluh",
];

/// A party to an agreement: a region or a named third party, with its signatory.
#[Object]
impl AgreementParty {
    /// Party id (to remove it).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// 1 for pihak kesatu, 2 for pihak kedua, ...; null when the source does not say.
    async fn position(&self) -> Option<i32> {
        self.0.position
    }

    /// "Pihak Kesatu", "Pihak Kedua", ...; null when the position is unknown.
    async fn role_label(&self) -> Option<String> {
        let p = self.0.position?;
        let i = usize::try_from(p).ok()?.checked_sub(1)?;
        Some(match ORDINALS.get(i) {
            Some(o) => format!("Pihak {o}"),
            None => format!("Pihak ke-{p}"),
        })
    }

    /// The region, when the party is a regional government.
    async fn region(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        match &self.0.region_code {
            Some(code) => Ok(Some(
                load_one(ctx, RegionByCode(code.clone()))
                    .await?
                    .map(Region)
                    .ok_or_else(|| ApiError::internal(&DanglingReference("party region")))?,
            )),
            None => Ok(None),
        }
    }

    /// Name of a party that is not a region (a company, university, ministry).
    async fn third_party_name(&self) -> Option<&str> {
        self.0.third_party_name.as_deref()
    }

    /// Name of the person who signed, e.g. "Bey Machmudin".
    async fn signatory_name(&self) -> Option<&str> {
        self.0.signatory_name.as_deref()
    }

    /// Title of the signatory, e.g. "Penjabat Gubernur Jawa Barat".
    async fn signatory_title(&self) -> Option<&str> {
        self.0.signatory_title.as_deref()
    }
}

/// One step in an agreement's history.
pub struct AgreementStageChange(pub agreement_stage_change::Model);

/// One step in an agreement's history.
#[Object]
impl AgreementStageChange {
    /// Stage reached.
    async fn stage(&self) -> AgreementStage {
        self.0.stage.into()
    }

    /// Date the stage was reached, when known.
    async fn on(&self) -> Option<Date> {
        self.0.on_date.map(Date)
    }

    /// Note (decision, source).
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// When this entry was recorded.
    async fn recorded_at(&self) -> DateTime {
        self.0.recorded_at.into()
    }
}
