use super::submit::Submit;
use crate::error::AppError;
use crate::model::{FieldErrors, FieldName, FormEcho, FormId};
use leptos::prelude::*;

/// The errors a form shows: those of the last answer to its `submit`, or, on a page loaded
/// after a refused plain-HTML post, those carried in the flash.
#[derive(Clone, Copy)]
pub struct FormErrors(Signal<FieldErrors>);

impl FormErrors {
    pub fn new(submit: Submit, echo: Option<&FormEcho>) -> Self {
        let from_echo = echo.map(|e| e.errors.clone()).unwrap_or_default();
        Self(Signal::derive(move || match &submit.answer() {
            Some(Err(AppError::Invalid(errors))) => errors.clone(),
            Some(Err(other)) => FieldErrors::single(FieldName::Form, other.to_string()),
            Some(Ok(_)) => FieldErrors::default(),
            None => from_echo.clone(),
        }))
    }

    pub fn field(self, name: FieldName) -> Signal<Option<String>> {
        Signal::derive(move || self.0.read().get(name).map(str::to_string))
    }
}

/// The refused form carried to this page, if it is `form`.
pub fn echo_for(form: FormId) -> Option<FormEcho> {
    crate::components::page_context().echo_for(form)
}

/// The value to show in a field: the one typed into a refused form, else `current`.
pub fn echoed(echo: Option<&FormEcho>, field: FieldName, current: &str) -> String {
    echo.and_then(|e| e.value(field))
        .unwrap_or(current)
        .to_string()
}

/// A message about the form as a whole.
#[component]
pub fn FormError(errors: FormErrors) -> impl IntoView {
    let message = errors.field(FieldName::Form);
    move || {
        message
            .get()
            .map(|m| view! { <div class="alert alert-danger form-error" role="alert">{m}</div> })
    }
}

/// A rule a field's value must pass, shared with the server.
pub type Check = fn(&str) -> Result<(), String>;

/// A labelled input with its error. With a `check`, the field is validated in the browser as
/// soon as it loses focus, by the same rule the server applies.
#[component]
pub fn Field(
    label: &'static str,
    name: FieldName,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: String,
    error: Signal<Option<String>>,
    #[prop(optional)] check: Option<Check>,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] placeholder: &'static str,
    /// A line under the field on what it takes.
    #[prop(optional)]
    help: &'static str,
) -> impl IntoView {
    let live = RwSignal::new(None::<Option<String>>);
    // A new answer from the server replaces what the browser found.
    Effect::new(move |_| {
        error.track();
        live.set(None);
    });
    let shown = move || match live.get() {
        Some(local) => local,
        None => error.get(),
    };
    let name = name.as_str();
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let help_id = format!("{id}-help");
    let described_by = if help.is_empty() {
        error_id.clone()
    } else {
        format!("{error_id} {help_id}")
    };
    // Checked when the field is left; once it shows an error, checked at every keystroke, so
    // the message goes while typing and not on the click that follows (a layout shift under
    // the pointer would swallow that click).
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(check) = check {
            live.set(Some(check(&event_target_value(&ev)).err()));
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        if shown().is_some() {
            match check {
                Some(check) => live.set(Some(check(&event_target_value(&ev)).err())),
                None => live.set(Some(None)),
            }
        }
    };
    view! {
        <div class="field" class:has-error=move || shown().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                required=required
                placeholder=(!placeholder.is_empty()).then_some(placeholder)
                aria-invalid=move || shown().is_some().to_string()
                aria-describedby=described_by
                on:change=on_change
                on:input=on_input
            />
            {(!help.is_empty()).then(|| view! { <p class="field-help muted" id=help_id>{help}</p> })}
            <div class="field-error" id=error_id>{shown}</div>
        </div>
    }
}
