//! The caller's own account: who am I, API tokens, unread messages; and the audit log check.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use truce_model::Role;
use utoipa::ToSchema;

use super::Items;
use crate::access::Permission;
use crate::auth::{random_token, token_hash};
use crate::caller::{Caller, Credential};
use crate::error::{ApiError, Body, Id};
use crate::state::AppState;

/// The caller's account.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// The account's name.
    pub username: String,
    /// Its role.
    pub role: Role,
    /// The party a party's account speaks for.
    pub party: Option<String>,
    /// The CSRF token a browser session sends as `X-CSRF-Token` with changes (none with an API
    /// token).
    pub csrf: Option<String>,
}

/// `GET /api/v1/me`.
#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, description = "The caller's account", body = Me)))]
pub async fn me(caller: Caller) -> Result<Json<Me>, ApiError> {
    let user = caller.user.as_ref().ok_or_else(ApiError::unauthenticated)?;
    let csrf = match &caller.credential {
        Credential::Session { csrf, .. } => Some(csrf.clone()),
        _ => None,
    };
    Ok(Json(Me {
        username: user.username.clone(),
        role: user.role,
        party: user.party.clone(),
        csrf,
    }))
}

/// A token to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    /// What it is for (1 to 100 characters).
    name: String,
    /// Days until it expires: 1 to 365, 90 when not given.
    expires_in_days: Option<i64>,
}

/// How long a token lives when its maker does not say.
pub const DEFAULT_TOKEN_DAYS: i64 = 90;
/// The longest a token may live.
pub const MAX_TOKEN_DAYS: i64 = 365;

/// A token made: its secret is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenCreated {
    /// Its id.
    pub id: i64,
    /// The secret, to send as `Authorization: Bearer TOKEN`.
    pub token: String,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
    /// "shown once: store it now".
    pub note: String,
}

/// An API token, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenView {
    /// Its id.
    pub id: i64,
    /// Whose.
    pub username: String,
    /// What it is for.
    pub name: String,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// When it was revoked.
    pub revoked_at: Option<String>,
    /// When it expires.
    pub expires_at: String,
}

/// A token revoked.
#[derive(Debug, Serialize, ToSchema)]
pub struct Revoked {
    /// Its id.
    pub id: i64,
    /// Always `true`.
    pub revoked: bool,
}

/// An incident with messages the caller has not read.
#[derive(Debug, Serialize, ToSchema)]
pub struct Unread {
    /// The incident.
    pub incident: i64,
    /// How many unread messages.
    pub unread: u32,
}

/// An account unlocked.
#[derive(Debug, Serialize, ToSchema)]
pub struct Unlocked {
    /// The account.
    pub username: String,
    /// Always `true`.
    pub unlocked: bool,
}

/// `POST /api/v1/tokens`: a new API token for the caller, shown once.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "account", request_body = TokenBody,
    responses((status = 201, description = "Made", body = TokenCreated)))]
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    Body(b): Body<TokenBody>,
) -> Result<(StatusCode, Json<TokenCreated>), ApiError> {
    caller.require(Permission::OwnTokens)?;
    let name = b.name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(ApiError::bad_request(
            "name: give the token a name of 1 to 100 characters",
        ));
    }
    let days = b.expires_in_days.unwrap_or(DEFAULT_TOKEN_DAYS);
    if !(1..=MAX_TOKEN_DAYS).contains(&days) {
        return Err(ApiError::bad_request(format!(
            "expires_in_days: give 1 to {MAX_TOKEN_DAYS} days"
        )));
    }
    let expires_at = chrono::Utc::now() + chrono::Duration::days(days);
    let token = random_token();
    let id = state
        .store
        .create_token(
            caller.name(),
            name,
            &token_hash(&token),
            expires_at,
            caller.name(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenCreated {
            id,
            token,
            expires_at: expires_at.to_rfc3339(),
            note: "shown once: store it now".into(),
        }),
    ))
}

/// `GET /api/v1/tokens`: the caller's tokens (every token for an admin).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "account",
    responses((status = 200, description = "The tokens", body = Items<TokenView>)))]
pub async fn tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Items<TokenView>>, ApiError> {
    caller.require(Permission::OwnTokens)?;
    let admin = caller.role() == Some(Role::Admin);
    let items = state
        .store
        .tokens()
        .await?
        .into_iter()
        .filter(|t| admin || t.username == caller.name())
        .map(|t| TokenView {
            id: t.id,
            username: t.username,
            name: t.name,
            created_at: t.created_at.to_rfc3339(),
            revoked_at: t.revoked_at.map(|r| r.to_rfc3339()),
            expires_at: t.expires_at.to_rfc3339(),
        })
        .collect();
    Ok(Json(Items { items }))
}

