//! The caller of a request: an account by session cookie or API token, or the public.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use truce_model::{Reader, Role};
use truce_store::User;

use crate::access::{Permission, allows};
use crate::auth::{SESSION_COOKIE, cookie, same, token_hash};
use crate::error::ApiError;
use crate::state::AppState;

/// How the caller proved who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// Nobody: the public.
    None,
    /// A session cookie (state-changing requests must carry its CSRF token).
    Session {
        /// The session's CSRF token.
        csrf: String,
        /// The hash of the session token (to end it).
        token_hash: String,
    },
    /// An API token in `Authorization: Bearer`.
    Token,
}

/// Who is calling.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The account, if any.
    pub user: Option<User>,
    /// How it authenticated.
    pub credential: Credential,
}

impl Caller {
    /// The caller's role (`None` for the public).
    pub fn role(&self) -> Option<Role> {
        self.user.as_ref().map(|u| u.role)
    }

    /// Whether the caller may do something.
    pub fn may(&self, p: Permission) -> bool {
        allows(self.role(), p)
    }

    /// Fails with 401 (the public) or 403 unless the caller may do it.
    pub fn require(&self, p: Permission) -> Result<&Self, ApiError> {
        if self.may(p) {
            Ok(self)
        } else if self.user.is_none() {
            Err(ApiError::unauthenticated())
        } else {
            Err(ApiError::forbidden())
        }
    }

    /// The caller as the audience rules see it (the public without an account).
    pub fn reader(&self) -> Reader {
        self.user.as_ref().map_or_else(Reader::public, User::reader)
    }

    /// The account's name, for the record.
    pub fn name(&self) -> &str {
        self.user.as_ref().map_or("public", |u| u.username.as_str())
    }

    /// The same caller seen as the public (the public view of the dashboard).
    pub fn as_public(&self) -> Caller {
        Caller {
            user: None,
            credential: Credential::None,
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
            let auth = auth.to_str().map_err(|_| ApiError::unauthenticated())?;
            let token = auth
                .strip_prefix("Bearer ")
                .ok_or_else(ApiError::unauthenticated)?
                .trim();
            let user = state
                .store
                .token_user(&token_hash(token))
                .await?
                .ok_or_else(ApiError::unauthenticated)?;
            return Ok(Caller {
                user: Some(user),
                credential: Credential::Token,
            });
        }
        let session = cookie(&parts.headers, SESSION_COOKIE);
        let Some(token) = session else {
            return Ok(Caller {
                user: None,
                credential: Credential::None,
            });
        };
        let hash = token_hash(&token);
        let Some((user, csrf)) = state.store.session(&hash).await? else {
            return Ok(Caller {
                user: None,
                credential: Credential::None,
            });
        };
        // A cookie-authenticated change must prove it came from our own page.
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !same(sent, &csrf) {
                return Err(ApiError::csrf());
            }
        }
        Ok(Caller {
            user: Some(user),
            credential: Credential::Session {
                csrf,
                token_hash: hash,
            },
        })
    }
}
