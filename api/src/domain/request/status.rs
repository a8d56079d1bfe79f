//! Every rule about where a learning request and an expression of interest
//! may go next. Nothing else lists their statuses.
//!
//! A request is OPEN until its region closes it as FULFILLED ("partnership
//! complete": no more expressions are taken or accepted) or WITHDRAWN. An
//! expression is PENDING until the requesting region ACCEPTS or DECLINES it,
//! or the answering region WITHDRAWS it; then it is settled.

use entity::{ExpressionStatus, LearningRequestStatus};

use crate::error::{ApiError, Result};

/// The statuses a request may move to from `from`.
pub fn request_next(from: LearningRequestStatus) -> &'static [LearningRequestStatus] {
    use LearningRequestStatus::*;
    match from {
        Open => &[Fulfilled, Withdrawn],
        Fulfilled | Withdrawn => &[],
    }
}

/// Whether a request in `status` takes (and accepts) expressions of interest.
pub fn takes_expressions(status: LearningRequestStatus) -> bool {
    status == LearningRequestStatus::Open
}

/// The statuses an expression may move to from `from`.
pub fn expression_next(from: ExpressionStatus) -> &'static [ExpressionStatus] {
    use ExpressionStatus::*;
    match from {
        Pending => &[Accepted, Declined, Withdrawn],
        Accepted | Declined | Withdrawn => &[],
    }
}

/// Whether an expression in `status` may still be edited by its region.
pub fn expression_editable(status: ExpressionStatus) -> bool {
    status == ExpressionStatus::Pending
}

/// Refuses (`BAD_USER_INPUT` on `field`) a move of `what` that `allowed`
/// does not contain, naming the allowed moves.
pub fn check_move<S>(what: &str, field: &str, from: S, to: S, allowed: &[S]) -> Result<()>
where
    S: sea_orm::ActiveEnum<Value = String> + PartialEq,
{
    if allowed.contains(&to) {
        return Ok(());
    }
    let names: Vec<String> = allowed.iter().map(entity::wire_name).collect();
    let next = if names.is_empty() {
        "none: it is settled".to_owned()
    } else {
        names.join(", ")
    };
    Err(ApiError::bad_input(
        field,
        format!(
            "{what} cannot move from {} to {}; allowed next: {next}",
            entity::wire_name(&from),
            entity::wire_name(&to)
        ),
    ))
}

/// Refuses an expression of interest (new, changed or accepted) on a
/// request that no longer takes them.
pub fn check_takes_expressions(status: LearningRequestStatus, field: &str) -> Result<()> {
    if takes_expressions(status) {
        return Ok(());
    }
    let why = match status {
        LearningRequestStatus::Fulfilled => "its partnership is complete",
        _ => "it was withdrawn",
    };
    Err(ApiError::bad_input(
        field,
        format!(
            "the learning request is {} ({why}) and takes no more expressions of interest",
            entity::wire_name(&status)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    #[test]
    fn only_an_open_request_moves_and_takes_expressions() {
        for s in LearningRequestStatus::iter() {
            let open = s == LearningRequestStatus::Open;
            assert_eq!(takes_expressions(s), open, "{s:?}");
            assert_eq!(request_next(s).is_empty(), !open, "{s:?}");
            assert!(!request_next(s).contains(&LearningRequestStatus::Open));
        }
    }

    #[test]
    fn an_illegal_move_names_the_allowed_ones() {
        let e = check_move(
            "a learning request",
            "outcome",
            LearningRequestStatus::Fulfilled,
            LearningRequestStatus::Withdrawn,
            request_next(LearningRequestStatus::Fulfilled),
        )
        .err()
        .map(|e| e.message().to_owned());
        assert_eq!(
            e.as_deref(),
            Some(
                "a learning request cannot move from FULFILLED to WITHDRAWN; allowed next: none: it is settled"
            )
        );
        let e = check_move(
            "an expression of interest",
            "id",
            ExpressionStatus::Pending,
            ExpressionStatus::Pending,
            expression_next(ExpressionStatus::Pending),
        )
        .err()
        .map(|e| e.message().to_owned())
        .unwrap_or_default();
        assert!(
            e.ends_with("allowed next: ACCEPTED, DECLINED, WITHDRAWN"),
            "{e}"
        );
    }
}
