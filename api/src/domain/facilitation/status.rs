//! Every rule about where a facilitation request may go next, and who may
//! move it. Nothing else lists its statuses.
//!
//! SUBMITTED (in the bureau's queue) -> ASSIGNED (someone handles it) ->
//! ANSWERED -> CLOSED. The bureau may close a request at any open step
//! (with a note saying why) and take an answered one back to ASSIGNED when
//! more work is needed; the requesting region may withdraw it until it is
//! answered. CLOSED and WITHDRAWN are settled.

use entity::FacilitationStatus;

/// The statuses a request may move to from `from`.
pub fn next(from: FacilitationStatus) -> &'static [FacilitationStatus] {
    use FacilitationStatus::*;
    match from {
        Submitted => &[Assigned, Closed, Withdrawn],
        Assigned => &[Answered, Closed, Withdrawn],
        Answered => &[Assigned, Closed],
        Closed | Withdrawn => &[],
    }
}

/// Who takes a move to `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The requesting region (its editors; admins over it too).
    Requester,
    /// The province's cooperation bureau (its admins, or a national admin).
    Bureau,
}

/// The side that moves a request to `to`.
pub fn side(to: FacilitationStatus) -> Side {
    match to {
        FacilitationStatus::Withdrawn | FacilitationStatus::Submitted => Side::Requester,
        FacilitationStatus::Assigned
        | FacilitationStatus::Answered
        | FacilitationStatus::Closed => Side::Bureau,
    }
}

/// Whether a request in `status` is still open (in the queue or worked on).
pub fn is_open(status: FacilitationStatus) -> bool {
    !next(status).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    #[test]
    fn settled_requests_move_nowhere_and_nothing_moves_to_itself() {
        for s in FacilitationStatus::iter() {
            assert!(!next(s).contains(&s), "{s:?} moves to itself");
            assert!(!next(s).contains(&FacilitationStatus::Submitted));
        }
        assert!(next(FacilitationStatus::Answered).contains(&FacilitationStatus::Assigned));
        assert!(!next(FacilitationStatus::Answered).contains(&FacilitationStatus::Withdrawn));
        assert!(!is_open(FacilitationStatus::Closed));
        assert!(!is_open(FacilitationStatus::Withdrawn));
        assert!(is_open(FacilitationStatus::Answered));
        assert_eq!(side(FacilitationStatus::Withdrawn), Side::Requester);
        assert_eq!(side(FacilitationStatus::Answered), Side::Bureau);
    }
}
