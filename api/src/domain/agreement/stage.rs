//! The legal path of an agreement and every rule about its stages: the
//! moves allowed, which stages count as signed, in force, closed, a proven
//! transfer, and which agreements are due for evaluation or expiring. The
//! guru finder, the coordinator statistics, the search documents, the
//! generator and the SQL filters all ask here; nothing else names a list of
//! stages.
//!
//! The path (Permendagri 22/2020): a proposal is reviewed and offered; a
//! framework (Kesepakatan Bersama) is drafted and signed; implementing
//! agreements (Perjanjian Kerja Sama) are drafted and signed under it (a
//! PKS offered on its own skips the framework); then implementation,
//! evaluations, and an end: expiry, renewal or early termination. A
//! proposal can be rejected until the framework is signed.

use chrono::{Months, NaiveDate};
use entity::{AgreementKind, AgreementStage, agreement};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition};

use AgreementStage::*;

/// The stages an agreement of `kind` may move to from `from`.
pub fn allowed_next(
    kind: Option<AgreementKind>,
    from: AgreementStage,
) -> &'static [AgreementStage] {
    let pks = kind == Some(AgreementKind::PerjanjianKerjaSama);
    match from {
        Proposed => &[UnderReview, Rejected],
        UnderReview => &[Offered, Rejected],
        Offered if pks => &[ImplementingDrafted, Rejected],
        Offered => &[FrameworkDrafted, Rejected],
        FrameworkDrafted => &[FrameworkSigned, Rejected],
        FrameworkSigned => &[
            ImplementingDrafted,
            InImplementation,
            Ended,
            Terminated,
            Renewed,
        ],
        ImplementingDrafted => &[ImplementingSigned, Terminated],
        ImplementingSigned => &[InImplementation, Terminated],
        InImplementation => &[Evaluated, Ended, Terminated, Renewed],
        Evaluated => &[Evaluated, InImplementation, Ended, Terminated, Renewed],
        Ended | Renewed | Terminated | Rejected => &[],
    }
}

/// Stages in which an agreement is signed and in force (not closed).
pub const IN_FORCE: [AgreementStage; 5] = [
    FrameworkSigned,
    ImplementingDrafted,
    ImplementingSigned,
    InImplementation,
    Evaluated,
];

/// Stages after which nothing moves: ended at term, renewed (a follow-up
/// agreement carries on), terminated early, or rejected before signing.
pub const CLOSED: [AgreementStage; 4] = [Ended, Renewed, Terminated, Rejected];

/// Stages of an implementing agreement that is being carried out: the ones
/// evaluations are expected of.
pub const RUNNING: [AgreementStage; 3] = [ImplementingSigned, InImplementation, Evaluated];

/// Signed and in force.
pub fn is_in_force(stage: AgreementStage) -> bool {
    IN_FORCE.contains(&stage)
}

/// Nothing moves any more.
pub fn is_closed(stage: AgreementStage) -> bool {
    CLOSED.contains(&stage)
}

/// Was signed at some point: in force, or closed after signing (so it has
/// a signing date).
pub fn was_signed(stage: AgreementStage) -> bool {
    is_in_force(stage) || matches!(stage, Ended | Renewed | Terminated)
}

/// The moves that sign an agreement (and so record a signing date).
pub fn is_signing(stage: AgreementStage) -> bool {
    matches!(stage, FrameworkSigned | ImplementingSigned)
}

/// Signed and not abandoned: in force, ended at its term, or renewed.
///
/// TERMINATED is not: an agreement ended early by the parties shows that a
/// cooperation was attempted, not that it held, so it counts neither as a
/// signed framework in the coordinator statistics nor as a proven transfer.
pub fn is_signed_and_kept(stage: AgreementStage) -> bool {
    was_signed(stage) && stage != Terminated
}

/// Whether an agreement at `stage` is evidence that the practices it links
/// transferred: it was signed and kept ([`is_signed_and_kept`]; a
/// TERMINATED agreement is not evidence that the practice worked, and the
/// guru finder must not rank a practice higher for a cooperation that was
/// broken off). The search index's `proven` count and the guru finder's
/// transfer factor both ask this function, so they cannot disagree.
pub fn is_proven_transfer(stage: AgreementStage) -> bool {
    is_signed_and_kept(stage)
}

/// A framework agreement (Kesepakatan Bersama or Nota Kesepakatan); one of
/// unknown kind counts when it stopped at the framework's signing.
pub fn is_framework(kind: Option<AgreementKind>, stage: AgreementStage) -> bool {
    matches!(
        kind,
        Some(AgreementKind::KesepakatanBersama | AgreementKind::NotaKesepakatan)
    ) || (kind.is_none() && stage == FrameworkSigned)
}

