use super::errors::{Forbidden, NotFound, ServerError};
use super::login_required;
use crate::components::conversation::{CommentForm, CommentItem, Likes};
use crate::components::editor::{Editor, PostFields};
use crate::components::field::{echo_for, echoed, FormError, FormErrors};
use crate::components::meta::{ArticlePreview, Canonical, Description};
use crate::components::posts::{PaginationBar, TagLinks};
use crate::components::submit::{action_of, Submit};
use crate::error::AppError;
use crate::model::{
    counted, excerpt, format_date, format_datetime, login_url, parse_id, parse_page, CommentPage,
    FieldName, FormEcho, FormId, PostFormat, PostView,
};
use crate::server::conversation::{comment_for_delete, DeleteComment};
use crate::server::posts::{get_post, post_for_edit, CreatePost, DeletePost, UpdatePost};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The `{id}` of the URL, if it is a post id at all.
fn post_id() -> Option<i64> {
    use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|id| parse_id(&id))
}

/// The error pages a post page can end in.
fn error_view(err: AppError, here: &str) -> AnyView {
    match err {
        AppError::NotFound => view! { <NotFound/> }.into_any(),
        AppError::Forbidden => view! { <Forbidden/> }.into_any(),
        AppError::LoginRequired => login_required(here),
        _ => view! { <ServerError/> }.into_any(),
    }
}

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

/// Deletes the post: in the dialog (an island, sent from the browser, a refusal shown in
/// place) or on the confirmation page (a plain form).
#[component]
fn DeleteForm(id: i64, on_cancel: Option<Callback<()>>) -> impl IntoView {
    let submit = Submit::new();
    let errors = FormErrors::new(submit, None);
    let action = action_of::<DeletePost>();
    let cancel = match on_cancel {
        Some(cancel) => Either::Left(view! {
            <button type="button" class="button button-secondary" on:click=move |_| cancel.run(())>"Cancel"</button>
        }),
        None => Either::Right(
            view! { <a class="button button-secondary" href=format!("/post/{id}")>"Cancel"</a> },
        ),
    };
    view! {
        <form class="delete-form" method="post" action=action on:submit=move |ev| submit.handle(ev)>
            <FormError errors/>
            <input type="hidden" name="id" value=id/>
            <button type="submit" class="button button-danger" disabled=move || submit.pending()>"Delete"</button>
            {cancel}
        </form>
    }
}

