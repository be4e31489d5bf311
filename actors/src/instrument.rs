//! Per-actor counters. All counters are monotonic except `in_flight`; clients compute rates.

use serde::Serialize;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use crate::registry::ActorInfo;

/// Lifecycle state of a registered actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ActorState {
    /// Registered, `started` not yet called.
    Starting,
    /// Processing its mailbox.
    Running,
    /// Stopped after a failure; its supervisor is restarting it.
    Restarting,
    /// Stopped for good.
    Stopped,
}

impl ActorState {
    fn from_u8(value: u8) -> Self {
        match value {
            0 => Self::Starting,
            1 => Self::Running,
            2 => Self::Restarting,
            _ => Self::Stopped,
        }
    }
}

/// One registered actor: its identity and live counters.
#[derive(Debug)]
pub struct ActorEntry {
    info: ActorInfo,
    state: AtomicU8,
    received: AtomicU64,
    handled: AtomicU64,
    failed: AtomicU64,
    in_flight: AtomicU64,
    restarts: AtomicU64,
    total_micros: AtomicU64,
    max_micros: AtomicU64,
    last_error: Mutex<Option<String>>,
}

/// A point-in-time copy of one actor's entry, as rendered by the inspection endpoint.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorSnapshot {
    pub name: String,
    pub kind: String,
    pub system: String,
    pub supervisor: String,
    pub state: ActorState,
    pub restarts: u64,
    pub received: u64,
    pub handled: u64,
    pub failed: u64,
    pub in_flight: u64,
    pub mean_handling_micros: u64,
    pub max_handling_micros: u64,
    pub last_error: Option<String>,
}

impl ActorEntry {
    pub(crate) fn new(info: ActorInfo) -> Self {
        Self {
            info,
            state: AtomicU8::new(0),
            received: AtomicU64::new(0),
            handled: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            in_flight: AtomicU64::new(0),
            restarts: AtomicU64::new(0),
            total_micros: AtomicU64::new(0),
            max_micros: AtomicU64::new(0),
            last_error: Mutex::new(None),
        }
    }

    /// The identity the actor registered with.
    pub fn info(&self) -> &ActorInfo {
        &self.info
    }

    /// Records a lifecycle transition.
    pub fn set_state(&self, state: ActorState) {
        self.state.store(state as u8, Ordering::Relaxed);
    }

    /// Counts a supervised restart.
    pub fn restarted(&self) {
        self.restarts.fetch_add(1, Ordering::Relaxed);
        self.set_state(ActorState::Restarting);
    }

    /// Counts a received message and returns the guard that times its handling.
    /// A guard dropped without [`Call::finish`] counts as a failure (the handler panicked
    /// or its future was cancelled).
    pub fn begin(self: &std::sync::Arc<Self>) -> Call {
        self.received.fetch_add(1, Ordering::Relaxed);
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        Call { entry: self.clone(), started: Instant::now(), done: false }
    }

    /// Copies the current counters.
    pub fn snapshot(&self) -> ActorSnapshot {
        let handled = self.handled.load(Ordering::Relaxed);
        let failed = self.failed.load(Ordering::Relaxed);
        let finished = handled + failed;
        let total = self.total_micros.load(Ordering::Relaxed);
        ActorSnapshot {
            name: self.info.name.clone(),
            kind: self.info.kind.clone(),
            system: self.info.system.clone(),
            supervisor: self.info.supervisor.clone(),
            state: ActorState::from_u8(self.state.load(Ordering::Relaxed)),
            restarts: self.restarts.load(Ordering::Relaxed),
            received: self.received.load(Ordering::Relaxed),
            handled,
            failed,
            in_flight: self.in_flight.load(Ordering::Relaxed),
            mean_handling_micros: total.checked_div(finished).unwrap_or(0),
            max_handling_micros: self.max_micros.load(Ordering::Relaxed),
            last_error: self.last_error.lock().map(|e| e.clone()).unwrap_or(None),
        }
    }

    fn record(&self, started: Instant, fault: Option<String>) {
        let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.total_micros.fetch_add(micros, Ordering::Relaxed);
        self.max_micros.fetch_max(micros, Ordering::Relaxed);
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
        match fault {
            None => {
                self.handled.fetch_add(1, Ordering::Relaxed);
            }
            Some(message) => {
                self.failed.fetch_add(1, Ordering::Relaxed);
                if let Ok(mut last) = self.last_error.lock() {
                    *last = Some(message);
                }
            }
        }
    }
}

/// An in-flight message: created by [`ActorEntry::begin`], closed by [`Call::finish`].
#[derive(Debug)]
pub struct Call {
    entry: std::sync::Arc<ActorEntry>,
    started: Instant,
    done: bool,
}

impl Call {
    /// Closes the call: `None` when handled, `Some(reason)` when the actor failed.
    pub fn finish(mut self, fault: Option<String>) {
        self.done = true;
        self.entry.record(self.started, fault);
    }
}

impl Drop for Call {
    fn drop(&mut self) {
        if !self.done {
            self.entry.record(self.started, Some("handler dropped before finishing".into()));
        }
    }
}
