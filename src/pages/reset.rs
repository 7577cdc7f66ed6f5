use super::home_if_signed_in;
use crate::components::field::{echo_for, echoed, Field, FormError, FormErrors};
use crate::components::meta::{Canonical, Description};
use crate::components::submit::{action_of, Submit};
use crate::error::AppError;
use crate::model::{Email, FieldName, FormEcho, FormId, Password};
use crate::pages::errors::ServerError;
use crate::server_fns::accounts::{check_reset_token, RequestReset, ResetPassword};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ResetRequestPage() -> impl IntoView {
    if let Some(away) = home_if_signed_in() {
        return away;
    }
    let echo = echo_for(FormId::ResetRequest);
    view! {
        <Title text="Reset Password"/>
        <Description text="Forgot your Quill password? Ask for a link to choose a new one."/>
        <Canonical path="/reset_password"/>
        <section class="card form-card">
            <ResetRequestForm echo/>
        </section>
    }
    .into_any()
}

#[island]
fn ResetRequestForm(echo: Option<FormEcho>) -> impl IntoView {
    let email = echoed(echo.as_ref(), FieldName::Email, "");
    let submit = Submit::new();
    let errors = FormErrors::new(submit, echo.as_ref());
    let action = action_of::<RequestReset>();
    view! {
        <form method="post" action=action on:submit=move |ev| submit.handle(ev)>
            <fieldset>
                <legend><h1>"Reset Password"</h1></legend>
                <p class="muted">"Enter the e-mail address of your account and we will send you a link to choose a new password."</p>
                <FormError errors/>
                <Field label="Email" name=FieldName::Email kind="email" value=email error=errors.field(FieldName::Email)
                    check=|v| Email::parse(v).map(|_| ()) autocomplete="email" required=true/>
            </fieldset>
            <button type="submit" class="button" disabled=move || submit.pending()>"Request Password Reset"</button>
        </form>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    if let Some(away) = home_if_signed_in() {
        return away;
    }
    let token = use_params_map()
        .get_untracked()
        .get("token")
        .unwrap_or_default();
    let check = Resource::new_blocking(
        {
            let token = token.clone();
            move || token.clone()
        },
        check_reset_token,
    );
    let echo = echo_for(FormId::ResetPassword);
    view! {
        <Title text="Reset Password"/>
        <Description text="Choose a new password for your Quill account."/>
        <Suspense>
            {move || {
                let token = token.clone();
                let echo = echo.clone();
                Suspend::new(async move {
                    match check.await {
                        Err(AppError::NotFound) => view! { <Redirect path="/reset_password"/> }.into_any(),
                        Err(_) => view! { <ServerError/> }.into_any(),
                        Ok(()) => view! {
                            <section class="card form-card">
                                <ResetPasswordForm token echo/>
                            </section>
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

#[island]
fn ResetPasswordForm(token: String, echo: Option<FormEcho>) -> impl IntoView {
    let submit = Submit::new();
    let errors = FormErrors::new(submit, echo.as_ref());
    let action = action_of::<ResetPassword>();
    view! {
        <form method="post" action=action on:submit=move |ev| submit.handle(ev)>
            <fieldset>
                <legend><h1>"Reset Password"</h1></legend>
                <FormError errors/>
                <input type="hidden" name="token" value=token/>
                <Field label="Password" name=FieldName::Password kind="password" error=errors.field(FieldName::Password)
                    check=|v| Password::parse(v).map(|_| ()) autocomplete="new-password" required=true/>
                <Field label="Confirm Password" name=FieldName::ConfirmPassword kind="password"
                    error=errors.field(FieldName::ConfirmPassword) autocomplete="new-password" required=true/>
            </fieldset>
            <button type="submit" class="button" disabled=move || submit.pending()>"Reset Password"</button>
        </form>
    }
}
