//! Stored vocabularies. The string values are part of the database schema:
//! never rename one without a migration.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Kind of region: a province, a regency (kabupaten) or a city (kota).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::None)",
    rename_all = "snake_case"
)]
pub enum RegionKind {
    Province,
    Regency,
    City,
}

/// Form of a practice (innovation form in the Kemendagri sense).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::None)",
    rename_all = "snake_case"
)]
pub enum PracticeForm {
    Governance,
    PublicService,
    Other,
}

/// How far a practice has come.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::None)",
    rename_all = "snake_case"
)]
pub enum Maturity {
    Initiative,
    Trial,
    Applied,
}

/// Whether a practice is still running.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::None)",
    rename_all = "snake_case"
)]
pub enum PracticeStatus {
    Active,
    Stopped,
}

/// Government affair a practice belongs to.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::None)",
    rename_all = "snake_case"
)]
pub enum Sector {
    EGovernment,
    SmartCity,
    DataAndStatistics,
    Encryption,
    CivilService,
    BureaucraticReform,
    PublicService,
    RegionalRevenue,
    VillageEconomy,
    TradeAndIndustry,
    Smes,
    PublicCommunication,
    RegionalCooperation,
    Tourism,
    Health,
    Education,
    Agriculture,
    Environment,
    Infrastructure,
    Other,
}

/// Legal form of an agreement.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::None)",
    rename_all = "snake_case"
)]
pub enum AgreementKind {
    /// Kesepakatan Bersama / MoU: framework, signed by heads of region.
    KesepakatanBersama,
    /// Nota Kesepakatan: framework in the form of a memorandum.
    NotaKesepakatan,
    /// Perjanjian Kerja Sama: implementing agreement under a framework.
    PerjanjianKerjaSama,
}

/// Who the cooperation is with (Permendagri 22/2020).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::None)",
    rename_all = "snake_case"
)]
pub enum AgreementCategory {
    BetweenRegions,
    ThirdParty,
    CentralGovernment,
    ForeignParty,
}

/// Stage of an agreement along the legal path.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::None)",
    rename_all = "snake_case"
)]
pub enum AgreementStage {
    Proposed,
    UnderReview,
    Offered,
    FrameworkDrafted,
    FrameworkSigned,
    ImplementingDrafted,
    ImplementingSigned,
    InImplementation,
    Evaluated,
    Ended,
    Renewed,
    Terminated,
    Rejected,
}

/// How an agreement continues an earlier one.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::None)",
    rename_all = "snake_case"
)]
pub enum ContinuationKind {
    Renews,
    Widens,
    RenewsAndWidens,
}

/// Stage of a region adopting a practice.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::None)",
    rename_all = "snake_case"
)]
pub enum AdoptionStage {
    Interested,
    Preparing,
    Piloting,
    Adopted,
    Stopped,
}

/// Where a learning request stands.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::None)",
    rename_all = "snake_case"
)]
pub enum LearningRequestStatus {
    /// Taking expressions of interest.
    Open,
    /// Partnership complete: no more expressions.
    Fulfilled,
    /// Given up by the requesting region.
    Withdrawn,
}

/// Where an expression of interest stands.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::None)",
    rename_all = "snake_case"
)]
pub enum ExpressionStatus {
    /// Waiting for the requesting region's answer.
    Pending,
    /// Accepted by the requesting region.
    Accepted,
    /// Declined by the requesting region, with a reason.
    Declined,
    /// Taken back by the answering region.
    Withdrawn,
}

/// What a facilitation request asks the province's cooperation bureau for.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::None)",
    rename_all = "snake_case"
)]
pub enum FacilitationKind {
    /// Help drafting a cooperation document (KB, PKS).
    Drafting,
    /// Help finding a partner region or third party.
    FindingPartner,
    /// A legal review of a draft.
    LegalReview,
    /// Anything else.
    Other,
}

/// Where a facilitation request stands.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::None)",
    rename_all = "snake_case"
)]
pub enum FacilitationStatus {
    /// In the bureau's queue.
    Submitted,
    /// Someone at the bureau handles it.
    Assigned,
    /// The bureau answered.
    Answered,
    /// Settled by the bureau.
    Closed,
    /// Taken back by the requesting region.
    Withdrawn,
}

/// A kind of change a webhook endpoint can receive.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::None)",
    rename_all = "snake_case"
)]
pub enum WebhookEvent {
    /// A practice (or one of its outcomes) was created or changed.
    PracticeChanged,
    /// An agreement was proposed or reached a new stage.
    AgreementStageChanged,
    /// An agreement was evaluated.
    AgreementEvaluated,
    /// A learning request was posted, changed or closed.
    LearningRequestChanged,
    /// An expression of interest was made, changed or answered.
    ExpressionOfInterestChanged,
    /// An adoption was recorded or moved.
    AdoptionChanged,
    /// A follow-up of an adoption was recorded.
    AdoptionFollowUpRecorded,
    /// A benchmarking visit was scheduled or changed.
    VisitChanged,
    /// A facilitation request was submitted or took a step.
    FacilitationChanged,
}

/// Whether a webhook endpoint is sent to.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::None)",
    rename_all = "snake_case"
)]
pub enum WebhookStatus {
    /// Deliveries are sent (and retried while they fail).
    Active,
    /// Failing for too long: deliveries queue up until an admin resumes it.
    Paused,
}

/// Role of an API token.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(StringLen::None)",
    rename_all = "snake_case"
)]
pub enum TokenRole {
    /// National coordinator, or provincial when scoped to a province.
    Admin,
    /// Writes for one region.
    Editor,
}

/// The name clients see for a stored value: the GraphQL enum value
/// (`FRAMEWORK_SIGNED`), which is also what the search index stores and
/// filters by and what error messages name. It is the stored snake_case
/// string in capitals, so it has one source; a test in `api` holds every
/// variant equal to its GraphQL spelling.
pub fn wire_name<E: ActiveEnum<Value = String>>(value: &E) -> String {
    value.to_value().to_ascii_uppercase()
}
