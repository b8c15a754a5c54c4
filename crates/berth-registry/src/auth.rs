//! ECR-style registry credentials: a token authority issues passwords valid
//! for 12 hours (base64url of an expiry, a nonce and an HMAC-SHA256 over
//! them under a server secret) and verifies `Authorization: Basic
//! base64("AWS:" + password)` headers. Docker logs in with the Basic
//! challenge alone, as with real ECR, so no Bearer token flow is needed.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How long an issued token is valid (ECR's 12 hours).
pub const TOKEN_VALIDITY: Duration = Duration::from_secs(12 * 60 * 60);
/// The only user name registry credentials carry.
pub const USER_NAME: &str = "AWS";

/// Longest `Authorization` header inspected; longer ones are refused unread.
const MAX_AUTHORIZATION_LEN: usize = 1024;
const TOKEN_VERSION: u8 = 1;
const NONCE_LEN: usize = 16;
const MAC_LEN: usize = 32;
/// version + expiry (u64 seconds) + nonce.
const PAYLOAD_LEN: usize = 1 + 8 + NONCE_LEN;

/// The clock is Berth's one injected clock, so expiry can be tested.
pub use berth_state::clock::{Clock, SystemClock};

/// Why credentials were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// No `Authorization` header came with the request.
    #[error("no credentials")]
    Missing,
    /// The header or token does not decode.
    #[error("malformed credentials")]
    Malformed,
    /// The user name is not `AWS`.
    #[error("unknown user")]
    WrongUser,
    /// The signature does not verify under this server's secret.
    #[error("invalid token")]
    BadSignature,
    /// The token's 12 hours are over.
    #[error("token expired")]
    Expired,
}

/// A freshly issued credential, in the shapes GetAuthorizationToken needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    /// The password (no `:`; what `aws ecr get-login-password` prints).
    pub password: String,
    /// base64 of `AWS:<password>`: ECR's `authorizationToken`.
    pub authorization_token: String,
    /// When the token stops being accepted.
    pub expires_at: SystemTime,
}

/// Issues and verifies registry tokens under one secret.
#[derive(Clone)]
pub struct TokenAuthority {
    secret: Arc<[u8]>,
    clock: Arc<dyn Clock>,
    /// The token [`TokenAuthority::issue_shared`] hands out, shared by clones.
    shared: Arc<Mutex<Option<IssuedToken>>>,
}

impl std::fmt::Debug for TokenAuthority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenAuthority").finish_non_exhaustive()
    }
}

impl TokenAuthority {
    /// An authority signing with `secret` (keep it stable across restarts so
    /// issued tokens stay valid) and reading time from `clock`.
    pub fn new(secret: impl AsRef<[u8]>, clock: Arc<dyn Clock>) -> TokenAuthority {
        TokenAuthority {
            secret: Arc::from(secret.as_ref()),
            clock,
            shared: Arc::default(),
        }
    }