/// An implementing agreement was signed (and not abandoned) at this stage.
pub fn implementing_signed(stage: AgreementStage) -> bool {
    matches!(
        stage,
        ImplementingSigned | InImplementation | Evaluated | Ended | Renewed
    )
}

/// The agreement is being (or was last seen being) carried out.
pub fn is_implemented(stage: AgreementStage) -> bool {
    matches!(stage, InImplementation | Evaluated)
}

/// Evaluate at least twice a year: a running agreement without an
/// evaluation in this many months is due.
pub const EVALUATION_INTERVAL_MONTHS: u32 = 6;

/// Agreements ending within this many days of the reference date are
/// expiring.
pub const EXPIRY_WINDOW_DAYS: i64 = 180;

/// Evaluations on or before this date do not count at `as_of`.
pub fn evaluation_cutoff(as_of: NaiveDate) -> NaiveDate {
    as_of
        .checked_sub_months(Months::new(EVALUATION_INTERVAL_MONTHS))
        .unwrap_or(as_of)
}

/// The last day of the expiry window that starts at `as_of`.
pub fn expiry_window_end(as_of: NaiveDate) -> NaiveDate {
    as_of + chrono::Duration::days(EXPIRY_WINDOW_DAYS)
}

/// SQL: agreements due for evaluation at `as_of` (running, and no
/// evaluation after [`evaluation_cutoff`]).
pub fn due_for_evaluation(as_of: NaiveDate) -> Condition {
    use entity::agreement_evaluation as ev;
    Condition::all()
        .add(agreement::Column::Stage.is_in(RUNNING))
        .add(
            agreement::Column::Id.not_in_subquery(
                Query::select()
                    .column(ev::Column::AgreementId)
                    .from(ev::Entity)
                    .and_where(ev::Column::EvaluatedOn.gt(evaluation_cutoff(as_of)))
                    .to_owned(),
            ),
        )
}

/// SQL: agreements not closed whose term ends on or after `from` (when
/// given) and before `before`.
pub fn expiring(from: Option<NaiveDate>, before: NaiveDate) -> Condition {
    let mut c = Condition::all()
        .add(agreement::Column::ValidUntil.lt(before))
        .add(agreement::Column::Stage.is_not_in(CLOSED));
    if let Some(from) = from {
        c = c.add(agreement::Column::ValidUntil.gte(from));
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> impl Iterator<Item = AgreementStage> {
        <AgreementStage as sea_orm::Iterable>::iter()
    }

    #[test]
    fn the_legal_path_allows_only_its_next_stages() {
        assert_eq!(allowed_next(None, Proposed), &[UnderReview, Rejected]);
        assert!(
            allowed_next(Some(AgreementKind::KesepakatanBersama), Offered)
                .contains(&FrameworkDrafted)
        );
        assert!(
            !allowed_next(Some(AgreementKind::PerjanjianKerjaSama), Offered)
                .contains(&FrameworkDrafted)
        );
        assert!(allowed_next(None, Evaluated).contains(&Evaluated));
        assert!(!allowed_next(None, FrameworkSigned).contains(&Rejected));
        // Closed stages are exactly the dead ends of the path.
        for s in all() {
            assert_eq!(allowed_next(None, s).is_empty(), is_closed(s), "{s:?}");
        }
    }

    #[test]
    fn the_stage_sets_fit_together() {
        for s in all() {
            assert!(!(is_in_force(s) && is_closed(s)), "{s:?}");
            if is_proven_transfer(s) {
                assert!(was_signed(s), "{s:?}");
            }
            if implementing_signed(s) {
                assert!(is_proven_transfer(s), "{s:?}");
            }
            if is_signing(s) || is_implemented(s) || RUNNING.contains(&s) {
                assert!(is_in_force(s), "{s:?}");
            }
        }
        assert!(was_signed(Terminated));
        assert!(!is_proven_transfer(Terminated));
        assert!(!was_signed(Rejected) && !was_signed(FrameworkDrafted));
    }

    #[test]
    fn the_evaluation_and_expiry_windows() {
        let d = NaiveDate::from_ymd_opt(2026, 8, 31).unwrap();
        assert_eq!(
            evaluation_cutoff(d),
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
        );
        assert_eq!(
            expiry_window_end(d),
            NaiveDate::from_ymd_opt(2027, 2, 27).unwrap()
        );
    }
}
