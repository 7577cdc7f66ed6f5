use super::home_if_signed_in;
use crate::components::field::{echo_for, echoed, Field, FormError, FormErrors};
use crate::components::meta::{Canonical, Description};
use crate::components::submit::{action_of, Submit};
use crate::model::{safe_next, FieldName, FormEcho, FormId};
use crate::server_fns::accounts::Login;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    if let Some(away) = home_if_signed_in() {
        return away;
    }
    let next = safe_next(use_query_map().get_untracked().get("next").as_deref());
    let echo = echo_for(FormId::Login);
    view! {
        <Title text="Login"/>
        <Description text="Log in to Quill to write, edit and delete your posts."/>
        <Canonical path="/login"/>
        <section class="card form-card">
            <LoginForm echo next/>
            <p class="form-footer">"Need an account? " <a href="/register">"Sign Up Now"</a></p>
        </section>
    }
    .into_any()
}

#[island]
fn LoginForm(echo: Option<FormEcho>, next: Option<String>) -> impl IntoView {
    let email = echoed(echo.as_ref(), FieldName::Email, "");
    let remembered = !echoed(echo.as_ref(), FieldName::Remember, "").is_empty();
    let submit = Submit::new();
    let errors = FormErrors::new(submit, echo.as_ref());
    let action = action_of::<Login>();
    view! {
        <form method="post" action=action on:submit=move |ev| submit.handle(ev)>
            <fieldset>
                <legend><h1>"Log In"</h1></legend>
                <FormError errors/>
                <Field label="Email" name=FieldName::Email kind="email" value=email error=errors.field(FieldName::Email)
                    autocomplete="email" required=true/>
                <Field label="Password" name=FieldName::Password kind="password" error=errors.field(FieldName::Password)
                    autocomplete="current-password" required=true/>
                <div class="field field-check">
                    <input id="field-remember" type="checkbox" name=FieldName::Remember.as_str() value="on" checked=remembered/>
                    <label for="field-remember">"Remember me"</label>
                </div>
                {next.map(|next| view! { <input type="hidden" name="next" value=next/> })}
            </fieldset>
            <button type="submit" class="button" disabled=move || submit.pending()>"Login"</button>
            <a class="form-aside" href="/reset_password">"Forgot password?"</a>
        </form>
    }
}
