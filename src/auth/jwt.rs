//! HS256 access tokens with `sub`, `email`, `sid` (the session), `ver` (the credential version),
//! `iat`, `exp` and `jti`.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use uuid::Uuid;

use crate::config::JwtConfig;
use crate::error::Error;

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: Uuid,
    /// The user's email when the token was issued.
    pub email: String,
    /// The session the token belongs to: ending it kills the token.
    pub sid: Uuid,
    /// The user's credential version when the token was issued: a password change kills the token.
    pub ver: i32,
    /// Issued at, seconds since the epoch.
    pub iat: i64,
    /// Expires at, seconds since the epoch.
    pub exp: i64,
    /// Unique token id.
    pub jti: Uuid,
}

/// Signing and verification keys with the configured lifetime.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

impl JwtKeys {
    /// Keys from the `[jwt]` settings.
    pub fn new(config: &JwtConfig) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "iat", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(config.secret.as_bytes()),
            decoding: DecodingKey::from_secret(config.secret.as_bytes()),
            validation,
            ttl: config.ttl,
        }
    }

    /// The lifetime of an access token.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Issues a token for the user in `session`, under their credential `version`.
    pub fn issue(&self, user_id: Uuid, email: &str, session: Uuid, version: i32) -> Result<String, Error> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id,
            email: email.to_string(),
            sid: session,
            ver: version,
            iat: now,
            exp: now + i64::try_from(self.ttl.as_secs()).unwrap_or(i64::MAX / 2),
            jti: Uuid::new_v4(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| Error::Internal(format!("signing token: {e}")))
    }

    /// Verifies signature and expiry; the user's current state is checked by the caller.
    pub fn verify(&self, token: &str) -> Result<Claims, Error> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|_| Error::Unauthorized("invalid or expired token".into()))
    }
}
