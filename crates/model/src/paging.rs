//! Paging, one rule for the pages and the API: what a request asks for ([`Paging`]) and what
//! a list answers with ([`Pagination`]). Ids in paths are parsed here too.

use super::{FieldErrors, FieldName};
use serde::{Deserialize, Serialize};

/// A page number or size as a query gives it: a whole number from 1 to 2^31 − 1 (the `int32`
/// the API document promises). An empty value is not a number.
fn positive_int32(raw: &str) -> Option<u32> {
    raw.parse::<i32>()
        .ok()
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| *n >= 1)
}

/// Which page of a list a request asks for, and how many items a page has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paging {
    pub page: u32,
    pub per_page: u32,
}

impl Paging {
    /// The largest page size served; a larger request is served at this size.
    pub const MAX_PER_PAGE: u32 = 100;

    /// Reads `?page=` (absent: the first) and `?per_page=` (absent: `default_per_page`;
    /// above [`Self::MAX_PER_PAGE`]: capped). Each bad value gets its own message; a page
    /// answers any of them with its 404, the API with a 422 that names them.
    pub fn parse(
        page: Option<&str>,
        per_page: Option<&str>,
        default_per_page: u32,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let page = match page {
            None => 1,
            Some(raw) => positive_int32(raw).unwrap_or_else(|| {
                errors.add(
                    FieldName::Page,
                    "page is a whole number from 1 to 2147483647.",
                );
                1
            }),
        };
        let per_page = match per_page {
            None => default_per_page,
            Some(raw) => positive_int32(raw)
                .map(|p| p.min(Self::MAX_PER_PAGE))
                .unwrap_or_else(|| {
                    errors.add(
                        FieldName::PerPage,
                        "per_page is a whole number from 1 to 2147483647 (at most 100 are served).",
                    );
                    default_per_page
                }),
        };
        errors.into_result(Self { page, per_page })
    }

    /// The first `per_page` items.
    pub fn first(per_page: u32) -> Self {
        Self { page: 1, per_page }
    }

    /// How many items come before this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(self.per_page)
    }
}

/// The `?page=` of a page of the site, by the same rule as the API's; `None` when it is not a
/// page (the page answers 404).
pub fn parse_page(raw: Option<&str>) -> Option<u32> {
    Paging::parse(raw, None, 1).ok().map(|paging| paging.page)
}

/// A resource id in a path: a whole number from 1. Anything else names nothing.
pub fn parse_id(raw: &str) -> Option<i64> {
    raw.parse::<i64>().ok().filter(|id| *id > 0)
}

/// One page of a list, counted once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pagination {
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
}

impl Pagination {
    pub fn new(paging: Paging, total: u64) -> Self {
        Self {
            page: paging.page,
            per_page: paging.per_page,
            total,
        }
    }

    /// Whether the page asked for is past the last one (the first page always exists).
    pub fn is_past_the_end(&self) -> bool {
        self.page > self.pages()
    }

    /// How many pages there are; an empty list still has its first page.
    pub fn pages(&self) -> u32 {
        let pages = self.total.div_ceil(u64::from(self.per_page.max(1)));
        u32::try_from(pages).unwrap_or(u32::MAX).max(1)
    }

    pub fn offset(&self) -> u64 {
        Paging {
            page: self.page,
            per_page: self.per_page,
        }
        .offset()
    }

    pub fn has_prev(&self) -> bool {
        self.page > 1
    }

    pub fn has_next(&self) -> bool {
        self.page < self.pages()
    }

    /// The page numbers to show, `None` standing for a gap (an ellipsis): the first
    /// `left_edge` pages, `left_current` before the current one to `right_current` after it,
    /// and the last `right_edge` pages (Flask-SQLAlchemy's `iter_pages`).
    pub fn iter_pages(
        &self,
        left_edge: u32,
        left_current: u32,
        right_current: u32,
        right_edge: u32,
    ) -> Vec<Option<u32>> {
        let pages_end = self.pages() + 1;
        let mut out = Vec::new();
        let left_end = (1 + left_edge).min(pages_end);
        out.extend((1..left_end).map(Some));
        if left_end == pages_end {
            return out;
        }
        let mid_start = left_end.max(self.page.saturating_sub(left_current));
        let mid_end = (self.page + right_current + 1).min(pages_end);
        if mid_start > left_end {
            out.push(None);
        }
        out.extend((mid_start..mid_end).map(Some));
        if mid_end == pages_end {
            return out;
        }
        let right_start = mid_end.max(pages_end.saturating_sub(right_edge));
        if right_start > mid_end {
            out.push(None);
        }
        out.extend((right_start..pages_end).map(Some));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(page: u32, total: u64) -> Vec<Option<u32>> {
        Pagination {
            page,
            per_page: 5,
            total,
        }
        .iter_pages(1, 1, 2, 1)
    }

    #[test]
    fn page_counts() {
        let pages = |total| {
            Pagination {
                page: 1,
                per_page: 5,
                total,
            }
            .pages()
        };
        assert_eq!(
            [pages(0), pages(1), pages(5), pages(6), pages(51)],
            [1, 1, 1, 2, 11]
        );
        let p = Pagination {
            page: 3,
            per_page: 5,
            total: 51,
        };
        assert_eq!(p.offset(), 10);
        assert!(p.has_prev() && p.has_next());
    }

    #[test]
    fn pagination_bar() {
        assert_eq!(bar(1, 0), vec![Some(1)]);
        assert_eq!(bar(1, 6), vec![Some(1), Some(2)]);
        assert_eq!(bar(1, 51), vec![Some(1), Some(2), Some(3), None, Some(11)]);
        assert_eq!(
            bar(6, 51),
            vec![
                Some(1),
                None,
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(11)
            ]
        );
        assert_eq!(bar(11, 51), vec![Some(1), None, Some(10), Some(11)]);
        assert_eq!(
            bar(9, 51),
            vec![Some(1), None, Some(8), Some(9), Some(10), Some(11)]
        );
        assert_eq!(
            bar(3, 51),
            vec![Some(1), Some(2), Some(3), Some(4), Some(5), None, Some(11)]
        );
    }

    #[test]
    fn page_parameter() {
        assert_eq!(parse_page(None), Some(1));
        assert_eq!(parse_page(Some("7")), Some(7));
        for bad in ["0", "-1", "abc", "1.5", "99999999999"] {
            assert_eq!(parse_page(Some(bad)), None, "{bad}");
        }
    }

    #[test]
    fn page_parameters() {
        let parse = |page, per_page| Paging::parse(page, per_page, 20);
        assert_eq!(
            parse(None, None),
            Ok(Paging {
                page: 1,
                per_page: 20
            })
        );
        assert_eq!(
            parse(Some("7"), Some("1000")),
            Ok(Paging {
                page: 7,
                per_page: 100
            })
        );
        assert_eq!(
            parse(Some("2147483647"), None).map(|p| p.page),
            Ok(2_147_483_647)
        );
        for bad in ["0", "-1", "abc", "1.5", "", "2147483648", "1e3"] {
            let errors = parse(Some(bad), Some(bad)).unwrap_err();
            assert!(errors.get(FieldName::Page).is_some(), "page={bad}");
            assert!(errors.get(FieldName::PerPage).is_some(), "per_page={bad}");
        }
    }

    #[test]
    fn ids() {
        assert_eq!(parse_id("12"), Some(12));
        for bad in ["0", "-3", "x", "", "1.0", "99999999999999999999"] {
            assert_eq!(parse_id(bad), None, "{bad}");
        }
    }
}
