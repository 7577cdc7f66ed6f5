//! `/post/{id}`: a post, its likes and comments, and its author's actions.

use super::delete::DeleteForm;
use super::*;

#[component]
pub fn PostPage() -> impl IntoView {
    let Some(id) = post_id() else {
        return view! { <NotFound/> }.into_any();
    };
    let query = use_query_map();
    let Some(comments_page) = parse_page(query.read_untracked().get("comments").as_deref()) else {
        return view! { <NotFound/> }.into_any();
    };
    view! {
        <Suspense>
            {Suspend::new(async move {
                match get_post(id, comments_page).await {
                    Ok(detail) if detail.comments.pagination.is_past_the_end() => view! { <NotFound/> }.into_any(),
                    Ok(detail) => {
                        let list = detail.comments;
                        let post = detail.post;
                        let actions = detail.can_edit.then(|| view! { <PostActions id/> });
                        let (liked, likes) = (post.liked, post.like_count);
                        view! {
                            <Title text=post.title.clone()/>
                            <Description text=excerpt(&post.excerpt, 160)/>
                            <Canonical path=format!("/post/{id}")/>
                            <ArticlePreview title=post.title.clone() description=excerpt(&post.excerpt, 200)
                                path=format!("/post/{id}") author=post.author.username.clone()
                                image=post.author.avatar_url.clone()
                                published=format_datetime(post.date_posted)
                                modified=format_datetime(post.updated_at) tags=post.tags.clone()/>
                            <PostArticle post=post.clone()/>
                            <div class="post-bar">
                                <Likes post_id=id liked likes/>
                                {actions}
                            </div>
                            <Comments post_id=id list/>
                        }
                        .into_any()
                    }
                    Err(err) => error_view(err, &format!("/post/{id}")),
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// A post's comments, oldest first, a page at a time, and the form to add one.
#[component]
fn Comments(post_id: i64, list: CommentPage) -> impl IntoView {
    let ctx = crate::components::page_context();
    let total = list.pagination.total;
    let form = match ctx.user {
        Some(_) => {
            let echo = ctx.echo_for(FormId::Comment);
            let text = echoed(echo.as_ref(), FieldName::Content, "");
            let error = echo.and_then(|e| e.errors.get(FieldName::Content).map(str::to_string));
            view! { <CommentForm post_id text error/> }.into_any()
        }
        None => view! {
            <p class="muted"><a href=login_url(&format!("/post/{post_id}"))>"Log in"</a> " to comment."</p>
        }
        .into_any(),
    };
    view! {
        <section class="card comments-card" id="comments" aria-labelledby="comments-title">
            <h2 id="comments-title">{counted(total, "Comment", "Comments")}</h2>
            <ol class="comments">
                {list.comments.into_iter().map(|comment| view! { <CommentItem comment/> }).collect_view()}
            </ol>
            <PaginationBar pagination=list.pagination base=format!("/post/{post_id}") param="comments" anchor="#comments"/>
            {form}
        </section>
    }
}

/// Update and Delete, for the post's author or an admin. Without JavaScript the Delete link
/// opens a confirmation page; with it, a dialog.
#[island]
fn PostActions(id: i64) -> impl IntoView {
    let confirming = RwSignal::new(false);
    view! {
        <div class="post-actions">
            <a class="button button-secondary" href=format!("/post/{id}/update")>"Update"</a>
            <a class="button button-danger" href=format!("/post/{id}/delete")
                on:click=move |ev| { ev.prevent_default(); confirming.set(true); }>"Delete"</a>
        </div>
        <Show when=move || confirming.get()>
            <div class="modal-backdrop">
                <div class="modal card" role="dialog" aria-modal="true" aria-labelledby="delete-title">
                    <h2 id="delete-title">"Delete Post?"</h2>
                    <p>"This cannot be undone."</p>
                    <DeleteForm id on_cancel=Some(Callback::new(move |_| confirming.set(false)))/>
                </div>
            </div>
        </Show>
    }
}

#[component]
fn PostArticle(post: PostView) -> impl IntoView {
    let edited = (post.updated_at > post.date_posted)
        .then(|| view! { <span class="muted">{format!(" (edited {})", format_date(post.updated_at))}</span> });
    let author_href = format!("/user/{}", post.author.username);
    // A plain-text post is shown exactly as before Markdown; a Markdown post is its
    // sanitized rendering.
    let body = match post.format {
        PostFormat::Text => Either::Left(view! { <p class="post-content">{post.content}</p> }),
        PostFormat::Markdown => Either::Right(view! {
            <div class="post-content markdown" inner_html=post.content_html></div>
        }),
    };
    view! {
        <article class="card post post-full">
            <img class="avatar avatar-md" src=post.author.avatar_url alt="" width="56" height="56"/>
            <div class="post-main">
                <div class="post-meta">
                    <a class="post-author" href=author_href>{post.author.username}</a>
                    <time class="muted">{format_date(post.date_posted)}</time>
                    {edited}
                    <span class="muted reading-time">{format!("{} min read", post.reading_minutes)}</span>
                </div>
                <h1 class="post-title">{post.title}</h1>
                {body}
                <TagLinks tags=post.tags/>
            </div>
        </article>
    }
}
