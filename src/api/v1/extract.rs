//! Extractors that answer in the API's JSON error shape.

use super::error::ApiError;
use crate::domain::db::UserRecord;
use crate::domain::jwt::{self, Claims};
use crate::domain::Error;
use crate::model::FieldName;
use crate::web::body::BodyFailure;
use crate::web::AppState;
use axum::extract::rejection::{BytesRejection, FailedToBufferBody};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts};
use serde::de::DeserializeOwned;

/// A JSON body that may be left out: a request without `Content-Type` and without a body, or
/// with the JSON `null`, is `None`; anything else is read as [`ApiJson`] reads it (a body that
/// is not JSON is 415).
pub struct OptionalApiJson<T>(pub Option<T>);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for OptionalApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let headers = req.headers();
        let has_body = headers.contains_key(header::TRANSFER_ENCODING)
            || headers
                .get(header::CONTENT_LENGTH)
                .is_some_and(|length| length.as_bytes() != b"0");
        if !headers.contains_key(header::CONTENT_TYPE) && !has_body {
            return Ok(Self(None));
        }
        // `null` is as good as no body.
        let ApiJson(value) = ApiJson::<Option<T>>::from_request(req, state).await?;
        Ok(Self(value))
    }
}

/// A JSON body: 415 unless it is `application/json`, 400 if it does not parse, 422 if a field
/// has the wrong type or is missing, 413 past the body limit (`API_BODY_LIMIT`, or
/// `WRITING_BODY_LIMIT` once a valid token was shown).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                let v = v.trim().to_ascii_lowercase();
                v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
            });
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = match req.extensions().get::<WritingBody>().copied() {
            // A caller with a valid token may send a whole post.
            Some(WritingBody(limit)) => axum::body::to_bytes(req.into_body(), limit)
                .await
                .map_err(|err| match BodyFailure::of(&err) {
                    BodyFailure::TooLarge => ApiError::PayloadTooLarge,
                    BodyFailure::TooSlow => ApiError::BodyTimeout,
                    BodyFailure::Broken => ApiError::UnreadableBody(err.to_string()),
                })?,
            // Anyone else, the router's `API_BODY_LIMIT`.
            None => axum::body::Bytes::from_request(req, state)
                .await
                .map_err(|rejection| match &rejection {
                    BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_)) => {
                        ApiError::PayloadTooLarge
                    }
                    BytesRejection::FailedToBufferBody(failed) => match BodyFailure::of(failed) {
                        BodyFailure::TooLarge => ApiError::PayloadTooLarge,
                        BodyFailure::TooSlow => ApiError::BodyTimeout,
                        BodyFailure::Broken => ApiError::UnreadableBody(rejection.body_text()),
                    },
                    _ => ApiError::UnreadableBody(rejection.body_text()),
                })?,
        };
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| ApiError::MalformedJson(e.to_string()))?;
        serde_json::from_value(value)
            .map(ApiJson)
            .map_err(|e| Error::invalid(FieldName::Body, e.to_string()).into())
    }
}

/// How large a JSON body the request may have: set when a valid token was shown (by the
/// extractors of the token's user, which run before the body's), to `WRITING_BODY_LIMIT`.
#[derive(Clone, Copy, Debug)]
pub struct WritingBody(pub usize);

impl WritingBody {
    /// Lets the request carry a whole post: its caller showed a valid token.
    pub fn allow(parts: &mut Parts, state: &AppState) {
        parts
            .extensions
            .insert(WritingBody(state.config.limits.writing_body_bytes));
    }
}

/// The user a valid, unrevoked bearer token names.
pub struct ApiUser {
    pub user: UserRecord,
    pub claims: Claims,
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .map(|v| v.to_str().unwrap_or(""));
        let token = jwt::bearer(header).map_err(Error::from)?;
        let me = ApiUser::of_token(state, token).await?;
        WritingBody::allow(parts, state);
        Ok(me)
    }
}

impl ApiUser {
    /// The user a token names, if it is valid and not revoked (for both APIs: the RealWorld
    /// API sends the same tokens under its own scheme).
    pub async fn of_token(state: &AppState, token: &str) -> Result<Self, Error> {
        let (user, claims) = jwt::holder(state, token).await?;
        Ok(ApiUser { user, claims })
    }
}

/// The bearer's user when a token is sent; nobody when none is. A bad token is still refused.
pub struct MaybeApiUser(pub Option<UserRecord>);

impl FromRequestParts<AppState> for MaybeApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if parts.headers.get(header::AUTHORIZATION).is_none() {
            return Ok(MaybeApiUser(None));
        }
        let me = ApiUser::from_request_parts(parts, state).await?;
        Ok(MaybeApiUser(Some(me.user)))
    }
}
