//! Full-text search of posts, and its snippets as HTML.

use super::*;

/// A page of the posts that have every word of `query` (and the tag `tag`, when one is
/// named), best first. A query with no word in it (only punctuation, say) finds nothing; one
/// past `SEARCH_MAX_CHARS` is refused.
pub async fn search<P: ListedPost>(
    state: &Services,
    reader: Option<&UserRecord>,
    query: &str,
    tag: Option<i64>,
    paging: Paging,
) -> Result<SearchPage<P>> {
    let words = search_words(query)
        .map_err(|m| Error::Invalid(FieldErrors::single(FieldName::Query, m)))?;
    let (hits, total) = if words.is_empty() {
        (Vec::new(), 0)
    } else {
        let backend = Backend::of(&state.config.database_url);
        SearchRepository::search::<P::Record>(
            &state.db,
            backend,
            &words,
            tag,
            paging.offset(),
            paging.per_page,
        )
        .await?
    };
    // Only the newest `RANKED` matches are ranked and paged; past them the count says "more".
    let ranked = u64::try_from(RANKED).unwrap_or(u64::MAX);
    let mut hits: Vec<SearchHitView<P>> = hits
        .into_iter()
        .map(|hit| SearchHitView {
            snippet_html: marked(&hit.snippet),
            post: P::of(hit.post),
        })
        .collect();
    mark_liked(&state.db, reader, hits.iter_mut().map(|hit| &mut hit.post)).await?;
    Ok(SearchPage {
        query: query.to_string(),
        more: total > ranked,
        hits,
        pagination: Pagination::new(paging, total.min(ranked)),
    })
}

/// A snippet as HTML: its text escaped, the engine's marks made `<mark>` elements (always
/// closed, whatever marks the text itself held).
fn marked(snippet: &str) -> String {
    let mut html = String::with_capacity(snippet.len() + 32);
    let mut open = false;
    for c in snippet.chars() {
        match c {
            MARK_START if !open => {
                html.push_str("<mark>");
                open = true;
            }
            MARK_END if open => {
                html.push_str("</mark>");
                open = false;
            }
            MARK_START | MARK_END => {}
            c => crate::model::html::push_escaped(c, &mut html),
        }
    }
    if open {
        html.push_str("</mark>");
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_escaped_and_marked() {
        assert_eq!(
            marked("a <b>\u{E000}rust\u{E001}</b> & \u{E001}x\u{E000}y"),
            "a &lt;b&gt;<mark>rust</mark>&lt;/b&gt; &amp; x<mark>y</mark>"
        );
    }
}
