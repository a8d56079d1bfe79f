//! GraphQL enums mirroring the stored vocabularies of `entity`. They are
//! separate types so that a stored value never leaks into the public schema
//! by accident; the macro writes the two conversions.

macro_rules! mirror_enum {
    ($(#[$meta:meta])* $name:ident => $entity:path { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl From<$entity> for $name {
            fn from(v: $entity) -> Self {
                match v {
                    $(<$entity>::$variant => Self::$variant),+
                }
            }
        }

        impl $name {
            /// Every stored value with the name GraphQL gives it.
            #[cfg(test)]
            pub(crate) fn pairs() -> Vec<($entity, &'static str)> {
                use async_graphql::resolver_utils::EnumType;
                Self::items().iter().map(|i| (i.value.into(), i.name)).collect()
            }
        }

        impl From<$name> for $entity {
            fn from(v: $name) -> Self {
                match v {
                    $($name::$variant => Self::$variant),+
                }
            }
        }
    };
}

mirror_enum! {
    /// Kind of region.
    RegionKind => entity::RegionKind {
        /// Provinsi, e.g. Jawa Barat (code `32`).
        Province,
        /// Kabupaten, e.g. Kabupaten Sumedang (`32.11`).
        Regency,
        /// Kota, e.g. Kota Bandung (`32.73`).
        City,
    }
}

mirror_enum! {
    /// Form of a practice.
    PracticeForm => entity::PracticeForm {
        /// Governance innovation (how the government itself works).
        Governance,
        /// Public service innovation (what citizens receive).
        PublicService,
        /// Any other form.
        Other,
    }
}

mirror_enum! {
    /// How far a practice has come.
    Maturity => entity::Maturity {
        /// An idea or plan.
        Initiative,
        /// Being tried out.
        Trial,
        /// Applied in daily operation.
        Applied,
    }
}

mirror_enum! {
    /// Whether a practice still runs.
    PracticeStatus => entity::PracticeStatus {
        /// Running.
        Active,
        /// No longer running.
        Stopped,
    }
}

mirror_enum! {
    /// Government affair (urusan pemerintahan) a practice belongs to.
    Sector => entity::Sector {
        /// E-government / SPBE (Sistem Pemerintahan Berbasis Elektronik).
        EGovernment,
        /// Smart city (kota cerdas).
        SmartCity,
        /// Data and statistics, Satu Data Indonesia.
        DataAndStatistics,
        /// Encryption and information security (persandian).
        Encryption,
        /// Civil service (ASN) management.
        CivilService,
        /// Bureaucratic reform.
        BureaucraticReform,
        /// Public service delivery.
        PublicService,
        /// Regional revenue and taxes.
        RegionalRevenue,
        /// Village economy and development.
        VillageEconomy,
        /// Trade and industry.
        TradeAndIndustry,
        /// Micro, small and medium enterprises (UMKM).
        Smes,
        /// Public communication and information.
        PublicCommunication,
        /// Regional cooperation (kerja sama daerah).
        RegionalCooperation,
        /// Culture and tourism.
        Tourism,
        /// Health.
        Health,
        /// Education.
        Education,
        /// Food security and agriculture.
        Agriculture,
        /// Environment and forestry.
        Environment,
        /// Spatial planning and infrastructure.
        Infrastructure,
        /// Anything else.
        Other,
    }
}

mirror_enum! {
    /// Legal form of an agreement.
    AgreementKind => entity::AgreementKind {
        /// Kesepakatan Bersama (KSB) / MoU: framework signed by heads of region.
        KesepakatanBersama,
        /// Nota Kesepakatan: framework memorandum.
        NotaKesepakatan,
        /// Perjanjian Kerja Sama (PKS): implementing agreement under a framework.
        PerjanjianKerjaSama,
    }
}

mirror_enum! {
    /// Who the cooperation is with (Permendagri 22/2020).
    AgreementCategory => entity::AgreementCategory {
        /// Between regional governments.
        BetweenRegions,
        /// With a third party (public or private body).
        ThirdParty,
        /// With the central government.
        CentralGovernment,
        /// With a foreign party.
        ForeignParty,
    }
}

mirror_enum! {
    /// Stage of an agreement along the legal path.
    AgreementStage => entity::AgreementStage {
        /// Proposed (usulan kerja sama).
        Proposed,
        /// Under review by the cooperation team (TKKSD).
        UnderReview,
        /// Offered to the other party.
        Offered,
        /// Framework agreement (KSB) drafted.
        FrameworkDrafted,
        /// Framework agreement (KSB) signed.
        FrameworkSigned,
        /// Implementing agreement (PKS) drafted.
        ImplementingDrafted,
        /// Implementing agreement (PKS) signed.
        ImplementingSigned,
        /// Being implemented.
        InImplementation,
        /// Evaluated (may repeat).
        Evaluated,
        /// Ended at the end of its term.
        Ended,
        /// Renewed by a follow-up agreement.
        Renewed,
        /// Terminated before its term.
        Terminated,
        /// Rejected during review.
        Rejected,
    }
}

