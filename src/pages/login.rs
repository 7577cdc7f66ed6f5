use super::home_if_signed_in;
use crate::components::field::{echo_for, Field, FormError, FormErrors};
use crate::model::safe_next;
use crate::server::accounts::Login;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    if let Some(away) = home_if_signed_in() {
        return away;
    }
    let next = safe_next(use_query_map().get_untracked().get("next").as_deref());
    let echo = echo_for("login");
    let email = echo
        .as_ref()
        .and_then(|e| e.value("email"))
        .unwrap_or_default()
        .to_string();
    let remembered = echo
        .as_ref()
        .and_then(|e| e.value("remember"))
        .is_some_and(|v| !v.is_empty());
    let action = ServerAction::<Login>::new();
    let errors = FormErrors::new(move || action.value().get(), echo.as_ref());
    view! {
        <Title text="Login"/>
        <section class="card form-card">
            <ActionForm action>
                <fieldset>
                    <legend>"Log In"</legend>
                    <FormError errors/>
                    <Field label="Email" name="email" kind="email" value=email error=errors.field("email")
                        autocomplete="email" required=true/>
                    <Field label="Password" name="password" kind="password" error=errors.field("password")
                        autocomplete="current-password" required=true/>
                    <div class="field field-check">
                        <input id="field-remember" type="checkbox" name="remember" value="on" checked=remembered/>
                        <label for="field-remember">"Remember me"</label>
                    </div>
                    {next.map(|next| view! { <input type="hidden" name="next" value=next/> })}
                </fieldset>
                <button type="submit" class="button" disabled=move || action.pending().get()>"Login"</button>
                <a class="form-aside" href="/reset_password">"Forgot password?"</a>
            </ActionForm>
            <p class="form-footer">"Need an account? " <a href="/register">"Sign Up Now"</a></p>
        </section>
    }
    .into_any()
}
