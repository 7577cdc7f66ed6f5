//! Deleting a post or a comment: the dialog's form and the confirmation pages.

use super::*;

/// Deletes the post: in the dialog (an island, sent from the browser, a refusal shown in
/// place) or on the confirmation page (a plain form).
#[component]
pub(super) fn DeleteForm(id: i64, on_cancel: Option<Callback<()>>) -> impl IntoView {
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