/// `DELETE /api/v1/tokens/{id}`: revokes one of the caller's tokens (any, for an admin).
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "account",
    params(("id" = i64, Path, description = "The token")),
    responses((status = 200, description = "Revoked", body = Revoked)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
) -> Result<Json<Revoked>, ApiError> {
    caller.require(Permission::OwnTokens)?;
    let admin = caller.role() == Some(Role::Admin);
    let owned = state
        .store
        .tokens()
        .await?
        .into_iter()
        .any(|t| t.id == id && (admin || t.username == caller.name()));
    if !owned || !state.store.revoke_token(id, caller.name()).await? {
        return Err(ApiError::not_found(format!("no live token {id} of yours")));
    }
    Ok(Json(Revoked { id, revoked: true }))
}

/// `GET /api/v1/unread`: incidents with messages the caller has not read.
#[utoipa::path(get, path = "/api/v1/unread", tag = "account",
    responses((status = 200, description = "Incidents with unread messages", body = Items<Unread>)))]
pub async fn unread(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Items<Unread>>, ApiError> {
    caller.require(Permission::Message)?;
    let user = caller.user.as_ref().ok_or_else(ApiError::unauthenticated)?;
    let items = state
        .store
        .unread(user)
        .await?
        .into_iter()
        .map(|(incident, unread)| Unread { incident, unread })
        .collect();
    Ok(Json(Items { items }))
}

/// `POST /api/v1/users/{name}/unlock`: lifts a lockout after failed logins (administrators).
#[utoipa::path(post, path = "/api/v1/users/{name}/unlock", tag = "account",
    params(("name" = String, Path, description = "The account")),
    responses((status = 200, description = "Unlocked", body = Unlocked)))]
pub async fn unlock(
    State(state): State<AppState>,
    caller: Caller,
    Id(name): Id<String>,
) -> Result<Json<Unlocked>, ApiError> {
    caller.require(Permission::ManageAccounts)?;
    if !state.store.unlock_user(&name, caller.name()).await? {
        return Err(ApiError::not_found(format!("no account {name:?}")));
    }
    Ok(Json(Unlocked {
        username: name,
        unlocked: true,
    }))
}

/// What the audit log's check found.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditCheck {
    /// Whether everything holds: the chain, the heads and the rows.
    pub intact: bool,
    /// Entries in the log.
    pub entries: u64,
    /// The Merkle root over them (hex).
    pub root: String,
    /// Whether each entry's hash chains to the one before.
    pub chain_intact: bool,
    /// The first entry whose link is broken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broken_at: Option<i64>,
    /// Why it is broken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Each tree head issued before, checked against the log.
    pub heads: Vec<HeadChecked>,
    /// Rows checked against the seals the log holds.
    pub rows_checked: usize,
    /// Rows changed since they were sealed (`table:key`).
    pub altered: Vec<String>,
    /// Rows sealed but gone.
    pub missing: Vec<String>,
    /// Rows no entry vouches for.
    pub unvouched: Vec<String>,
}

/// A tree head issued before, checked.
#[derive(Debug, Serialize, ToSchema)]
pub struct HeadChecked {
    /// The head.
    pub head: String,
    /// Where it was issued (`report`, `export`, ...).
    pub origin: String,
    /// Whether it holds.
    pub holds: bool,
    /// What was found.
    pub note: String,
}

/// `GET /api/v1/audit/verify`: checks the chain, the heads issued before (signatures with the
/// server's key) and every row the log vouches for.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "account",
    responses((status = 200, description = "What the check found", body = AuditCheck)))]
pub async fn verify_audit(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<AuditCheck>, ApiError> {
    caller.require(Permission::Audit)?;
    let key = state.signing_key.as_ref().map(|k| k.public());
    let r = truce_app::audit::verify(state.store.as_ref(), &[], key.as_ref()).await?;
    let rows = |list: &[truce_app::audit::RowFinding]| -> Vec<String> {
        list.iter().map(ToString::to_string).collect()
    };
    Ok(Json(AuditCheck {
        intact: r.intact(),
        entries: r.entries,
        root: truce_model::merkle::to_hex(&r.root),
        chain_intact: r.chain.is_ok(),
        broken_at: r.chain.as_ref().err().map(|b| b.seq),
        reason: r.chain.as_ref().err().map(|b| b.reason.clone()),
        heads: r
            .heads
            .iter()
            .map(|h| HeadChecked {
                head: h.head.clone(),
                origin: h.origin.to_string(),
                holds: h.outcome.is_ok(),
                note: match &h.outcome {
                    Ok(n) => n.to_string(),
                    Err(e) => e.clone(),
                },
            })
            .collect(),
        rows_checked: r.rows_checked,
        altered: rows(&r.altered),
        missing: rows(&r.missing),
        unvouched: rows(&r.unvouched),
    }))
}
