//! `/post/new` and `/post/{id}/update`: the editor's pages.

use super::*;

#[component]
pub fn NewPostPage() -> impl IntoView {
    if crate::components::page_context().user.is_none() {
        return login_required("/post/new");
    }
    view! {
        <Title text="New Post"/>
        <Description text="Write a new post on Quill."/>
        <Suspense>
            {Suspend::new(async move {
                let PostFieldValues { title, summary, content, format, tags, preview } =
                    post_fields(None).await;
                let echo = echo_for(FormId::Post);
                view! {
                    <section class="card form-card editor">
                        <NewPostForm title summary content format tags preview echo/>
                    </section>
                }
            })}
        </Suspense>
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
                            post_fields(Some(&post)).await;
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
async fn post_fields(post: Option<&PostView>) -> PostFieldValues {
    let stored_format = post.map_or(PostFormat::Markdown, |p| p.format);
    match echo_for(FormId::Post) {
        Some(echo) => {
            let content = echoed(Some(&echo), FieldName::Content, "");
            let format = echo
                .value(FieldName::Format)
                .and_then(|f| PostFormat::parse(f).ok())
                .unwrap_or(stored_format);
            let preview = match echo.value(FieldName::Preview) {
                Some(_) => preview_html(&content, format).await,
                None => None,
            };
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

/// The server's rendering of a previewed content (pages are rendered on the server only), on
/// the rendering threads as a saved post's is.
async fn preview_html(content: &str, format: PostFormat) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let ctx = crate::web::request::RequestContext::current().ok()?;
        crate::domain::posts::preview(ctx.state(), content, format.as_str())
            .await
            .ok()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (content, format);
        None
    }
}
