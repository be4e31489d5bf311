//! The argon2id hasher: a pool of sync actors on a `SyncArbiter`, one thread per core, so
//! hashing never blocks an async worker.

use ::actors::{guarded_sync, ActorEntry, ActorInfo, ActorState, Registry};
use actix::prelude::*;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::error::Error;

/// Hashes a new password (argon2id with OWASP parameters: 19 MiB, 2 passes, 1 lane).
#[derive(Message)]
#[rtype(result = "Result<String, Error>")]
pub struct HashPassword(pub String);

/// Verifies a password against a stored hash. With no hash (unknown user) the same work is
/// done against a decoy hash, so the answer takes as long as for a wrong password.
#[derive(Message)]
#[rtype(result = "Result<bool, Error>")]
pub struct VerifyPassword {
    pub password: String,
    pub hash: Option<String>,
}

/// Hashes with the parameters every stored hash uses.
pub fn hash_password(password: &str) -> Result<String, Error> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| Error::Internal(format!("argon2 hash: {e}")))
}

/// Checks a password against a PHC-format hash; a malformed hash counts as a mismatch.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// One hasher worker.
pub struct Hasher {
    entry: Arc<ActorEntry>,
    decoy: Arc<String>,
}

impl Actor for Hasher {
    type Context = SyncContext<Self>;

    fn started(&mut self, _: &mut Self::Context) {
        self.entry.set_state(ActorState::Running);
    }

    fn stopped(&mut self, _: &mut Self::Context) {
        self.entry.set_state(ActorState::Stopped);
    }
}

impl Handler<HashPassword> for Hasher {
    type Result = Result<String, Error>;

    fn handle(&mut self, msg: HashPassword, _: &mut Self::Context) -> Self::Result {
        guarded_sync(&self.entry, || hash_password(&msg.0))
    }
}

impl Handler<VerifyPassword> for Hasher {
    type Result = Result<bool, Error>;

    fn handle(&mut self, msg: VerifyPassword, _: &mut Self::Context) -> Self::Result {
        guarded_sync(&self.entry, || {
            let matched = verify_password(&msg.password, msg.hash.as_deref().unwrap_or(&self.decoy));
            Ok(matched && msg.hash.is_some())
        })
    }
}

/// Starts `threads` hasher workers, each registered as `accounts.hasher-N`.
pub fn start(threads: usize, registry: &Arc<Registry>) -> Result<Addr<Hasher>, Error> {
    let decoy = Arc::new(hash_password(&uuid::Uuid::new_v4().to_string())?);
    let next = AtomicUsize::new(0);
    let registry = registry.clone();
    Ok(SyncArbiter::start(threads, move || {
        let index = next.fetch_add(1, Ordering::Relaxed);
        Hasher {
            entry: registry.register(ActorInfo {
                name: format!("accounts.hasher-{index}"),
                kind: "sync-pool".into(),
                system: "accounts".into(),
                supervisor: "accounts.hasher-arbiter".into(),
            }),
            decoy: decoy.clone(),
        }
    }))
}
