//! Fixed-window counting of failed logins per email and per client address.
//! Owned by the accounts actor and touched only inside its handlers.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::config::LoginConfig;

/// Map size at which expired windows are purged, bounding memory under a spray of keys.
const PURGE_AT: usize = 10_000;

struct Window {
    started: Instant,
    failures: u32,
}

/// Failure counters for one node.
pub struct LoginThrottle {
    window: Duration,
    max_per_email: u32,
    max_per_address: u32,
    by_email: HashMap<String, Window>,
    by_address: HashMap<String, Window>,
}

impl LoginThrottle {
    /// Limits from the `[login]` settings.
    pub fn new(config: &LoginConfig) -> Self {
        Self {
            window: config.window,
            max_per_email: config.max_failures_per_email,
            max_per_address: config.max_failures_per_address,
            by_email: HashMap::new(),
            by_address: HashMap::new(),
        }
    }

    /// `Some(seconds to wait)` when the email or the address has used up its failures.
    pub fn blocked(&mut self, email: &str, address: &str) -> Option<u64> {
        let now = Instant::now();
        let email_wait = Self::wait(&self.by_email, email, self.max_per_email, self.window, now);
        let address_wait = Self::wait(&self.by_address, address, self.max_per_address, self.window, now);
        email_wait.max(address_wait)
    }

    /// Charges an attempt as a failure before the password is checked, so concurrent attempts
    /// cannot all slip under the limit; [`Self::refund`] or [`Self::succeeded`] takes it back.
    pub fn charge(&mut self, email: &str, address: &str) {
        let now = Instant::now();
        let window = self.window;
        for (map, key) in [(&mut self.by_email, email), (&mut self.by_address, address)] {
            if map.len() >= PURGE_AT {
                map.retain(|_, w| now.duration_since(w.started) < window);
            }
            let entry = map.entry(key.to_string()).or_insert(Window { started: now, failures: 0 });
            if now.duration_since(entry.started) >= window {
                *entry = Window { started: now, failures: 0 };
            }
            entry.failures += 1;
        }
    }

    /// Takes back a charged attempt that did not fail on credentials (e.g. database down).
    pub fn refund(&mut self, email: &str, address: &str) {
        for (map, key) in [(&mut self.by_email, email), (&mut self.by_address, address)] {
            if let Some(window) = map.get_mut(key) {
                window.failures = window.failures.saturating_sub(1);
            }
        }
    }

    /// Forgets the email's failures after a successful login and refunds the address.
    pub fn succeeded(&mut self, email: &str, address: &str) {
        self.refund(email, address);
        self.by_email.remove(email);
    }

    fn wait(map: &HashMap<String, Window>, key: &str, max: u32, window: Duration, now: Instant) -> Option<u64> {
        let entry = map.get(key).filter(|w| w.failures >= max)?;
        let remaining = window.checked_sub(now.duration_since(entry.started))?;
        Some(remaining.as_secs().max(1))
    }
}
