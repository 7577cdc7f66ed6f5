use super::errors::{NotFound, ServerError};
use crate::components::meta::Description;
use crate::components::posts::{PaginationBar, PostCard};
use crate::error::AppError;
use crate::model::{group_thousands, parse_page, SearchHitView};
use crate::server_fns::posts::search_posts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/search?q=`: the posts with every word of the query, best first, each with the text
/// around its matches. Works as a plain GET form (the search box in the navigation bar).
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let (typed, page) = {
        let query = query.read_untracked();
        (
            query.get("q").unwrap_or_default(),
            parse_page(query.get("page").as_deref()),
        )
    };
    view! {
        <Title text="Search"/>
        <Description text="Search the posts on Quill."/>
        <Suspense>
            {Suspend::new(async move {
                let results = match page {
                    Some(page) if !typed.trim().is_empty() => {
                        search_posts(typed.clone(), page).await.map(Some)
                    }
                    Some(_) => Ok(None),
                    None => Err(AppError::NotFound),
                };
                match results {
                    Ok(None) => view! {
                        <h1>"Search"</h1>
                        <SearchForm value=typed/>
                        <p class="muted">"Type the words a post should have."</p>
                    }
                    .into_any(),
                    Ok(Some(found)) if found.pagination.is_past_the_end() && found.pagination.page > 1 => {
                        view! { <NotFound/> }.into_any()
                    }
                    Ok(Some(found)) => {
                        let total = found.pagination.total;
                        let heading = match total {
                            _ if found.more => format!(
                                "More than {} posts found for “{}”",
                                group_thousands(total),
                                found.query
                            ),
                            0 => format!("No posts found for “{}”", found.query),
                            1 => format!("1 post found for “{}”", found.query),
                            n => format!("{} posts found for “{}”", group_thousands(n), found.query),
                        };
                        let note = found.more.then(|| view! {
                            <p class="muted">{format!("The newest {} are ranked: add a word to find the others.", group_thousands(total))}</p>
                        });
                        let base = format!("/search?q={}", encode(&found.query));
                        view! {
                            <h1>{heading}</h1>
                            <SearchForm value=typed/>
                            {note}
                            {found.hits.into_iter().map(|SearchHitView { post, snippet_html }| view! {
                                <PostCard post snippet_html/>
                            }).collect_view()}
                            <PaginationBar pagination=found.pagination base/>
                        }
                        .into_any()
                    }
                    Err(AppError::Invalid(errors)) => view! {
                        <h1>"Search"</h1>
                        <SearchForm value=typed/>
                        <div class="alert alert-danger" role="alert">
                            {errors.get(crate::model::FieldName::Query).map(str::to_string)}
                        </div>
                    }
                    .into_any(),
                    Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <ServerError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The query as a URL's query value.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[component]
fn SearchForm(value: String) -> impl IntoView {
    view! {
        <form class="search-form card" action="/search" method="get" role="search">
            <label for="search-page-q" class="sr-only">"Search posts"</label>
            <input id="search-page-q" type="search" name="q" value=value maxlength="200"/>
            <button type="submit" class="button">"Search"</button>
        </form>
    }
}
