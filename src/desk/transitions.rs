//! Checked status transitions of tickets, work orders and estimates.
//!
//! Statuses are the wire spellings (`onHold`, `inProgress`). Staying in the same status is always an
//! allowed no-op; an unknown status is refused like an illegal move.

use std::fmt;

/// Ticket statuses, in wire spelling.
pub const TICKET_STATUSES: [&str; 4] = ["open", "onHold", "escalated", "closed"];

/// Work order statuses, in wire spelling.
pub const WORK_ORDER_STATUSES: [&str; 5] = ["new", "scheduled", "inProgress", "completed", "cancelled"];

/// Estimate statuses, in wire spelling.
pub const ESTIMATE_STATUSES: [&str; 4] = ["draft", "sent", "accepted", "rejected"];

/// A refused status change (the caller answers 409).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IllegalTransition {
    /// The current status.
    pub from: String,
    /// The requested status.
    pub to: String,
}

impl fmt::Display for IllegalTransition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot move from `{}` to `{}`", self.from, self.to)
    }
}

impl std::error::Error for IllegalTransition {}

/// Checks a ticket status change: an open, on-hold or escalated ticket may move to any status; a
/// closed ticket only reopens to `open`.
pub fn ticket(from: &str, to: &str) -> Result<(), IllegalTransition> {
    check(&TICKET_STATUSES, from, to, from != "closed" || to == "open")
}

/// Checks a work order status change: `new` and `scheduled` may move to each other, `inProgress`,
/// `completed` or `cancelled`; `inProgress` may go back to `scheduled` or end as `completed` or
/// `cancelled`; `completed` and `cancelled` are final.
pub fn work_order(from: &str, to: &str) -> Result<(), IllegalTransition> {
    let allowed = match from {
        "new" => matches!(to, "scheduled" | "inProgress" | "completed" | "cancelled"),
        "scheduled" => matches!(to, "new" | "inProgress" | "completed" | "cancelled"),
        "inProgress" => matches!(to, "scheduled" | "completed" | "cancelled"),
        _ => false,
    };
    check(&WORK_ORDER_STATUSES, from, to, allowed)
}

/// Checks an estimate status change: `draft` and `sent` may move to each other, `accepted` or
/// `rejected`; a `rejected` estimate goes back to `draft` only; `accepted` is final.
pub fn estimate(from: &str, to: &str) -> Result<(), IllegalTransition> {
    let allowed = match from {
        "draft" => matches!(to, "sent" | "accepted" | "rejected"),
        "sent" => matches!(to, "draft" | "accepted" | "rejected"),
        "rejected" => to == "draft",
        _ => false,
    };
    check(&ESTIMATE_STATUSES, from, to, allowed)
}

/// Allows a move between two known statuses that is a no-op or `allowed` by the entity's rules.
fn check(statuses: &[&str], from: &str, to: &str, allowed: bool) -> Result<(), IllegalTransition> {
    let known = statuses.contains(&from) && statuses.contains(&to);
    if known && (from == to || allowed) {
        Ok(())
    } else {
        Err(IllegalTransition { from: from.to_owned(), to: to.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Check = fn(&str, &str) -> Result<(), IllegalTransition>;

    /// Checks every pair of `statuses` against `matrix`: row = from, column = to, `Y` allowed, `.` refused.
    fn assert_matrix(check: Check, statuses: &[&str], matrix: &[&str]) {
        assert_eq!(matrix.len(), statuses.len());
        for (from, row) in statuses.iter().zip(matrix) {
            assert_eq!(row.len(), statuses.len(), "row of {from}");
            for (to, cell) in statuses.iter().zip(row.chars()) {
                let expected = match cell {
                    'Y' => Ok(()),
                    _ => Err(IllegalTransition { from: (*from).to_owned(), to: (*to).to_owned() }),
                };
                assert_eq!(check(from, to), expected, "{from} → {to}");
            }
        }
    }

    #[test]
    fn ticket_matrix() {
        // to: open, onHold, escalated, closed
        let matrix = [
            "YYYY", // from open
            "YYYY", // from onHold
            "YYYY", // from escalated
            "Y..Y", // from closed: reopens only to open
        ];
        assert_matrix(ticket, &TICKET_STATUSES, &matrix);
    }

    #[test]
    fn work_order_matrix() {
        // to: new, scheduled, inProgress, completed, cancelled
        let matrix = [
            "YYYYY", // from new
            "YYYYY", // from scheduled
            ".YYYY", // from inProgress
            "...Y.", // from completed: final
            "....Y", // from cancelled: final
        ];
        assert_matrix(work_order, &WORK_ORDER_STATUSES, &matrix);
    }

    #[test]
    fn estimate_matrix() {
        // to: draft, sent, accepted, rejected
        let matrix = [
            "YYYY", // from draft
            "YYYY", // from sent
            "..Y.", // from accepted: final
            "Y..Y", // from rejected: back to draft only
        ];
        assert_matrix(estimate, &ESTIMATE_STATUSES, &matrix);
    }

    #[test]
    fn finished_work_orders_never_go_back_to_new() {
        assert!(work_order("completed", "new").is_err());
        assert!(work_order("cancelled", "new").is_err());
        assert!(work_order("inProgress", "new").is_err());
    }

    #[test]
    fn unknown_statuses_are_refused() {
        let checks: [(Check, &[&str]); 3] =
            [(ticket, &TICKET_STATUSES), (work_order, &WORK_ORDER_STATUSES), (estimate, &ESTIMATE_STATUSES)];
        for (check, statuses) in checks {
            for unknown in ["", "bogus", "Open", "in_progress", "DRAFT", " new"] {
                for known in statuses {
                    assert!(check(unknown, known).is_err(), "{unknown} → {known}");
                    assert!(check(known, unknown).is_err(), "{known} → {unknown}");
                }
                assert!(check(unknown, unknown).is_err(), "{unknown} → {unknown}");
            }
        }
        // A status of another entity is unknown too.
        assert!(ticket("new", "open").is_err());
        assert!(work_order("open", "new").is_err());
        assert!(estimate("draft", "new").is_err());
    }

    #[test]
    fn names_both_states() {
        let error = ticket("closed", "onHold").expect_err("closed only reopens");
        assert_eq!(error, IllegalTransition { from: "closed".to_owned(), to: "onHold".to_owned() });
        assert_eq!(error.to_string(), "cannot move from `closed` to `onHold`");
        let error = estimate("accepted", "draft").expect_err("accepted is final");
        assert_eq!(error.to_string(), "cannot move from `accepted` to `draft`");
    }
}
