//! Errors as the API answers them: an HTTP status and a stable code, with a message for people.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An error answer: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code (`not_found`, `forbidden`, ...).
    pub code: ErrorCode,
    /// What went wrong, for people.
    pub message: String,
}

impl ApiError {
    /// 400 `bad_request`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: ErrorCode::BadRequest,
            message: message.into(),
        }
    }
    /// 401 `unauthenticated`.
    pub fn unauthenticated() -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            code: ErrorCode::Unauthenticated,
            message: "log in or send an API token".into(),
        }
    }
    /// 403 `forbidden`.
    pub fn forbidden() -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            code: ErrorCode::Forbidden,
            message: "your role does not allow this".into(),
        }
    }
    /// 403 `csrf`.
    pub fn csrf() -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            code: ErrorCode::Csrf,
            message: "missing or wrong CSRF token (send X-CSRF-Token)".into(),
        }
    }
    /// 404 `not_found`.
    pub fn not_found(what: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            code: ErrorCode::NotFound,
            message: what.into(),
        }
    }
    /// 409 `conflict`.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::CONFLICT,
            code: ErrorCode::Conflict,
            message: message.into(),
        }
    }
    /// 413 `too_large`.
    pub fn too_large(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: ErrorCode::TooLarge,
            message: message.into(),
        }
    }
    /// 429 `throttled`.
    pub fn throttled(seconds: u64) -> Self {
        Self {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: ErrorCode::Throttled,
            message: format!("too many failed logins; try again in {seconds} s"),
        }
    }
    /// 500 `internal`: the message is logged, not shown.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!("internal error: {e}");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: ErrorCode::Internal,
            message: "internal error; see the server log".into(),
        }
    }
}

impl ApiError {
    /// 503 `busy`: the server is at its limit of requests in flight.
    pub fn busy() -> Self {
        Self {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: ErrorCode::Busy,
            message: "the server is handling as many requests as it can; try again shortly".into(),
        }
    }
}

impl From<truce_store::StoreError> for ApiError {
    fn from(e: truce_store::StoreError) -> Self {
        match e {
            truce_store::StoreError::Conflict(m) => Self::conflict(m),
            truce_store::StoreError::NotFound(m) => Self::not_found(m),
            other => Self::internal(other),
        }
    }
}

impl From<truce_app::AppError> for ApiError {
    fn from(e: truce_app::AppError) -> Self {
        match e {
            truce_app::AppError::NotFound(m) => Self::not_found(m),
            truce_app::AppError::Invalid(m) => Self::bad_request(m),
            truce_app::AppError::Store(e) => e.into(),
            truce_app::AppError::Pipeline(e) => Self::internal(e),
            truce_app::AppError::Io(e) => Self::internal(e),
            truce_app::AppError::Engine(e) => Self::internal(e),
        }
    }
}

/// Every error answer's body.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// An error: a stable code for programs, a message for people.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// The stable code.
    pub code: ErrorCode,
    /// What went wrong, in words.
    pub message: String,
}

/// The codes an error answer may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the request is not one the route reads.
    BadRequest,
    /// 401: no session nor token.
    Unauthenticated,
    /// 403: the role does not allow it.
    Forbidden,
    /// 403: a browser change without its CSRF token.
    Csrf,
    /// 404: nothing there, or nothing the caller may see.
    NotFound,
    /// 409: the record has moved on (answered already, nothing to publish).
    Conflict,
    /// 413: the body is over the limit.
    TooLarge,
    /// 429: too many failed logins.
    Throttled,
    /// 503: the server is at its limit of work.
    Busy,
    /// 500: see the server log.
    Internal,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(e: axum::extract::rejection::JsonRejection) -> Self {
        Self::bad_request(format!(
            "the body is not the JSON expected: {}",
            e.body_text()
        ))
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(e: axum::extract::rejection::QueryRejection) -> Self {
        Self::bad_request(format!("bad query: {}", e.body_text()))
    }
}

impl From<axum::extract::rejection::PathRejection> for ApiError {
    fn from(e: axum::extract::rejection::PathRejection) -> Self {
        Self::not_found(format!("no such resource: {}", e.body_text()))
    }
}

/// `axum::Json`, with its rejections answered as [`ApiError`]s.
#[derive(Debug, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Body<T>(pub T);

/// `axum::extract::Query`, with its rejections answered as [`ApiError`]s.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Params<T>(pub T);

/// `axum::extract::Path`, with its rejections answered as [`ApiError`]s.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Id<T>(pub T);
