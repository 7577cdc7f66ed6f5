//! The RealWorld error shape (`{"errors": {"field": ["message"]}}`) and the domain error mapped to it.

use super::*;

/// An error in RealWorld's shape.
#[derive(Debug)]
pub struct RwError {
    pub(super) status: StatusCode,
    pub(super) errors: BTreeMap<String, Vec<String>>,
    pub(super) retry_after: Option<u64>,
}

impl RwError {
    pub(super) fn new(status: StatusCode, key: &str, message: impl Into<String>) -> Self {
        let mut errors = BTreeMap::new();
        errors.insert(key.to_string(), vec![message.into()]);
        Self {
            status,
            errors,
            retry_after: None,
        }
    }
}

/// RealWorld's name for a Quill field.
pub(super) fn field_name(field: FieldName) -> &'static str {
    match field {
        FieldName::Content => "body",
        FieldName::Summary => "description",
        FieldName::Tags => "tagList",
        FieldName::Form | FieldName::All => "body",
        other => other.as_str(),
    }
}

impl From<Error> for RwError {
    fn from(err: Error) -> Self {
        let fields = |status, errors: crate::model::FieldErrors| RwError {
            status,
            errors: errors
                .0
                .into_iter()
                .map(|(field, message)| (field_name(field).to_string(), vec![message]))
                .collect(),
            retry_after: None,
        };
        match err {
            Error::Invalid(errors) | Error::Conflict(errors) => {
                fields(StatusCode::UNPROCESSABLE_ENTITY, errors)
            }
            Error::NotConfirmed(errors) => fields(StatusCode::FORBIDDEN, errors),
            Error::NotFound => RwError::new(StatusCode::NOT_FOUND, "body", "Not found."),
            Error::Forbidden => {
                RwError::new(StatusCode::FORBIDDEN, "body", "You may not change this.")
            }
            Error::Unauthenticated(Unauthenticated::BadCredentials) => {
                RwError::new(StatusCode::UNAUTHORIZED, "email or password", "is invalid")
            }
            Error::Unauthenticated(reason) => {
                RwError::new(StatusCode::UNAUTHORIZED, "token", reason.to_string())
            }
            Error::TooManyRequests { retry_after } => RwError {
                retry_after: Some(retry_after),
                ..RwError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "body",
                    "Too many attempts; try again later.",
                )
            },
            Error::Unavailable { retry_after } => RwError {
                retry_after: Some(retry_after),
                ..RwError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "body",
                    "The server is busy; try again soon.",
                )
            },
            Error::Internal(source) => {
                tracing::error!(error = %source, "RealWorld API request failed");
                RwError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "body",
                    "Something went wrong on our side.",
                )
            }
        }
    }
}

impl From<ApiError> for RwError {
    fn from(err: ApiError) -> Self {
        match err {
            ApiError::Domain(err) => err.into(),
            other => {
                let status = other.status();
                RwError::new(status, "body", other.to_string())
            }
        }
    }
}

impl IntoResponse for RwError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(ErrorsBody {
                errors: self.errors,
            }),
        )
            .into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Token"));
        }
        response
    }
}

#[derive(Serialize)]
pub(super) struct ErrorsBody {
    pub(super) errors: BTreeMap<String, Vec<String>>,
}

pub(super) type RwResult<T> = Result<T, RwError>;

/// What no route answers: RealWorld's 404.
pub async fn not_found() -> RwError {
    Error::NotFound.into()
}

pub async fn method_not_allowed() -> RwError {
    RwError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "body",
        "Method not allowed.",
    )
}
