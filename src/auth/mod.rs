//! Identity at the edge: JWT issue/verify, the caller resolved once per request (`Caller`,
//! `Admin`), the argon2 hasher pool and failed-login throttling.

pub mod caller;
pub mod hasher;
pub mod jwt;
pub mod throttle;

pub use caller::{Admin, AuthUser, Caller, Callers};
pub use jwt::{Claims, JwtKeys};
