//! The post editor's fields: title, format, and the content with its Write and Preview tabs.
//!
//! The preview is rendered by the server (`preview_post`), so no Markdown parser is in the
//! browser's bundle. With JavaScript the Preview tab fetches it and shows it in place of the
//! text area; without, the Preview tab is a submit button that sends the form, and the server
//! answers with the same form page, the text kept and the preview shown above it.

use super::field::{Field, FormError, FormErrors};
use super::submit::Submit;
use super::text::textarea_text;
use crate::error::AppError;
use crate::model::{FieldName, PostFormat, PostSummary, PostTitle, Tags};
use leptos::prelude::*;
use leptos::web_sys::SubmitEvent;

/// What the editor shows and the preview it last got.
#[derive(Clone, Copy)]
pub struct Editor {
    previewing: RwSignal<bool>,
    preview: RwSignal<Option<Result<String, AppError>>>,
    loading: RwSignal<bool>,
}

impl Editor {
    /// `preview`: one the server rendered for a form sent with its Preview button.
    pub fn new(preview: Option<String>) -> Self {
        Self {
            previewing: RwSignal::new(false),
            preview: RwSignal::new(preview.map(Ok)),
            loading: RwSignal::new(false),
        }
    }

    /// Back to the text (the Write tab).
    pub fn write(self) {
        self.previewing.set(false);
        self.preview.set(None);
    }

    /// The form's `submit` handler: the Preview tab previews, any other button sends the form.
    pub fn handle(self, ev: SubmitEvent, submit: Submit) {
        if is_preview(&ev) {
            ev.prevent_default();
            #[cfg(feature = "hydrate")]
            self.fetch_preview(&ev);
        } else {
            submit.handle(ev);
        }
    }

    #[cfg(feature = "hydrate")]
    fn fetch_preview(self, ev: &SubmitEvent) {
        use leptos::wasm_bindgen::JsCast;
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        self.previewing.set(true);
        self.loading.set(true);
        leptos::task::spawn_local(async move {
            let answer = super::submit::fetch_json::<String>(
                &form,
                super::submit::action_of::<crate::server_fns::posts::PreviewPost>(),
            )
            .await;
            self.preview.set(Some(answer));
            self.loading.set(false);
        });
    }
}

/// Whether the form was sent by its Preview tab.
fn is_preview(ev: &SubmitEvent) -> bool {
    #[cfg(feature = "hydrate")]
    {
        ev.submitter()
            .and_then(|button| button.get_attribute("name"))
            .is_some_and(|name| name == FieldName::Preview.as_str())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        false
    }
}

/// The fields of a post form.
#[component]
pub fn PostFields(
    legend: &'static str,
    errors: FormErrors,
    editor: Editor,
    title: String,
    summary: String,
    content: String,
    format: PostFormat,
    tags: String,
) -> impl IntoView {
    let content_error = errors.field(FieldName::Content);
    let format_error = errors.field(FieldName::Format);
    let options = [PostFormat::Markdown, PostFormat::Text].map(|option| {
        view! {
            <option value=option.as_str() selected=option == format>{option.label()}</option>
        }
    });
    let preview = move || {
        editor.preview.get().map(|answer| match answer {
            Ok(html) if html.trim().is_empty() => {
                view! { <p class="muted">"Nothing to preview yet."</p> }.into_any()
            }
            Ok(html) => {
                view! { <div class="post-content markdown" inner_html=html></div> }.into_any()
            }
            Err(err) => {
                view! { <div class="alert alert-danger" role="alert">{err.to_string()}</div> }
                    .into_any()
            }
        })
    };
    view! {
        <fieldset>
            <legend><h1>{legend}</h1></legend>
            <FormError errors/>
            <Field label="Title" name=FieldName::Title value=title error=errors.field(FieldName::Title)
                check=|v| PostTitle::parse(v).map(|_| ()) required=true/>
            <Field label="Summary" name=FieldName::Summary value=summary error=errors.field(FieldName::Summary)
                check=|v| PostSummary::parse(v).map(|_| ())
                help="Optional: one line of up to 200 characters, shown in lists instead of the start of the post."/>
            <div class="field" class:has-error=move || format_error.get().is_some()>
                <label for="field-format">"Format"</label>
                <select id="field-format" name=FieldName::Format.as_str() aria-describedby="field-format-error">
                    {options}
                </select>
                <div class="field-error" id="field-format-error">{move || format_error.get()}</div>
            </div>
            <div class="field" class:has-error=move || content_error.get().is_some()>
                <div class="editor-head">
                    <label for="field-content">"Content"</label>
                    <div class="tabs" role="tablist" aria-label="Editor">
                        <button type="button" role="tab" class="tab" aria-controls="field-content"
                            aria-selected=move || (!editor.previewing.get()).to_string()
                            on:click=move |_| editor.write()>"Write"</button>
                        <button type="submit" role="tab" class="tab" formnovalidate=true
                            name=FieldName::Preview.as_str() value="1" aria-controls="post-preview"
                            aria-selected=move || editor.previewing.get().to_string()>"Preview"</button>
                    </div>
                </div>
                <div id="post-preview" class="card preview" role="tabpanel" aria-live="polite"
                    class:hidden=move || editor.preview.read().is_none() && !editor.loading.get()>
                    {move || editor.loading.get().then(|| view! { <p class="muted">"Rendering the preview…"</p> })}
                    {preview}
                </div>
                <textarea id="field-content" name=FieldName::Content.as_str() rows="12" required=true
                    class:hidden=move || editor.previewing.get()
                    aria-describedby="field-content-error field-content-help">{textarea_text(&content)}</textarea>
                <p class="field-help muted" id="field-content-help">
                    "In Markdown: **bold**, *italic*, [links](https://example.org), lists, tables, "
                    "`code` and fenced code blocks. HTML is shown as text."
                </p>
                <div class="field-error" id="field-content-error">{move || content_error.get()}</div>
            </div>
            <Field label="Tags" name=FieldName::Tags value=tags error=errors.field(FieldName::Tags)
                check=|v| Tags::parse(v).map(|_| ()) placeholder="rust, web-dev"
                help="Up to five, separated by commas: lower-case letters, digits and hyphens."/>
        </fieldset>
    }
}
