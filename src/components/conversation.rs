//! Likes, follows and comments on the pages. For a visitor they are plain text and links to
//! the login page (no script); for someone signed in they are islands: plain forms that work
//! without JavaScript (the server sends the browser back), and with it are sent by `fetch`,
//! their outcome shown in place without a page load.

use super::submit::action_of;
use super::text::textarea_text;
use crate::error::AppError;
use crate::model::{counted, format_date, login_url, CommentBody, CommentView, FieldName, Toggled};
use crate::server_fns::conversation::{AddComment, DeleteComment, FollowUser, LikePost};
use leptos::prelude::*;
use leptos::web_sys::SubmitEvent;

/// Sends the form of `ev` to its server function and hands its JSON answer to `done`.
fn send<T>(ev: SubmitEvent, pending: RwSignal<bool>, done: impl Fn(Result<T, AppError>) + 'static)
where
    T: serde::de::DeserializeOwned + 'static,
{
    send_form(
        ev,
        pending,
        Box::new(move |answer: Result<String, AppError>| {
            done(
                answer.and_then(|text| serde_json::from_str(&text).map_err(|_| AppError::Internal)),
            )
        }),
    );
}

/// The part of [`send`] that does not depend on the answer's type: one copy in the bundle.
fn send_form(
    ev: SubmitEvent,
    pending: RwSignal<bool>,
    done: Box<dyn Fn(Result<String, AppError>)>,
) {
    ev.prevent_default();
    if pending.get_untracked() {
        return;
    }
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        pending.set(true);
        leptos::task::spawn_local(async move {
            let answer = super::submit::fetch_text(&form, &form.action()).await;
            pending.set(false);
            done(answer);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = done;
}

/// A refusal that needs the login page sends the browser there (coming back to this page);
/// any other is shown.
fn shown_error(err: AppError) -> Option<String> {
    if err == AppError::LoginRequired {
        #[cfg(feature = "hydrate")]
        {
            let here = window().location().pathname().unwrap_or_default();
            let _ = window().location().set_href(&login_url(&here));
        }
        return None;
    }
    Some(err.to_string())
}

/// A post's likes: a toggle for someone signed in, the count (and a way to log in) for a
/// visitor.
#[component]
pub fn Likes(post_id: i64, liked: bool, likes: u64) -> impl IntoView {
    if crate::components::page_context().user.is_some() {
        view! { <Toggle kind=ToggleKind::Like id=post_id on=liked count=likes back=None/> }
            .into_any()
    } else {
        let label = counted(likes, "like", "likes");
        view! {
            <a class="likes" href=login_url(&format!("/post/{post_id}")) title="Log in to like it"
                aria-label=label.clone()>
                <span aria-hidden="true">"♡ "</span>{likes.to_string()}
            </a>
        }
        .into_any()
    }
}

/// Follow / Unfollow for someone signed in (not on their own page), with the follower count.
#[component]
pub fn Follow(user_id: i64, username: String, followed: bool, followers: u64) -> impl IntoView {
    let back = Some(format!("/user/{username}"));
    view! { <Toggle kind=ToggleKind::Follow id=user_id on=followed count=followers back/> }
}

/// What a toggle switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ToggleKind {
    Like,
    Follow,
}

/// How a toggle looks in a state: its button's class, text and label for screen readers, and
/// the count beside it.
struct ToggleLook {
    class: &'static str,
    text: String,
    label: Option<String>,
    count: Option<String>,
}

fn toggle_look(kind: ToggleKind, state: Toggled) -> ToggleLook {
    match kind {
        ToggleKind::Like => ToggleLook {
            class: if state.on { "likes liked" } else { "likes" },
            text: format!("{} {}", if state.on { "♥" } else { "♡" }, state.count),
            label: Some(format!(
                "{}, {}",
                if state.on { "Liked" } else { "Like" },
                counted(state.count, "like", "likes")
            )),
            count: None,
        },
        ToggleKind::Follow => ToggleLook {
            class: if state.on {
                "button button-secondary"
            } else {
                "button"
            },
            text: if state.on { "Unfollow" } else { "Follow" }.to_string(),
            label: None,
            count: Some(counted(state.count, "follower", "followers")),
        },
    }
}

/// A like or a follow, for someone signed in: one island for both, so the bundle carries one.
#[island]
fn Toggle(kind: ToggleKind, id: i64, on: bool, count: u64, back: Option<String>) -> impl IntoView {
    let state = RwSignal::new(Toggled { on, count });
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let on_submit = move |ev: SubmitEvent| {
        send(
            ev,
            pending,
            move |answer: Result<Toggled, AppError>| match answer {
                Ok(now) => {
                    state.set(now);
                    error.set(None);
                }
                Err(err) => error.set(shown_error(err)),
            },
        )
    };
    let (form_class, action) = match kind {
        ToggleKind::Like => ("like-form", action_of::<LikePost>()),
        ToggleKind::Follow => ("follow-form", action_of::<FollowUser>()),
    };
    let look = Memo::new(move |_| {
        let l = toggle_look(kind, state.get());
        (l.class, l.text, l.label, l.count)
    });
    view! {
        <form class=form_class method="post" action=action on:submit=on_submit>
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="on" value=move || (!state.get().on).to_string()/>
            {back.map(|back| view! { <input type="hidden" name="back" value=back/> })}
            <button type="submit" class=move || look.get().0
                aria-pressed=move || state.get().on.to_string()
                aria-label=move || look.get().2 disabled=move || pending.get()>
                {move || look.get().1}
            </button>
            {move || look.get().3.map(|c| view! { <span class="muted follower-count">{c}</span> })}
            {move || error.get().map(|e| view! { <span class="field-error" role="alert">{e}</span> })}
        </form>
    }
}

/// One comment. `deletable`: how its Delete control is made, when the reader may delete it.
#[component]
fn CommentBodyView(comment: CommentView) -> impl IntoView {
    let href = format!("/user/{}", comment.author.username);
    view! {
        <img class="avatar avatar-sm" src=comment.author.avatar_url alt="" width="36" height="36" loading="lazy"/>
        <div class="comment-main">
            <div class="post-meta">
                <a class="post-author" href=href>{comment.author.username}</a>
                <time class="muted">{format_date(comment.created_at)}</time>
            </div>
            <p class="comment-body">{comment.body}</p>
        </div>
    }
}

/// A comment in the server's list; its Delete control is an island of its own.
#[component]
pub fn CommentItem(comment: CommentView) -> impl IntoView {
    let id = comment.id;
    let post_id = comment.post_id;
    let delete = comment
        .can_delete
        .then(|| view! { <CommentDelete post_id id/> });
    view! {
        <li class="comment" id=format!("comment-{id}")>
            <CommentBodyView comment/>
            {delete}
        </li>
    }
}

/// Delete for a comment in the server's list: removes the comment from the page once the
/// server has deleted it.
#[island]
fn CommentDelete(post_id: i64, id: i64) -> impl IntoView {
    let on_deleted = Callback::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(item) = document().get_element_by_id(&format!("comment-{id}")) {
            item.remove();
        }
    });
    view! { <DeleteControl post_id id on_deleted/> }
}

