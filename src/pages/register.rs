use super::home_if_signed_in;
use crate::components::field::{echo_for, echoed, Field, FormError, FormErrors};
use crate::model::{Email, FieldName, FormId, Password, Username};
use crate::server::accounts::Register;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn RegisterPage() -> impl IntoView {
    if let Some(away) = home_if_signed_in() {
        return away;
    }
    let echo = echo_for(FormId::Register);
    let username = echoed(echo.as_ref(), FieldName::Username, "");
    let email = echoed(echo.as_ref(), FieldName::Email, "");
    let action = ServerAction::<Register>::new();
    let errors = FormErrors::new(move || action.value().get(), echo.as_ref());
    view! {
        <Title text="Register"/>
        <section class="card form-card">
            <ActionForm action>
                <fieldset>
                    <legend>"Join Today"</legend>
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
                <button type="submit" class="button" disabled=move || action.pending().get()>"Sign Up"</button>
            </ActionForm>
            <p class="form-footer">"Already have an account? " <a href="/login">"Sign In"</a></p>
        </section>
    }
    .into_any()
}
