use super::home_if_signed_in;
use crate::components::field::{echo_for, Field, FormError, FormErrors};
use crate::model::{Email, Password, Username};
use crate::server::accounts::Register;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn RegisterPage() -> impl IntoView {
    if let Some(away) = home_if_signed_in() {
        return away;
    }
    let echo = echo_for("register");
    let value = |field: &str| {
        echo.as_ref()
            .and_then(|e| e.value(field))
            .unwrap_or_default()
            .to_string()
    };
    let (username, email) = (value("username"), value("email"));
    let action = ServerAction::<Register>::new();
    let errors = FormErrors::new(move || action.value().get(), echo.as_ref());
    view! {
        <Title text="Register"/>
        <section class="card form-card">
            <ActionForm action>
                <fieldset>
                    <legend>"Join Today"</legend>
                    <FormError errors/>
                    <Field label="Username" name="username" value=username error=errors.field("username")
                        check=|v| Username::parse(v).map(|_| ()) autocomplete="username" required=true/>
                    <Field label="Email" name="email" kind="email" value=email error=errors.field("email")
                        check=|v| Email::parse(v).map(|_| ()) autocomplete="email" required=true/>
                    <Field label="Password" name="password" kind="password" error=errors.field("password")
                        check=|v| Password::parse(v).map(|_| ()) autocomplete="new-password" required=true/>
                    <Field label="Confirm Password" name="confirm_password" kind="password"
                        error=errors.field("confirm_password") autocomplete="new-password" required=true/>
                </fieldset>
                <button type="submit" class="button" disabled=move || action.pending().get()>"Sign Up"</button>
            </ActionForm>
            <p class="form-footer">"Already have an account? " <a href="/login">"Sign In"</a></p>
        </section>
    }
    .into_any()
}
