//! Paging for list endpoints: `?page=&per_page=`, a `Link` header (first, prev, next, last)
//! and the total, in the body and in `X-Total-Count`.

use super::error::ApiError;
use crate::model::{FieldErrors, Pagination};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use std::collections::HashMap;

pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;

pub fn parse(query: &HashMap<String, String>, total: u64) -> Result<Pagination, ApiError> {
    let mut errors = FieldErrors::new();
    let page = match query.get("page").map(String::as_str) {
        None | Some("") => 1,
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|p| *p >= 1)
            .unwrap_or_else(|| {
                errors.add("page", "page is a whole number from 1.");
                1
            }),
    };
    let per_page = match query.get("per_page").map(String::as_str) {
        None | Some("") => DEFAULT_PER_PAGE,
        // Larger requests are served at the cap rather than refused.
        Some(raw) => raw
            .parse::<u64>()
            .ok()
            .filter(|p| *p >= 1)
            .map(|p| p.min(u64::from(MAX_PER_PAGE)) as u32)
            .unwrap_or_else(|| {
                errors.add(
                    "per_page",
                    "per_page is a whole number from 1 (at most 100 are served).",
                );
                DEFAULT_PER_PAGE
            }),
    };
    if errors.is_empty() {
        Ok(Pagination {
            page,
            per_page,
            total,
        })
    } else {
        Err(ApiError::Invalid(errors))
    }
}

/// The `Link` and `X-Total-Count` headers of a page of `base` (an absolute URL without query).
pub fn headers(base: &str, pagination: &Pagination) -> HeaderMap {
    let link = |page: u32, rel: &str| {
        format!(
            "<{base}?page={page}&per_page={}>; rel=\"{rel}\"",
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
