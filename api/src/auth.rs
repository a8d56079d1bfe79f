//! Who is asking, and what they may write.
//!
//! Bearer tokens: `bgr_` and 64 hex characters (244 random bits from the
//! OS generator). Only the SHA-256 of a token is stored. Roles: a national
//! admin writes anything; an admin scoped to a province writes anything of
//! that province's regions; an editor writes for one region (its practices,
//! adoptions and visits, and agreements it is a party to). Reads are public
//! unless the configuration requires a token.

use chrono::Utc;
use entity::{TokenRole, api_token, region};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{ApiError, Result};

/// The caller of a request (request data) or of a command-line write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Viewer {
    /// No token.
    Anonymous,
    /// An admin; `province` is `None` for a national admin.
    Admin {
        token_id: Uuid,
        province: Option<String>,
    },
    /// An editor writing for `region`.
    Editor { token_id: Uuid, region: String },
    /// The operator at the command line (imports, token management).
    Operator,
}

impl Viewer {
    /// The token behind the viewer, if any.
    pub fn token_id(&self) -> Option<Uuid> {
        match self {
            Self::Admin { token_id, .. } | Self::Editor { token_id, .. } => Some(*token_id),
            _ => None,
        }
    }

    /// How the audit log names the writer (role and scope, never the secret).
    pub fn actor(&self) -> String {
        match self {
            Self::Anonymous => "anonymous".into(),
            Self::Admin { province: None, .. } => "admin".into(),
            Self::Admin {
                province: Some(p), ..
            } => format!("admin {p}"),
            Self::Editor { region, .. } => format!("editor {region}"),
            Self::Operator => "operator".into(),
        }
    }

    /// Refuses anonymous writes.
    pub fn require_writer(&self) -> Result<()> {
        match self {
            Self::Anonymous => Err(ApiError::unauthenticated(
                "this needs a token: send `Authorization: Bearer <token>`",
            )),
            _ => Ok(()),
        }
    }

    /// Refuses everyone but admins (national, or any province scope).
    pub fn require_admin(&self) -> Result<()> {
        self.require_writer()?;
        match self {
            Self::Admin { .. } | Self::Operator => Ok(()),
            _ => Err(ApiError::forbidden("only an admin may do this")),
        }
    }

    /// True when the viewer may write for region `code`.
    pub async fn may_write_region(&self, db: &impl ConnectionTrait, code: &str) -> Result<bool> {
        Ok(match self {
            Self::Anonymous => false,
            Self::Operator | Self::Admin { province: None, .. } => true,
            Self::Editor { region, .. } => region == code,
            Self::Admin {
                province: Some(p), ..
            } => {
                code == p
                    || region::Entity::find_by_id(code.to_owned())
                        .one(db)
                        .await?
                        .is_some_and(|r| r.province_code.as_deref() == Some(p.as_str()))
            }
        })
    }

    /// Refuses a write for region `code` the viewer may not make.
    pub async fn check_region(
        &self,
        db: &impl ConnectionTrait,
        code: &str,
        what: &str,
    ) -> Result<()> {
        self.require_writer()?;
        if self.may_write_region(db, code).await? {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "{} may not change {what} of region {code}",
                self.actor()
            )))
        }
    }

    /// Refuses a write unless the viewer may write for at least one of
    /// `codes` (an agreement's party regions).
    pub async fn check_any_region(
        &self,
        db: &impl ConnectionTrait,
        codes: &[String],
        what: &str,
    ) -> Result<()> {
        self.require_writer()?;
        for c in codes {
            if self.may_write_region(db, c).await? {
                return Ok(());
            }
        }
        if matches!(self, Self::Operator | Self::Admin { province: None, .. }) {
            return Ok(());
        }
        Err(ApiError::forbidden(format!(
            "{} is not a party to {what} and may not change it",
            self.actor()
        )))
    }
}

