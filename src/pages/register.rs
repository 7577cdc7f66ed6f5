use super::home_if_signed_in;
use crate::components::field::{echo_for, echoed, Field, FormError, FormErrors};
use crate::components::meta::{Canonical, Description};
use crate::components::submit::{action_of, Submit};
use crate::model::{Email, FieldName, FormEcho, FormId, Password, Username};
use crate::server_fns::accounts::Register;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn RegisterPage() -> impl IntoView {
    if let Some(away) = home_if_signed_in() {
        return away;
    }
    let echo = echo_for(FormId::Register);
    view! {
        <Title text="Register"/>
        <Description text="Create a Quill account to write posts of your own."/>
        <Canonical path="/register"/>
        <section class="card form-card">
            <RegisterForm echo/>
            <p class="form-footer">"Already have an account? " <a href="/login">"Sign In"</a></p>
        </section>
    }
    .into_any()
}

#[island]
fn RegisterForm(echo: Option<FormEcho>) -> impl IntoView {
    let username = echoed(echo.as_ref(), FieldName::Username, "");
    let email = echoed(echo.as_ref(), FieldName::Email, "");
    let submit = Submit::new();
    let errors = FormErrors::new(submit, echo.as_ref());
    let action = action_of::<Register>();
    view! {
        <form method="post" action=action on:submit=move |ev| submit.handle(ev)>
            <fieldset>
                <legend><h1>"Join Today"</h1></legend>
                <FormError errors/>
                <Field label="Username" name=FieldName::Username value=username error=errors.field(FieldName::Username)
                    check=|v| Username::parse(v).map(|_| ()) autocomplete="username" required=true/>
                <Field label="Email" name=FieldName::Email kind="email" value=email error=errors.field(FieldName::Email)
                    check=|v| Email::parse(v).map(|_| ()) autocomplete="email" required=true/>
                <Field label="Password" name=FieldName::Password kind="password" error=errors.field(FieldName::Password)
                    check=|v| Password::parse(v).map(|_| ()) autocomplete="new-password" required=true/>
                <Field label="Confirm Password" name=FieldName::ConfirmPassword kind="password"
                    error=errors.field(FieldName::ConfirmPassword) autocomplete="new-password" required=true/>
            </fieldset>
            <button type="submit" class="button" disabled=move || submit.pending()>"Sign Up"</button>
        </form>
    }
}
