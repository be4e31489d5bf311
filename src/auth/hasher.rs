//! The argon2id hasher: a pool of sync actors on a `SyncArbiter`, one thread per core, so
//! hashing never blocks an async worker.

use ::actors::{guarded_sync, ActorEntry, ActorInfo, ActorState, Registry};
use actix::prelude::*;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
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

/// argon2 working memory (19 MiB with the default parameters), allocated on first use and
/// reused by every hash and verify of one worker thread: a fresh buffer per call would fault
/// 19 MiB of pages in each time and leave the allocator holding on to many of them.
#[derive(Default)]
pub struct Workspace {
    blocks: Vec<Block>,
}

impl Workspace {
    fn memory(&mut self, params: &Params) -> &mut [Block] {
        if self.blocks.len() < params.block_count() {
            self.blocks.resize(params.block_count(), Block::default());
        }
        &mut self.blocks
    }

    /// Hashes a new password with the parameters every stored hash uses (argon2id, OWASP:
    /// 19 MiB, 2 passes, 1 lane) into a PHC string.
    pub fn hash(&mut self, password: &str) -> Result<String, Error> {
        let fail = |e: &dyn std::fmt::Display| Error::Internal(format!("argon2 hash: {e}"));
        let params = Params::default();
        let salt = SaltString::generate(&mut OsRng);
        let mut salt_bytes = [0u8; 64];
        let raw_salt = salt.as_salt().decode_b64(&mut salt_bytes).map_err(|e| fail(&e))?;
        let mut output = [0u8; Params::DEFAULT_OUTPUT_LEN];
        Argon2::from(params.clone())
            .hash_password_into_with_memory(password.as_bytes(), raw_salt, &mut output, self.memory(&params))
            .map_err(|e| fail(&e))?;
        let hash = PasswordHash {
            algorithm: argon2::ARGON2ID_IDENT,
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&params).map_err(|e| fail(&e))?,
            salt: Some(salt.as_salt()),
            hash: Some(Output::new(&output).map_err(|e| fail(&e))?),
        };
        Ok(hash.to_string())
    }

    /// Checks a password against a PHC-format argon2 hash, or a legacy bcrypt hash of the old
    /// system ([`is_legacy`]), in constant time; a malformed hash counts as a mismatch.
    pub fn verify(&mut self, password: &str, phc: &str) -> bool {
        if is_legacy(phc) {
            return bcrypt::verify(password, phc).unwrap_or(false);
        }
        self.try_verify(password, phc).unwrap_or(false)
    }

    fn try_verify(&mut self, password: &str, phc: &str) -> Option<bool> {
        let parsed = PasswordHash::new(phc).ok()?;
        let params = Params::try_from(&parsed).ok()?;
        let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
        let version = parsed.version.map_or(Some(Version::default()), |v| Version::try_from(v).ok())?;
        let expected = parsed.hash?;
        let mut salt_bytes = [0u8; 64];
        let raw_salt = parsed.salt?.decode_b64(&mut salt_bytes).ok()?;
        let mut output = vec![0u8; expected.len()];
        Argon2::new(algorithm, version, params.clone())
            .hash_password_into_with_memory(password.as_bytes(), raw_salt, &mut output, self.memory(&params))
            .ok()?;
        Some(Output::new(&output).ok()? == expected)
    }
}

/// Whether a stored hash is the old system's bcrypt (`$2a$`, `$2b$`, `$2y$`): it still verifies,
/// and a successful login replaces it with argon2id.
pub fn is_legacy(hash: &str) -> bool {
    ["$2a$", "$2b$", "$2y$"].iter().any(|prefix| hash.starts_with(prefix))
}

/// Hashes one password outside the pool (the CLI); allocates its own working memory.
pub fn hash_password(password: &str) -> Result<String, Error> {
    Workspace::default().hash(password)
}

/// One hasher worker.
pub struct Hasher {
    entry: Arc<ActorEntry>,
    decoy: Arc<String>,
    workspace: Workspace,
}

/// Puts the calling thread in the `SCHED_IDLE` class (Linux, per thread): it runs only when no
/// normal thread wants the core. When hashing and request handling compete, request handling
/// always wins, so logins cannot starve reads; idle cores still hash at full speed.
fn lower_thread_priority() {
    let param = libc::sched_param { sched_priority: 0 };
    // SAFETY: `param` is a valid sched_param that outlives the call; pid 0 is this thread.
    let result = unsafe { libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) };
    if result != 0 {
        tracing::warn!(error = %std::io::Error::last_os_error(), "could not lower the hasher thread's priority");
    }
}

impl Actor for Hasher {
    type Context = SyncContext<Self>;

    fn started(&mut self, _: &mut Self::Context) {
        lower_thread_priority();
        self.entry.set_state(ActorState::Running);
    }

    fn stopped(&mut self, _: &mut Self::Context) {
        self.entry.set_state(ActorState::Stopped);
    }
}

impl Handler<HashPassword> for Hasher {
    type Result = Result<String, Error>;

    fn handle(&mut self, msg: HashPassword, _: &mut Self::Context) -> Self::Result {
        guarded_sync(&self.entry, || self.workspace.hash(&msg.0))
    }
}

impl Handler<VerifyPassword> for Hasher {
    type Result = Result<bool, Error>;

    fn handle(&mut self, msg: VerifyPassword, _: &mut Self::Context) -> Self::Result {
        guarded_sync(&self.entry, || {
            let matched = self.workspace.verify(&msg.password, msg.hash.as_deref().unwrap_or(&self.decoy));
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
            workspace: Workspace::default(),
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    #[test]
    fn hashes_are_standard_phc_strings_that_verify_both_ways() {
        let mut workspace = Workspace::default();
        let ours = workspace.hash("Secret123").unwrap();
        assert!(ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{ours}");
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default().verify_password(b"Secret123", &parsed).is_ok());

        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default().hash_password(b"Other456", &salt).unwrap().to_string();
        assert!(workspace.verify("Other456", &theirs));
        assert!(workspace.verify("Secret123", &ours), "the reused memory gives the same answer");
    }

    #[test]
    fn wrong_passwords_and_malformed_hashes_do_not_verify() {
        let mut workspace = Workspace::default();
        let hash = workspace.hash("Secret123").unwrap();
        assert!(!workspace.verify("Secret124", &hash));
        assert!(!workspace.verify("Secret123", "not a hash"));
        assert!(!workspace.verify("Secret123", &hash.replace("argon2id", "argon2x")));
        assert_ne!(workspace.hash("Secret123").unwrap(), hash, "every hash has its own salt");
    }
}