/// The Delete link of a comment: without JavaScript it opens the confirmation page; with it,
/// a dialog whose form deletes the comment in place.
#[component]
fn DeleteControl(post_id: i64, id: i64, on_deleted: Callback<()>) -> impl IntoView {
    let delete_action = action_of::<DeleteComment>();
    let confirming = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let on_submit = move |ev: SubmitEvent| {
        send(
            ev,
            pending,
            move |answer: Result<(), AppError>| match answer {
                Ok(()) => {
                    confirming.set(false);
                    on_deleted.run(());
                }
                Err(err) => error.set(shown_error(err)),
            },
        )
    };
    view! {
        <a class="comment-delete" href=format!("/post/{post_id}/comment/{id}/delete")
            on:click=move |ev| { ev.prevent_default(); confirming.set(true); }>"Delete"</a>
        <Show when=move || confirming.get()>
            <div class="modal-backdrop">
                <div class="modal card" role="dialog" aria-modal="true" aria-labelledby=format!("delete-comment-{id}")>
                    <h2 id=format!("delete-comment-{id}")>"Delete Comment?"</h2>
                    <p>"This cannot be undone."</p>
                    {move || error.get().map(|e| view! { <div class="alert alert-danger" role="alert">{e}</div> })}
                    <form class="delete-form" method="post" action=delete_action on:submit=on_submit>
                        <input type="hidden" name="post_id" value=post_id/>
                        <input type="hidden" name="id" value=id/>
                        <button type="submit" class="button button-danger" disabled=move || pending.get()>"Delete"</button>
                        <button type="button" class="button button-secondary" on:click=move |_| confirming.set(false)>"Cancel"</button>
                    </form>
                </div>
            </div>
        </Show>
    }
}

/// The comment form, for someone signed in. With JavaScript a new comment is added below the
/// list without a page load (and may be deleted there too); without, the server sends the
/// browser to it on the post's page. `text` and `error`: a refused plain form's.
#[island]
pub fn CommentForm(post_id: i64, text: String, error: Option<String>) -> impl IntoView {
    let add_action = action_of::<AddComment>();
    let added = RwSignal::new(Vec::<CommentView>::new());
    let pending = RwSignal::new(false);
    let message = RwSignal::new(error);
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let on_submit = move |ev: SubmitEvent| {
        send(
            ev,
            pending,
            move |answer: Result<CommentView, AppError>| match answer {
                Ok(comment) => {
                    added.update(|list| list.push(comment));
                    message.set(None);
                    if let Some(area) = textarea.get_untracked() {
                        area.set_value("");
                    }
                }
                Err(AppError::Invalid(errors)) => message.set(
                    errors
                        .get(FieldName::Content)
                        .or(errors.get(FieldName::Form))
                        .map(str::to_string),
                ),
                Err(err) => message.set(shown_error(err)),
            },
        )
    };
    let on_input = move |ev: leptos::ev::Event| {
        if message.get_untracked().is_some() {
            message.set(CommentBody::parse(&event_target_value(&ev)).err());
        }
    };
    let new_comments = move || {
        added
            .get()
            .into_iter()
            .map(|comment| {
                let id = comment.id;
                let on_deleted =
                    Callback::new(move |_| added.update(|list| list.retain(|c| c.id != id)));
                view! {
                    <li class="comment" id=format!("comment-{id}")>
                        <CommentBodyView comment/>
                        <DeleteControl post_id id on_deleted/>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <ol class="comments comments-added" aria-live="polite">{new_comments}</ol>
        <form id="comment-form" class="comment-form" method="post" action=add_action on:submit=on_submit>
            <input type="hidden" name="post_id" value=post_id/>
            <div class="field" class:has-error=move || message.get().is_some()>
                <label for="field-comment">"Add a comment"</label>
                <textarea id="field-comment" name=FieldName::Content.as_str() rows="4" required=true
                    maxlength=CommentBody::MAX.to_string() node_ref=textarea on:input=on_input
                    aria-describedby="field-comment-error">{textarea_text(&text)}</textarea>
                <div class="field-error" id="field-comment-error">{move || message.get()}</div>
            </div>
            <button type="submit" class="button" disabled=move || pending.get()>"Comment"</button>
        </form>
    }
}
