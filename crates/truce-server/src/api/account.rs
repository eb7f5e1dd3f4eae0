//! The caller's own account: who am I, API tokens, unread messages; and the audit log check.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use truce_model::Role;

use crate::access::Permission;
use crate::auth::{random_token, token_hash};
use crate::caller::{Caller, Credential};
use crate::error::{ApiError, Body, Id};
use crate::state::AppState;

/// `GET /api/v1/me`.
pub async fn me(caller: Caller) -> Result<Json<Value>, ApiError> {
    let user = caller.user.as_ref().ok_or_else(ApiError::unauthenticated)?;
    let csrf = match &caller.credential {
        Credential::Session { csrf, .. } => Some(csrf.clone()),
        _ => None,
    };
    Ok(Json(
        json!({"username": user.username, "role": user.role, "party": user.party, "csrf": csrf}),
    ))
}

/// A token to create.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    name: String,
    /// Days until it expires: 1 to 365, 90 when not given.
    expires_in_days: Option<i64>,
}

/// How long a token lives when its maker does not say.
pub const DEFAULT_TOKEN_DAYS: i64 = 90;
/// The longest a token may live.
pub const MAX_TOKEN_DAYS: i64 = 365;

/// `POST /api/v1/tokens`: a new API token for the caller, shown once.
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    Body(b): Body<TokenBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
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
        Json(
            json!({"id": id, "token": token, "expires_at": expires_at.to_rfc3339(),
                    "note": "shown once: store it now"}),
        ),
    ))
}

/// `GET /api/v1/tokens`: the caller's tokens (every token for an admin).
pub async fn tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    caller.require(Permission::OwnTokens)?;
    let admin = caller.role() == Some(Role::Admin);
    let items: Vec<Value> = state
        .store
        .tokens()
        .await?
        .into_iter()
        .filter(|t| admin || t.username == caller.name())
        .map(|t| json!({"id": t.id, "username": t.username, "name": t.name, "created_at": t.created_at.to_rfc3339(), "revoked_at": t.revoked_at.map(|r| r.to_rfc3339()),
                         "expires_at": t.expires_at.to_rfc3339()}))
        .collect();
    Ok(Json(json!({"items": items})))
}

/// `DELETE /api/v1/tokens/{id}`: revokes one of the caller's tokens (any, for an admin).
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
) -> Result<Json<Value>, ApiError> {
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
    Ok(Json(json!({"id": id, "revoked": true})))
}

/// `GET /api/v1/unread`: incidents with messages the caller has not read.
pub async fn unread(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    caller.require(Permission::Message)?;
    let user = caller.user.as_ref().ok_or_else(ApiError::unauthenticated)?;
    let items: Vec<Value> = state
        .store
        .unread(user)
        .await?
        .into_iter()
        .map(|(i, n)| json!({"incident": i, "unread": n}))
        .collect();
    Ok(Json(json!({"items": items})))
}

/// `POST /api/v1/users/{name}/unlock`: lifts a lockout after failed logins (administrators).
pub async fn unlock(
    State(state): State<AppState>,
    caller: Caller,
    Id(name): Id<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require(Permission::ManageAccounts)?;
    if !state.store.unlock_user(&name, caller.name()).await? {
        return Err(ApiError::not_found(format!("no account {name:?}")));
    }
    Ok(Json(json!({"username": name, "unlocked": true})))
}

/// `GET /api/v1/audit/verify`: checks the chain, the heads issued before (signatures with the
/// server's key) and every row the log vouches for.
pub async fn verify_audit(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    caller.require(Permission::Audit)?;
    let key = state.signing_key.as_ref().map(|k| k.public());
    let r = truce_pipeline::audit::verify_audit(state.store.as_ref(), &[], key.as_ref())
        .await
        .map_err(ApiError::internal)?;
    let rows = |list: &[truce_pipeline::audit::RowFinding]| -> Vec<String> {
        list.iter().map(ToString::to_string).collect()
    };
    let mut body = json!({
        "intact": r.intact(),
        "entries": r.entries,
        "root": truce_model::merkle::to_hex(&r.root),
        "chain_intact": r.chain.is_ok(),
        "heads": r.heads.iter().map(|h| json!({"head": h.head, "origin": h.origin,
            "holds": h.outcome.is_ok(), "note": match &h.outcome { Ok(n) => n.to_string(), Err(e) => e.clone() }}))
            .collect::<Vec<_>>(),
        "rows_checked": r.rows_checked,
        "altered": rows(&r.altered),
        "missing": rows(&r.missing),
        "unvouched": rows(&r.unvouched),
    });
    if let Err(b) = &r.chain {
        body["broken_at"] = json!(b.seq);
        body["reason"] = json!(b.reason);
    }
    Ok(Json(body))
}
