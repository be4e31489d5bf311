//! Raw argon2id verify rate: the ceiling for `POST /accounts/login` on this machine.
//!
//! Hashes "Secret123" once with `Argon2::default()` (the parameters every stored hash uses),
//! then runs one thread per core, each verifying in a loop for a fixed time, and prints the
//! total verifies per second as a single number.
//!
//! `cargo run --release --example argon2_rate -- [seconds]` (default 5).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const PASSWORD: &str = "Secret123";

fn main() {
    let seconds: f64 = match std::env::args().nth(1) {
        None => 5.0,
        Some(arg) => match arg.parse() {
            Ok(s) if s > 0.0 => s,
            _ => {
                eprintln!("usage: argon2_rate [seconds > 0]");
                std::process::exit(2);
            }
        },
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());

    // A fixed salt keeps the example free of an RNG; the cost does not depend on the salt.
    let salt = SaltString::encode_b64(b"argon2-rate-salt").expect("valid salt");
    let hash = Argon2::default().hash_password(PASSWORD.as_bytes(), &salt).expect("hashing").to_string();

    let verifies = AtomicU64::new(0);
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut done = 0u64;
                while Instant::now() < deadline {
                    // Parse and verify per attempt, as the node's hasher does.
                    let parsed = PasswordHash::new(&hash).expect("parsing the hash");
                    Argon2::default().verify_password(PASSWORD.as_bytes(), &parsed).expect("the password verifies");
                    done += 1;
                }
                verifies.fetch_add(done, Ordering::Relaxed);
            });
        }
    });
    // The last verify of each thread may end after the deadline: divide by the real elapsed time.
    let elapsed = started.elapsed().as_secs_f64();
    println!("{:.1}", verifies.load(Ordering::Relaxed) as f64 / elapsed);
}