/// A new random token secret and its stored hash.
pub fn generate_token() -> (String, String) {
    let secret = format!("bgr_{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
    let hash = hash_token(&secret);
    (secret, hash)
}

/// SHA-256 of a token secret, hex.
pub fn hash_token(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Bytes as lower-case hex (token hashes, webhook signatures, rate-limit
/// client keys).
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The viewer behind an `Authorization` value: the one place a bearer
/// token is read, for HTTP (`POST`/`GET /graphql`, `/visits/plan.ics`) and
/// the WebSocket's `connection_init` payload alike.
///
/// `None` (no header) is [`Viewer::Anonymous`]. Otherwise the value must be
/// `Bearer <token>` as RFC 6750 §2.1 writes it: the scheme in any case
/// (RFC 7235 §2.1), one or more spaces, then one `b64token`. A value with
/// no scheme, another scheme, no token or a token with spaces inside is
/// refused with `UNAUTHENTICATED`, as are unknown, expired and revoked
/// tokens.
pub async fn authenticate(db: &impl ConnectionTrait, header: Option<&str>) -> Result<Viewer> {
    match header {
        None => Ok(Viewer::Anonymous),
        Some(value) => viewer_of_token(db, bearer_token(value)?).await,
    }
}

/// The token of a `Bearer <token>` credential (see [`authenticate`]).
fn bearer_token(value: &str) -> Result<&str> {
    let refused = || ApiError::unauthenticated("use `Authorization: Bearer <token>`");
    // Whitespace around a field value is not part of it (RFC 9110 §5.5).
    let (scheme, token) = value.trim().split_once(' ').ok_or_else(refused)?;
    let token = token.trim_start_matches(' ');
    let b64token = |t: &str| {
        let body = t.trim_end_matches('=');
        !body.is_empty()
            && body
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
    };
    if scheme.eq_ignore_ascii_case("bearer") && b64token(token) {
        Ok(token)
    } else {
        Err(refused())
    }
}

/// Resolves a token secret to its viewer; unknown, expired and revoked
/// tokens are refused with `UNAUTHENTICATED`.
async fn viewer_of_token(db: &impl ConnectionTrait, secret: &str) -> Result<Viewer> {
    let token = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(hash_token(secret)))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::unauthenticated("unknown token"))?;
    if token.revoked_at.is_some() {
        return Err(ApiError::unauthenticated("this token was revoked"));
    }
    if token.expires_at.is_some_and(|e| e <= Utc::now()) {
        return Err(ApiError::unauthenticated("this token has expired"));
    }
    Ok(match token.role {
        TokenRole::Admin => Viewer::Admin {
            token_id: token.id,
            province: token.region_code,
        },
        TokenRole::Editor => match token.region_code {
            Some(region) => Viewer::Editor {
                token_id: token.id,
                region,
            },
            None => return Err(ApiError::unauthenticated("this editor token has no region")),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_only_as_hashes() {
        let (a, ha) = generate_token();
        let (b, _) = generate_token();
        assert_ne!(a, b);
        assert!(a.starts_with("bgr_") && a.len() == 68);
        assert_eq!(ha.len(), 64);
        assert_eq!(hash_token(&a), ha);
        assert!(!ha.contains(&a[4..]));
    }

    fn parsed(value: &str) -> std::result::Result<&str, &'static str> {
        bearer_token(value).map_err(|e| e.code())
    }

    #[test]
    fn bearer_credentials_are_parsed_strictly() {
        let token = "bgr_0123abcd";
        assert_eq!(parsed("Bearer bgr_0123abcd"), Ok(token));
        // The scheme is case-insensitive (RFC 7235 §2.1).
        assert_eq!(parsed("bearer bgr_0123abcd"), Ok(token));
        assert_eq!(parsed("BEARER bgr_0123abcd"), Ok(token));
        // RFC 6750 §2.1: `"Bearer" 1*SP b64token`; a field value's
        // surrounding whitespace is not part of it.
        assert_eq!(parsed("Bearer   bgr_0123abcd"), Ok(token));
        assert_eq!(parsed("  Bearer bgr_0123abcd \t"), Ok(token));
        assert_eq!(parsed("Bearer abc+/~-._=="), Ok("abc+/~-._=="));
        for refused in [
            // No scheme: a bare token is not a credential.
            "bgr_0123abcd",
            // Another scheme.
            "Basic dXNlcjpwYXNz",
            "Token bgr_0123abcd",
            "Bearerbgr_0123abcd",
            // No token.
            "Bearer",
            "Bearer ",
            "Bearer    ",
            "Bearer ==",
            // More than one token, or a tab instead of a space.
            "Bearer bgr_0123 abcd",
            "Bearer\tbgr_0123abcd",
            "",
        ] {
            assert_eq!(parsed(refused), Err("UNAUTHENTICATED"), "{refused:?}");
        }
    }
}
