use super::login_required;
use crate::components::field::{echo_for, echoed, Field, FormError, FormErrors};
use crate::components::meta::Description;
use crate::components::submit::{action_of, Submit};
use crate::components::text::textarea_text;
use crate::model::{Bio, Email, FieldName, FormEcho, FormId, Username};
use crate::server_fns::accounts::{DeleteAccount, LogoutEverywhere, UpdateAccount};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let Some(user) = crate::components::page_context().user else {
        return login_required("/account");
    };
    let echo = echo_for(FormId::Account);
    let username = echoed(echo.as_ref(), FieldName::Username, &user.username);
    let email = echoed(echo.as_ref(), FieldName::Email, &user.email);
    let bio = echoed(echo.as_ref(), FieldName::Bio, &user.bio);
    let logout_everywhere = ServerAction::<LogoutEverywhere>::new();
    view! {
        <Title text="Account"/>
        <Description text="Your Quill account: username, e-mail address, picture, password and sessions."/>
        <section class="card form-card">
            <div class="account-head">
                <img class="avatar avatar-lg" src=user.avatar_url.clone() alt="Your profile picture" width="125" height="125"/>
                <div>
                    <h1 class="account-name">{user.username.clone()}</h1>
                    <p class="muted account-email">{user.email.clone()}</p>
                </div>
            </div>
            <AccountForm username email bio echo/>
        </section>
        <section class="card form-card">
            <h2>"Sessions"</h2>
            <p class="muted">"Signed in on another device, or gave a program an API token? End them all, this one too."</p>
            <ActionForm action=logout_everywhere>
                <button type="submit" class="button button-secondary">"Log out everywhere"</button>
            </ActionForm>
        </section>
        <section class="card form-card" aria-labelledby="export-account">
            <h2 id="export-account">"Your data"</h2>
            <p class="muted">"Everything you wrote, in one zip: each post as a Markdown file (with its title, dates and tags at the top, as Jekyll and Hugo read them) and all of them as JSON, your comments, likes and follows, your profile and picture."</p>
            <a class="button button-secondary" href="/account/export" download>"Export my data"</a>
        </section>
        <DeleteAccountForm/>
    }
    .into_any()
}

/// Deleting the account, confirmed with the password: a plain form (the same with JavaScript
/// or without), a refusal shown when the page comes back.
#[component]
fn DeleteAccountForm() -> impl IntoView {
    let error = echo_for(FormId::DeleteAccount).and_then(|echo| {
        let errors = &echo.errors;
        errors
            .get(FieldName::CurrentPassword)
            .or_else(|| errors.get(FieldName::Form))
            .map(str::to_string)
    });
    let refused = error.is_some();
    view! {
        <section class="card form-card" aria-labelledby="delete-account">
            <h2 id="delete-account">"Delete account"</h2>
            <p class="muted">"Your posts, comments, likes, follows, picture and sessions are deleted with it, and your API tokens stop working. This cannot be undone: export your data first if you want to keep it."</p>
            <form method="post" action=delete_account_url()>
                <div class="field" class:has-error=refused>
                    <label for="delete-account-password">"Your Password"</label>
                    <input id="delete-account-password" type="password" name=FieldName::CurrentPassword.as_str()
                        autocomplete="current-password" required=true
                        aria-invalid=refused.to_string() aria-describedby="delete-account-password-error"/>
                    <div class="field-error" id="delete-account-password-error">{error}</div>
                </div>
                <button type="submit" class="button button-danger">"Delete my account"</button>
            </form>
        </section>
    }
}

/// The account's fields, typed-in values kept after a refusal.
#[island]
fn AccountForm(
    username: String,
    email: String,
    bio: String,
    echo: Option<FormEcho>,
) -> impl IntoView {
    // The picture makes it a multipart form: sent from the browser as the browser encodes it,
    // and without JavaScript posted as it is, to the same server function.
    let submit = Submit::new();
    let errors = FormErrors::new(submit, echo.as_ref());
    let picture_error = errors.field(FieldName::Picture);
    let bio_error = errors.field(FieldName::Bio);
    let bio_live = RwSignal::new(None::<Option<String>>);
    let bio_shown = move || bio_live.get().unwrap_or_else(|| bio_error.get());
    view! {
        <form method="post" action=update_account_url() enctype="multipart/form-data" on:submit=move |ev| submit.handle(ev)>
            <fieldset>
                <legend>"Account Info"</legend>
                <FormError errors/>
                <Field label="Username" name=FieldName::Username value=username
                    error=errors.field(FieldName::Username) check=|v| Username::parse(v).map(|_| ())
                    autocomplete="username" required=true/>
                <Field label="Email" name=FieldName::Email kind="email" value=email
                    error=errors.field(FieldName::Email) check=|v| Email::parse(v).map(|_| ())
                    autocomplete="email" required=true/>
                <div class="field" class:has-error=move || bio_shown().is_some()>
                    <label for="field-bio">"Bio"</label>
                    <textarea id="field-bio" name=FieldName::Bio.as_str() rows="3"
                        aria-describedby="field-bio-error field-bio-help"
                        on:change=move |ev| bio_live.set(Some(Bio::parse(&event_target_value(&ev)).err()))>{textarea_text(&bio)}</textarea>
                    <p class="field-help muted" id="field-bio-help">"Optional: up to 300 characters, shown on your page."</p>
                    <div class="field-error" id="field-bio-error">{bio_shown}</div>
                </div>
                <div class="field" class:has-error=move || picture_error.get().is_some()>
                    <label for="field-picture">"Update Profile Picture"</label>
                    <input id="field-picture" type="file" name=FieldName::Picture.as_str() accept=".jpg,.jpeg,.png,image/jpeg,image/png"/>
                    <div class="field-error" id="field-picture-error">{move || picture_error.get()}</div>
                    <small class="muted">"JPG or PNG, up to 5 MB. It is cropped to a square."</small>
                </div>
            </fieldset>
            <fieldset>
                <legend>"Password"</legend>
                <p class="muted">"Leave the new password empty to keep yours. A new password signs you out everywhere else."</p>
                <Field label="New Password" name=FieldName::Password kind="password"
                    error=errors.field(FieldName::Password) autocomplete="new-password"/>
                <Field label="Confirm New Password" name=FieldName::ConfirmPassword kind="password"
                    error=errors.field(FieldName::ConfirmPassword) autocomplete="new-password"/>
                <Field label="Current Password" name=FieldName::CurrentPassword kind="password"
                    error=errors.field(FieldName::CurrentPassword) autocomplete="current-password"/>
                <small class="muted">"Needed to change your e-mail address or password."</small>
            </fieldset>
            <button type="submit" class="button" disabled=move || submit.pending()>"Update"</button>
        </form>
    }
}

fn update_account_url() -> &'static str {
    action_of::<UpdateAccount>()
}

fn delete_account_url() -> &'static str {
    action_of::<DeleteAccount>()
}