    /// 32 random bytes suitable as a secret (from two v4 UUIDs, which draw on
    /// the operating system's random source).
    pub fn generate_secret() -> Vec<u8> {
        let mut secret = Vec::with_capacity(32);
        secret.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
        secret.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
        secret
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC accepts keys of any length, so this cannot fail.
        match <Hmac<Sha256> as Mac>::new_from_slice(&self.secret) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC takes keys of any length"),
        }
    }

    /// Issues a token valid for [`TOKEN_VALIDITY`] from now.
    pub fn issue(&self) -> IssuedToken {
        let expires_at = self.clock.now() + TOKEN_VALIDITY;
        let expiry_secs = expires_at
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        let mut payload = Vec::with_capacity(PAYLOAD_LEN + MAC_LEN);
        payload.push(TOKEN_VERSION);
        payload.extend_from_slice(&expiry_secs.to_be_bytes());
        payload.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
        let mut mac = self.mac();
        mac.update(&payload);
        payload.extend_from_slice(&mac.finalize().into_bytes());
        let password = URL_SAFE_NO_PAD.encode(&payload);
        let authorization_token = STANDARD.encode(format!("{USER_NAME}:{password}"));
        IssuedToken {
            password,
            authorization_token,
            expires_at: UNIX_EPOCH + Duration::from_secs(expiry_secs),
        }
    }

    /// A token with at least half of [`TOKEN_VALIDITY`] left, the same one
    /// for every caller until that is no longer so. For credentials handed
    /// to many at a high rate (every agent poll that carries a task), where
    /// signing a fresh token each time was a measurable cost for nothing.
    pub fn issue_shared(&self) -> IssuedToken {
        let mut shared = self.shared.lock().unwrap_or_else(PoisonError::into_inner);
        let fresh_until = self.clock.now() + TOKEN_VALIDITY / 2;
        match &*shared {
            Some(token) if token.expires_at >= fresh_until => token.clone(),
            _ => {
                let token = self.issue();
                *shared = Some(token.clone());
                token
            }
        }
    }

    /// Checks a password from [`TokenAuthority::issue`]: signature, then expiry.
    pub fn verify_password(&self, password: &str) -> Result<(), AuthError> {
        if password.len() > MAX_AUTHORIZATION_LEN {
            return Err(AuthError::Malformed);
        }
        let raw = URL_SAFE_NO_PAD
            .decode(password)
            .map_err(|_| AuthError::Malformed)?;
        if raw.len() != PAYLOAD_LEN + MAC_LEN || raw[0] != TOKEN_VERSION {
            return Err(AuthError::Malformed);
        }
        let (payload, tag) = raw.split_at(PAYLOAD_LEN);
        let mut mac = self.mac();
        mac.update(payload);
        mac.verify_slice(tag).map_err(|_| AuthError::BadSignature)?;
        let mut expiry = [0u8; 8];
        expiry.copy_from_slice(&payload[1..9]);
        let expires_at = UNIX_EPOCH + Duration::from_secs(u64::from_be_bytes(expiry));
        if self.clock.now() >= expires_at {
            return Err(AuthError::Expired);
        }
        Ok(())
    }

    /// Checks an `Authorization` header value: `Basic base64("AWS:" + password)`.
    pub fn verify_authorization(&self, header: Option<&str>) -> Result<(), AuthError> {
        let header = header.ok_or(AuthError::Missing)?;
        if header.len() > MAX_AUTHORIZATION_LEN {
            return Err(AuthError::Malformed);
        }
        let (scheme, credentials) = header.trim().split_once(' ').ok_or(AuthError::Malformed)?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return Err(AuthError::Malformed);
        }
        let decoded = STANDARD
            .decode(credentials.trim())
            .map_err(|_| AuthError::Malformed)?;
        let decoded = String::from_utf8(decoded).map_err(|_| AuthError::Malformed)?;
        let (user, password) = decoded.split_once(':').ok_or(AuthError::Malformed)?;
        if user != USER_NAME {
            return Err(AuthError::WrongUser);
        }
        self.verify_password(password)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    struct FakeClock(Mutex<SystemTime>);

    impl Clock for FakeClock {
        fn now_millis(&self) -> i64 {
            berth_state::clock::millis_of(
                *self
                    .0
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()),
            )
        }
    }

    fn authority(clock: &Arc<FakeClock>) -> TokenAuthority {
        TokenAuthority::new(b"secret", clock.clone())
    }

    fn basic(user_and_password: &str) -> String {
        format!("Basic {}", STANDARD.encode(user_and_password))
    }

    fn check(authority: &TokenAuthority, header: Option<&str>, expected: Result<(), AuthError>) {
        assert_eq!(
            authority.verify_authorization(header),
            expected,
            "{header:?}"
        );
    }

    #[test]
    fn authorization_header_table() {
        let clock = Arc::new(FakeClock(Mutex::new(
            UNIX_EPOCH + Duration::from_secs(1_000_000),
        )));
        let authority = authority(&clock);
        let issued = authority.issue();
        let other = TokenAuthority::new(b"another secret", clock.clone()).issue();
        let good = format!("Basic {}", issued.authorization_token);
        let cases: Vec<(Option<String>, Result<(), AuthError>)> = vec![
            (Some(good.clone()), Ok(())),
            (Some(good.replace("Basic", "basic")), Ok(())),
            (None, Err(AuthError::Missing)),
            (Some("Bearer abc".into()), Err(AuthError::Malformed)),
            (Some("Basic !!!".into()), Err(AuthError::Malformed)),
            (Some(basic("AWS")), Err(AuthError::Malformed)),
            (
                Some(basic(&format!("bob:{}", issued.password))),
                Err(AuthError::WrongUser),
            ),
            (Some(basic("AWS:short")), Err(AuthError::Malformed)),
            (
                Some(basic(&format!("AWS:{}", other.password))),
                Err(AuthError::BadSignature),
            ),
            (
                Some(format!("Basic {}", "A".repeat(2000))),
                Err(AuthError::Malformed),
            ),
        ];
        for (header, expected) in cases {
            check(&authority, header.as_deref(), expected);
        }
        assert!(!issued.password.contains(':'));
        assert_eq!(
            issued.expires_at,
            UNIX_EPOCH + Duration::from_secs(1_000_000) + TOKEN_VALIDITY
        );
    }

    #[test]
    fn token_expires_after_twelve_hours() {
        let start = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let clock = Arc::new(FakeClock(Mutex::new(start)));
        let authority = authority(&clock);
        let issued = authority.issue();
        let cases = [
            (Duration::from_secs(0), Ok(())),
            (TOKEN_VALIDITY - Duration::from_secs(1), Ok(())),
            (TOKEN_VALIDITY, Err(AuthError::Expired)),
            (TOKEN_VALIDITY * 2, Err(AuthError::Expired)),
        ];
        for (elapsed, expected) in cases {
            *clock
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = start + elapsed;
            assert_eq!(
                authority.verify_password(&issued.password),
                expected,
                "{elapsed:?}"
            );
        }
    }

    #[test]
    fn shared_token_is_renewed_before_half_its_validity_is_left() {
        let start = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let clock = Arc::new(FakeClock(Mutex::new(start)));
        let authority = authority(&clock);
        let set_time = |at: SystemTime| {
            *clock
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = at;
        };
        let first = authority.issue_shared();
        // Clones share it, and it lasts while at least half is left.
        assert_eq!(authority.clone().issue_shared(), first);
        set_time(start + TOKEN_VALIDITY / 2);
        assert_eq!(authority.issue_shared(), first);
        set_time(start + TOKEN_VALIDITY / 2 + Duration::from_secs(1));
        let second = authority.issue_shared();
        assert_ne!(second, first);
        assert_eq!(authority.verify_password(&second.password), Ok(()));
        // Whatever the time, the shared token is never one that expired.
        set_time(start + TOKEN_VALIDITY * 3);
        let third = authority.issue_shared();
        assert_eq!(authority.verify_password(&third.password), Ok(()));
    }

    #[test]
    fn tampered_token_is_refused() {
        let clock = Arc::new(FakeClock(Mutex::new(UNIX_EPOCH + Duration::from_secs(5))));
        let authority = authority(&clock);
        let mut raw = URL_SAFE_NO_PAD
            .decode(authority.issue().password)
            .unwrap_or_default();
        // Push the expiry far into the future without re-signing.
        raw[1] = 0x7f;
        let forged = URL_SAFE_NO_PAD.encode(&raw);
        assert_eq!(
            authority.verify_password(&forged),
            Err(AuthError::BadSignature)
        );
    }
}