/// `/post/{id}/delete`: the confirmation, for browsers without JavaScript.
#[component]
pub fn DeletePostPage() -> impl IntoView {
    let Some(id) = post_id() else {
        return view! { <NotFound/> }.into_any();
    };
    let post = Resource::new(move || id, post_for_edit);
    view! {
        <Title text="Delete Post"/>
        <Description text="Delete a post of yours on Quill."/>
        <Suspense>
            {move || Suspend::new(async move {
                match post.await {
                    Ok(post) => view! {
                        <section class="card form-card">
                            <h1>"Delete Post?"</h1>
                            <p>"You are about to delete " <strong>{post.title}</strong> ". This cannot be undone."</p>
                            <DeleteForm id on_cancel=None/>
                        </section>
                    }
                    .into_any(),
                    Err(err) => error_view(err, &format!("/post/{id}/delete")),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
pub fn NewPostPage() -> impl IntoView {
    if crate::components::page_context().user.is_none() {
        return login_required("/post/new");
    }
    let PostFieldValues {
        title,
        summary,
        content,
        format,
        tags,
        preview,
    } = post_fields(None);
    let echo = echo_for(FormId::Post);
    view! {
        <Title text="New Post"/>
        <Description text="Write a new post on Quill."/>
        <section class="card form-card editor">
            <NewPostForm title summary content format tags preview echo/>
        </section>
    }
    .into_any()
}

#[island]
fn NewPostForm(
    title: String,
    summary: String,
    content: String,
    format: PostFormat,
    tags: String,
    preview: Option<String>,
    echo: Option<FormEcho>,
) -> impl IntoView {
    let submit = Submit::new();
    let editor = Editor::new(preview);
    let errors = FormErrors::new(submit, echo.as_ref());
    let action = action_of::<CreatePost>();
    view! {
        <form method="post" action=action on:submit=move |ev| editor.handle(ev, submit)>
            <PostFields legend="New Post" errors editor title summary content format tags/>
            <button type="submit" class="button" disabled=move || submit.pending()>"Post"</button>
        </form>
    }
}

#[component]
pub fn EditPostPage() -> impl IntoView {
    let Some(id) = post_id() else {
        return view! { <NotFound/> }.into_any();
    };
    let post = Resource::new(move || id, post_for_edit);
    view! {
        <Title text="Update Post"/>
        <Description text="Change a post of yours on Quill."/>
        <Suspense>
            {move || Suspend::new(async move {
                match post.await {
                    Ok(post) => {
                        let PostFieldValues { title, summary, content, format, tags, preview } =
                            post_fields(Some(&post));
                        let echo = echo_for(FormId::Post);
                        view! {
                            <section class="card form-card editor">
                                <EditPostForm id title summary content format tags preview echo/>
                            </section>
                        }
                        .into_any()
                    }
                    Err(err) => error_view(err, &format!("/post/{id}/update")),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[island]
fn EditPostForm(
    id: i64,
    title: String,
    summary: String,
    content: String,
    format: PostFormat,
    tags: String,
    preview: Option<String>,
    echo: Option<FormEcho>,
) -> impl IntoView {
    let submit = Submit::new();
    let editor = Editor::new(preview);
    let errors = FormErrors::new(submit, echo.as_ref());
    let action = action_of::<UpdatePost>();
    view! {
        <form method="post" action=action on:submit=move |ev| editor.handle(ev, submit)>
            <input type="hidden" name="id" value=id/>
            <PostFields legend="Update Post" errors editor title summary content format tags/>
            <button type="submit" class="button" disabled=move || submit.pending()>"Update"</button>
            <a class="form-aside" href=format!("/post/{id}")>"Cancel"</a>
        </form>
    }
}

/// What a post form shows.
struct PostFieldValues {
    title: String,
    summary: String,
    content: String,
    format: PostFormat,
    /// As the field shows them: `a, b`.
    tags: String,
    /// The preview the Preview button asked for (without JavaScript), rendered here.
    preview: Option<String>,
}

/// The values to show: those of a refused or previewed post, else the post being edited (a
/// new post: empty, in Markdown).
fn post_fields(post: Option<&PostView>) -> PostFieldValues {
    let stored_format = post.map_or(PostFormat::Markdown, |p| p.format);
    match echo_for(FormId::Post) {
        Some(echo) => {
            let content = echoed(Some(&echo), FieldName::Content, "");
            let format = echo
                .value(FieldName::Format)
                .and_then(|f| PostFormat::parse(f).ok())
                .unwrap_or(stored_format);
            let preview = echo
                .value(FieldName::Preview)
                .is_some()
                .then(|| preview_html(&content, format))
                .flatten();
            PostFieldValues {
                title: echoed(Some(&echo), FieldName::Title, ""),
                summary: echoed(Some(&echo), FieldName::Summary, ""),
                content,
                format,
                tags: echoed(Some(&echo), FieldName::Tags, ""),
                preview,
            }
        }
        None => PostFieldValues {
            title: post.map(|p| p.title.clone()).unwrap_or_default(),
            summary: post.map(|p| p.summary.clone()).unwrap_or_default(),
            content: post.map(|p| p.content.clone()).unwrap_or_default(),
            format: stored_format,
            tags: post.map(|p| p.tags.join(", ")).unwrap_or_default(),
            preview: None,
        },
    }
}

/// The server's rendering of a previewed content (pages are rendered on the server only).
fn preview_html(content: &str, format: PostFormat) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        crate::domain::posts::preview(content, format.as_str()).ok()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (content, format);
        None
    }
}

/// `/post/{id}/comment/{comment}/delete`: the confirmation, for browsers without JavaScript.
#[component]
pub fn DeleteCommentPage() -> impl IntoView {
    let comment_id = use_params_map()
        .get_untracked()
        .get("comment")
        .and_then(|id| parse_id(&id));
    let (Some(id), Some(comment_id)) = (post_id(), comment_id) else {
        return view! { <NotFound/> }.into_any();
    };
    let comment = Resource::new(
        move || (id, comment_id),
        |(id, c)| comment_for_delete(id, c),
    );
    let delete_comment_action = action_of::<DeleteComment>();
    view! {
        <Title text="Delete Comment"/>
        <Description text="Delete a comment on Quill."/>
        <Suspense>
            {move || Suspend::new(async move {
                match comment.await {
                    Ok(comment) => view! {
                        <section class="card form-card">
                            <h1>"Delete Comment?"</h1>
                            <p>"You are about to delete this comment by " <strong>{comment.author.username}</strong> ". This cannot be undone."</p>
                            <blockquote class="comment-body">{comment.body}</blockquote>
                            <form class="delete-form" method="post" action=delete_comment_action>
                                <input type="hidden" name="post_id" value=id/>
                                <input type="hidden" name="id" value=comment_id/>
                                <button type="submit" class="button button-danger">"Delete"</button>
                                <a class="button button-secondary" href=format!("/post/{id}#comment-{comment_id}")>"Cancel"</a>
                            </form>
                        </section>
                    }
                    .into_any(),
                    Err(err) => error_view(err, &format!("/post/{id}/comment/{comment_id}/delete")),
                }
            })}
        </Suspense>
    }
    .into_any()
}
