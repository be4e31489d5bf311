//! Identity at the edge: JWT issue/verify, the `Principal` extractor, the argon2 hasher pool
//! and failed-login throttling.

pub mod hasher;
pub mod jwt;
pub mod principal;
pub mod throttle;

pub use jwt::{Claims, JwtKeys};
pub use principal::Principal;
