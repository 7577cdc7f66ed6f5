//! Atom 1.0 feeds (RFC 4287): `/feed.atom` (everyone's posts), `/user/{name}/feed.atom` and
//! `/tag/{name}/feed.atom`, each the latest `ENTRIES` posts with their whole sanitized HTML.
//! Every address in them is absolute (`PUBLIC_URL`); an entry's id is its post's address, the
//! feed's its own. A feed's `updated` is its newest change, so the same posts make the same
//! document, and its ETag (a hash of the document) answers a reader that has it with a 304.

use super::error::PlainError;
use super::AppState;
use crate::domain::db::{PostList, PostRecord};
use crate::domain::error::Error;
use crate::domain::posts;
use crate::domain::users;
use atom_syndication::{
    Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text,
};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// Posts a feed carries.
pub const ENTRIES: u32 = 20;

/// The site's feed.
pub async fn site(State(state): State<AppState>, headers: HeaderMap) -> Response {
    answer(
        feed(
            &state,
            PostList::All,
            "Quill".to_string(),
            "/".to_string(),
            "/feed.atom".to_string(),
        )
        .await,
        &headers,
    )
}

/// One author's feed.
pub async fn user(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let made = async {
        let user = users::by_username(&state.db, &name).await?;
        feed(
            &state,
            PostList::Author(user.id),
            format!("Posts by {} on Quill", user.username),
            format!("/user/{}", user.username),
            format!("/user/{}/feed.atom", user.username),
        )
        .await
    }
    .await;
    answer(made, &headers)
}

/// One tag's feed.
pub async fn tag(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let made = async {
        let id = posts::tag_id(&state.db, &name).await?;
        feed(
            &state,
            PostList::Tag(id),
            format!("Posts tagged #{name} on Quill"),
            format!("/tag/{name}"),
            format!("/tag/{name}/feed.atom"),
        )
        .await
    }
    .await;
    answer(made, &headers)
}

fn time(seconds: i64) -> FixedDateTime {
    FixedDateTime::parse_from_rfc3339(&crate::model::format_datetime(seconds)).unwrap_or_default()
}

fn link(href: String, rel: &str, mime_type: Option<&str>) -> Link {
    let mut link = Link::default();
    link.set_href(href);
    link.set_rel(rel);
    link.set_mime_type(mime_type.map(str::to_string));
    link
}

fn entry(base: &str, post: PostRecord) -> Entry {
    let url = format!("{base}/post/{}", post.id);
    let mut author = Person::default();
    author.set_name(post.author_username.clone());
    author.set_uri(format!("{base}/user/{}", post.author_username));
    let mut content = Content::default();
    content.set_content_type("html".to_string());
    content.set_value(post.content_html);
    let mut entry = Entry::default();
    entry.set_id(url.clone());
    entry.set_title(Text::plain(post.title));
    entry.set_links(vec![link(url, "alternate", Some("text/html"))]);
    entry.set_published(time(post.date_posted));
    entry.set_updated(time(post.updated_at));
    entry.set_authors(vec![author]);
    entry.set_summary(Text::plain(post.excerpt));
    entry.set_content(content);
    entry.set_categories(
        crate::model::tag_names(&post.tags)
            .into_iter()
            .map(|tag| {
                let mut category = Category::default();
                category.set_scheme(format!("{base}/tag/"));
                category.set_term(tag);
                category
            })
            .collect::<Vec<_>>(),
    );
    entry
}

/// The document of a feed: its title, the page it is the feed of, its own address.
async fn feed(
    state: &AppState,
    list: PostList,
    title: String,
    page: String,
    path: String,
) -> Result<String, Error> {
    let base = state.config.public_url.trim_end_matches('/');
    let posts = posts::newest(&state.db, list, ENTRIES).await?;
    let updated = posts.iter().map(|p| p.updated_at).max().unwrap_or(0);
    let mut generator = Generator::default();
    generator.set_value("Quill".to_string());
    let mut feed = Feed::default();
    feed.set_id(format!("{base}{path}"));
    feed.set_title(Text::plain(title));
    feed.set_updated(time(updated));
    feed.set_generator(Some(generator));
    feed.set_links(vec![
        link(
            format!("{base}{path}"),
            "self",
            Some("application/atom+xml"),
        ),
        link(format!("{base}{page}"), "alternate", Some("text/html")),
    ]);
    feed.set_entries(
        posts
            .into_iter()
            .map(|post| entry(base, post))
            .collect::<Vec<_>>(),
    );
    Ok(feed.to_string())
}

/// The feed, or a 304 for a reader that has it, or the error's status.
fn answer(made: Result<String, Error>, request: &HeaderMap) -> Response {
    let body = match made {
        Ok(body) => body,
        Err(err) => return PlainError(err).into_response(),
    };
    let digest = Sha256::digest(body.as_bytes());
    let etag: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"{etag}\"");
    let etag_value = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\""));
    let cached = super::conditional::none_match(request, &etag);
    let headers = [
        (header::ETAG, etag_value),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=60"),
        ),
    ];
    if cached {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (
        headers,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/atom+xml; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}
