//! The ticket SLA clock: a new ticket is due a configured time after it opens (by priority);
//! time spent on hold does not count, so leaving hold moves the due time by the time held.
//! Pure functions of explicit instants, so tests control the clock.

use chrono::{DateTime, Utc};
use std::time::Duration;

use crate::config::DeskConfig;

/// The resolution target of a priority (`low`, `medium`, `high`).
pub fn target(config: &DeskConfig, priority: &str) -> Duration {
    match priority {
        "high" => config.sla_high,
        "low" => config.sla_low,
        _ => config.sla_medium,
    }
}

/// When a ticket opened at `opened` with `priority` is due, unless the client gave a due date.
pub fn due_on_open(config: &DeskConfig, opened: DateTime<Utc>, priority: &str) -> DateTime<Utc> {
    // Targets are validated at start (at most a year), so the conversion and the sum hold.
    chrono::Duration::from_std(target(config, priority)).map_or(opened, |target| opened + target)
}

/// The due time after a hold that began at `held_since` ends at `now`.
pub fn resume(due: DateTime<Utc>, held_since: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    let held = (now - held_since).max(chrono::Duration::zero());
    due.checked_add_signed(held).unwrap_or(due)
}

/// Whether a ticket is overdue at `now`: not closed, and its due time passed before now — or,
/// while on hold, before the hold began (the clock stands still on hold).
pub fn overdue(
    status: &str,
    due: Option<DateTime<Utc>>,
    held_since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    status != "closed" && due.is_some_and(|due| due < held_since.unwrap_or(now))
}

/// [`overdue`] as SQL over a ticket row, for `GET /desk/tickets?overdue=true`.
pub const OVERDUE_SQL: &str = "status <> 'closed' AND due_date < COALESCE(on_hold_since, now())";

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn config() -> DeskConfig {
        DeskConfig {
            sla_high: Duration::from_secs(8 * 3600),
            sla_medium: Duration::from_secs(24 * 3600),
            sla_low: Duration::from_secs(72 * 3600),
        }
    }

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
    }

    #[test]
    fn a_new_ticket_is_due_after_its_prioritys_target() {
        assert_eq!(due_on_open(&config(), at(2, 9), "high"), at(2, 17));
        assert_eq!(due_on_open(&config(), at(2, 9), "medium"), at(3, 9));
        assert_eq!(due_on_open(&config(), at(2, 9), "low"), at(5, 9));
    }

    #[test]
    fn time_on_hold_moves_the_due_time() {
        // Opened 09:00 high → due 17:00; on hold 10:00–13:00 → due 20:00; again 14:00–15:00 → 21:00.
        let due = due_on_open(&config(), at(2, 9), "high");
        let due = resume(due, at(2, 10), at(2, 13));
        assert_eq!(due, at(2, 20));
        let due = resume(due, at(2, 14), at(2, 15));
        assert_eq!(due, at(2, 21));
        // A clock that went backwards never moves it earlier.
        assert_eq!(resume(due, at(2, 15), at(2, 14)), due);
    }

    #[test]
    fn overdue_stops_counting_on_hold_and_never_applies_to_closed_tickets() {
        let due = Some(at(2, 17));
        assert!(!overdue("open", due, None, at(2, 16)));
        assert!(overdue("open", due, None, at(2, 18)));
        assert!(overdue("escalated", due, None, at(3, 0)));
        assert!(!overdue("closed", due, None, at(3, 0)));
        // On hold since 12:00 (before due): not overdue however late it gets.
        assert!(!overdue("onHold", due, Some(at(2, 12)), at(9, 0)));
        // On hold since 18:00 (already late): overdue.
        assert!(overdue("onHold", due, Some(at(2, 18)), at(2, 19)));
        assert!(!overdue("open", None, None, at(9, 0)));
    }
}
