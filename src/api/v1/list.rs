//! Paging for list endpoints: `?page=&per_page=`, a `Link` header (first, prev, next, last)
//! and the total, in the body and in `X-Total-Count`.

use super::error::ApiError;
use crate::domain::Error;
use crate::model::{parse_id, Pagination, Paging};
use crate::web::AppState;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use std::collections::HashMap;
use utoipa::IntoParams;

pub const DEFAULT_PER_PAGE: u32 = 20;

/// The paging parameters, as the OpenAPI document describes them. Handlers read the query as
/// a map and [`parse`] it, so that each bad value gets its own message.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // only its description is used
pub struct PagingParams {
    /// The page, from 1. Past the last page the list is empty.
    #[param(minimum = 1, nullable = false)]
    page: Option<u32>,
    /// Items per page, from 1 (default 20); more than 100 are served as 100.
    #[param(minimum = 1, nullable = false)]
    per_page: Option<u32>,
}

/// A resource id in the path. Anything but a positive whole number is a 404.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // only its description is used
pub struct IdPath {
    #[param(minimum = 1)]
    id: i64,
}

/// The page and the page size a list request asks for: the model's one paging rule, each bad
/// value a 422 that names it.
pub fn parse(query: &HashMap<String, String>) -> Result<Paging, ApiError> {
    Paging::parse(
        query.get("page").map(String::as_str),
        query.get("per_page").map(String::as_str),
        DEFAULT_PER_PAGE,
    )
    .map_err(|errors| Error::Invalid(errors).into())
}

/// The resource an `{id}` in the path names: anything but a positive whole number is a 404.
pub fn id(raw: &str) -> Result<i64, ApiError> {
    parse_id(raw).ok_or_else(ApiError::not_found)
}

/// The `Link` and `X-Total-Count` headers of a page of the list at `/api/v1{path}` (which may
/// have a query of its own, such as `?tag=`).
pub fn headers(state: &AppState, path: &str, pagination: &Pagination) -> HeaderMap {
    let base = format!("{}/api/v1{path}", state.config.public_url);
    let join = if path.contains('?') { '&' } else { '?' };
    let link = |page: u32, rel: &str| {
        format!(
            "<{base}{join}page={page}&per_page={}>; rel=\"{rel}\"",
            pagination.per_page
        )
    };
    let last = pagination.pages();
    let mut links = vec![link(1, "first")];
    if pagination.page > 1 {
        links.push(link((pagination.page - 1).min(last), "prev"));
    }
    if pagination.page < last {
        links.push(link(pagination.page + 1, "next"));
    }
    links.push(link(last, "last"));
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&links.join(", ")) {
        headers.insert(axum::http::header::LINK, value);
    }
    headers.insert(
        HeaderName::from_static("x-total-count"),
        HeaderValue::from(pagination.total),
    );
    headers
}
