//! The request side: JSON bodies with RealWorld errors, and the `Token` scheme's user.

use super::*;

/// A JSON body, refused in RealWorld's shape.
pub(super) struct RwJson<T>(pub(super) T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for RwJson<T> {
    type Rejection = RwError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        ApiJson::<T>::from_request(req, state)
            .await
            .map(|ApiJson(body)| RwJson(body))
            .map_err(RwError::from)
    }
}

/// The token's user, with the token itself (RealWorld answers with it).
pub(super) struct RwUser {
    pub(super) me: ApiUser,
    pub(super) token: String,
}

impl FromRequestParts<AppState> for RwUser {
    type Rejection = RwError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> RwResult<Self> {
        // `Token …` is RealWorld's scheme; `Bearer …` works too.
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .map(|v| v.to_str().unwrap_or(""));
        let token = crate::domain::jwt::token_in(header, &["token", "bearer"])
            .map_err(Error::from)?
            .to_string();
        let me = ApiUser::of_token(state, &token).await?;
        crate::api::v1::extract::WritingBody::allow(parts, state);
        Ok(RwUser { me, token })
    }
}

/// The token's user when a token is sent; a bad one is still refused.
pub(super) struct MaybeRwUser(pub(super) Option<RwUser>);

impl FromRequestParts<AppState> for MaybeRwUser {
    type Rejection = RwError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> RwResult<Self> {
        if parts.headers.get(header::AUTHORIZATION).is_none() {
            return Ok(MaybeRwUser(None));
        }
        RwUser::from_request_parts(parts, state)
            .await
            .map(|user| MaybeRwUser(Some(user)))
    }
}

impl MaybeRwUser {
    pub(super) fn user(&self) -> Option<&UserRecord> {
        self.0.as_ref().map(|u| &u.me.user)
    }
}