mirror_enum! {
    /// How an agreement continues an earlier one.
    ContinuationKind => entity::ContinuationKind {
        /// Extends the earlier agreement (diperpanjang).
        Renews,
        /// Widens its scope (diperluas).
        Widens,
        /// Both extends and widens.
        RenewsAndWidens,
    }
}

mirror_enum! {
    /// Stage of a region adopting a practice.
    AdoptionStage => entity::AdoptionStage {
        /// Interested.
        Interested,
        /// Preparing (budget, regulation, people).
        Preparing,
        /// Piloting.
        Piloting,
        /// Adopted in operation.
        Adopted,
        /// Stopped, with a reason.
        Stopped,
    }
}

mirror_enum! {
    /// Where a learning request stands.
    LearningRequestStatus => entity::LearningRequestStatus {
        /// Taking expressions of interest.
        Open,
        /// Partnership complete: no more expressions are taken or accepted.
        Fulfilled,
        /// Given up by the requesting region.
        Withdrawn,
    }
}

mirror_enum! {
    /// Where an expression of interest stands.
    ExpressionStatus => entity::ExpressionStatus {
        /// Waiting for the requesting region's answer.
        Pending,
        /// Accepted by the requesting region.
        Accepted,
        /// Declined by the requesting region, with a reason.
        Declined,
        /// Taken back by the answering region.
        Withdrawn,
    }
}

mirror_enum! {
    /// A kind of change a webhook endpoint can receive.
    WebhookEvent => entity::WebhookEvent {
        /// A practice (or one of its outcomes) was created or changed: for
        /// its owner region.
        PracticeChanged,
        /// An agreement was proposed or reached a new stage: for its party
        /// regions.
        AgreementStageChanged,
        /// An agreement was evaluated: for its party regions.
        AgreementEvaluated,
        /// A learning request was posted, changed or closed: for the
        /// requesting region.
        LearningRequestChanged,
        /// An expression of interest was made, changed, accepted, declined
        /// or withdrawn: for the answering and the requesting region.
        ExpressionOfInterestChanged,
        /// An adoption was recorded or moved: for the adopter and the
        /// practice's owner.
        AdoptionChanged,
        /// A follow-up of an adoption was recorded: for the adopter and the
        /// practice's owner.
        AdoptionFollowUpRecorded,
        /// A benchmarking visit was scheduled or changed: for the visiting
        /// and the host region.
        VisitChanged,
        /// A facilitation request was submitted or took a step: for the
        /// requesting region and its province (the bureau).
        FacilitationChanged,
    }
}

mirror_enum! {
    /// What a facilitation request asks the province's cooperation bureau
    /// (TKKSD) for.
    FacilitationKind => entity::FacilitationKind {
        /// Help drafting a cooperation document (KB, PKS).
        Drafting,
        /// Help finding a partner region or third party.
        FindingPartner,
        /// A legal review of a draft.
        LegalReview,
        /// Anything else.
        Other,
    }
}

mirror_enum! {
    /// Where a facilitation request stands: SUBMITTED -> ASSIGNED ->
    /// ANSWERED -> CLOSED; the bureau may close at any open step or take an
    /// answered request back to ASSIGNED; the requesting region may
    /// withdraw it until answered.
    FacilitationStatus => entity::FacilitationStatus {
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
}

mirror_enum! {
    /// Whether a webhook endpoint is sent to.
    WebhookStatus => entity::WebhookStatus {
        /// Deliveries are sent, and retried while they fail.
        Active,
        /// Every delivery failed for too long: deliveries wait until an
        /// admin resumes the endpoint.
        Paused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<E: sea_orm::ActiveEnum<Value = String> + std::fmt::Debug>(pairs: Vec<(E, &str)>) {
        assert!(!pairs.is_empty());
        for (value, name) in pairs {
            assert_eq!(entity::wire_name(&value), name, "{value:?}");
        }
    }

    /// What clients see, what the search index stores and what messages
    /// name are one spelling.
    #[test]
    fn wire_names_are_the_graphql_names_of_every_value() {
        check(RegionKind::pairs());
        check(PracticeForm::pairs());
        check(Maturity::pairs());
        check(PracticeStatus::pairs());
        check(Sector::pairs());
        check(AgreementKind::pairs());
        check(AgreementCategory::pairs());
        check(AgreementStage::pairs());
        check(ContinuationKind::pairs());
        check(AdoptionStage::pairs());
        check(LearningRequestStatus::pairs());
        check(ExpressionStatus::pairs());
        check(WebhookEvent::pairs());
        check(WebhookStatus::pairs());
        check(FacilitationKind::pairs());
        check(FacilitationStatus::pairs());
    }
}
