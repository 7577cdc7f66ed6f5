//! Register, log in and out, the account page and password reset.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use {
    super::respond::{redirect, Form},
    crate::domain::users::{self, AccountChange, Registration, REMEMBER_SECONDS},
    crate::domain::{reset, Error, Unauthenticated},
    crate::model::{safe_next, FieldName, FlashLevel, FormId},
    crate::web::request::{RequestContext, SiteCookie},
};

#[server(prefix = "/_fn", endpoint = "register")]
pub async fn register(
    username: String,
    email: String,
    password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    let form = Form::new(FormId::Register, "/register")
        .keep(FieldName::Username, &username)
        .keep(FieldName::Email, &email);
    if ctx.session().is_some() {
        redirect("/");
        return Ok(());
    }
    let result = async {
        let registration = Registration::parse(&username, &email, &password, &confirm_password)?;
        users::sign_up(ctx.state(), ctx.client(), registration).await
    }
    .await;
    form.finish(
        &ctx,
        result,
        Some((
            FlashLevel::Success,
            "Your account has been created! You are now able to log in",
        )),
        "/login",
    )
    .map(|_| ())
}

#[server(prefix = "/_fn", endpoint = "login")]
pub async fn login(
    email: String,
    password: String,
    #[server(default)] remember: Option<String>,
    #[server(default)] next: Option<String>,
) -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    let target = safe_next(next.as_deref()).unwrap_or_else(|| "/".to_string());
    let page = match safe_next(next.as_deref()) {
        Some(next) => crate::model::login_url(&next),
        None => "/login".to_string(),
    };
    let form = Form::new(FormId::Login, page)
        .keep(FieldName::Email, &email)
        .keep(FieldName::Remember, remember.as_deref().unwrap_or_default());
    if ctx.session().is_some() {
        redirect(&target);
        return Ok(());
    }
    let remember = remember.is_some_and(|v| !v.is_empty() && v != "false");
    let result = async {
        let user = users::authenticate(ctx.state(), ctx.client(), &email, &password).await?;
        let token = users::start_session(&ctx.state().db, user.id, remember).await?;
        let mut cookie = ctx.site_cookie(SiteCookie::Session, token);
        if remember {
            cookie.set_max_age(cookie::time::Duration::seconds(REMEMBER_SECONDS));
        }
        ctx.set_cookie(cookie);
        Ok::<_, Error>(())
    }
    .await;
    form.finish(&ctx, result, None, &target)
}

#[server(prefix = "/_fn", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    if let Some(session) = ctx.session() {
        users::end_session(&ctx.state().db, &session.session_id).await?;
        ctx.remove_cookie(SiteCookie::Session);
        ctx.flash(FlashLevel::Info, "You have been logged out.");
    }
    redirect("/");
    Ok(())
}

/// The account form: username, e-mail and an optional new picture, sent as multipart.
#[server(prefix = "/_fn", endpoint = "update_account", input = MultipartFormData)]
pub async fn update_account(data: MultipartData) -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    let mut data = data
        .into_inner()
        .ok_or_else(|| Error::internal("multipart data missing on the server"))?;
    let mut username = String::new();
    let mut email = String::new();
    // Absent (a form without the field): the bio stays as it is.
    let mut bio: Option<String> = None;
    let (mut current_password, mut password, mut confirm) =
        (String::new(), String::new(), String::new());
    let mut picture: Option<(String, Vec<u8>)> = None;
    let max = ctx.state().config.max_avatar_bytes;
    let mut too_large = false;
    while let Ok(Some(mut field)) = data.next_field().await {
        let name = field.name().and_then(FieldName::from_name);
        let file_name = field.file_name().map(str::to_string);
        let mut bytes = Vec::new();
        while let Ok(Some(chunk)) = field.chunk().await {
            if bytes.len() + chunk.len() > max {
                too_large = true;
                continue;
            }
            bytes.extend_from_slice(&chunk);
        }
        match (name, file_name) {
            (Some(FieldName::Username), _) => {
                username = String::from_utf8_lossy(&bytes).into_owned()
            }
            (Some(FieldName::Email), _) => email = String::from_utf8_lossy(&bytes).into_owned(),
            (Some(FieldName::Bio), _) => bio = Some(String::from_utf8_lossy(&bytes).into_owned()),
            (Some(FieldName::CurrentPassword), _) => {
                current_password = String::from_utf8_lossy(&bytes).into_owned()
            }
            (Some(FieldName::Password), _) => {
                password = String::from_utf8_lossy(&bytes).into_owned()
            }
            (Some(FieldName::ConfirmPassword), _) => {
                confirm = String::from_utf8_lossy(&bytes).into_owned()
            }
            (Some(FieldName::Picture), Some(file_name)) if !file_name.is_empty() => {
                picture = Some((file_name, bytes))
            }
            _ => {}
        }
    }
    let mut form = Form::new(FormId::Account, "/account")
        .keep(FieldName::Username, &username)
        .keep(FieldName::Email, &email);
    if let Some(bio) = &bio {
        form = form.keep(FieldName::Bio, bio);
    }
    let result = async {
        let session = ctx.require_user()?;
        let avatar = match picture {
            _ if too_large => {
                return Err(Error::invalid(FieldName::Picture, picture_too_large(max)))
            }
            Some((file_name, bytes)) => {
                Some(users::check_avatar(ctx.state(), file_name, bytes).await?)
            }
            None => None,
        };
        // An empty new password leaves the password as it is.
        let new_password = Some(password.as_str()).filter(|p| !p.is_empty());
        let change = AccountChange {
            username: Some(&username),
            bio: bio.as_deref(),
            email: Some(&email),
            password: new_password,
            confirm_password: new_password.map(|_| confirm.as_str()),
            current_password: Some(&current_password),
            avatar,
            keep_token: None,
        };
        users::update_account(ctx.state(), &session.user, session.user.id, change).await
    }
    .await;
    form.finish(
        &ctx,
        result,
        Some((FlashLevel::Success, "Your account has been updated!")),
        "/account",
    )
    .map(|_| ())
}

/// Ends every web session and API token of the signed-in account, this one too.
#[server(prefix = "/_fn", endpoint = "logout_everywhere")]
pub async fn logout_everywhere() -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    let Some(session) = ctx.session() else {
        redirect("/");
        return Ok(());
    };
    users::log_out_everywhere(&ctx.state().db, session.user.id).await?;
    ctx.remove_cookie(SiteCookie::Session);
    ctx.flash(
        FlashLevel::Info,
        "You have been logged out everywhere: on every device and from every API token.",
    );
    redirect("/");
    Ok(())
}

/// Deletes the signed-in account and everything of it, confirmed with its password; the
/// browser is then signed out. A refusal goes back to the account page.
#[server(prefix = "/_fn", endpoint = "delete_account")]
pub async fn delete_account(current_password: String) -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    let result = async {
        let session = ctx.require_user()?;
        let user = &session.user;
        users::delete(ctx.state(), user, user.id, Some(&current_password)).await
    }
    .await;
    if result.is_ok() {
        ctx.remove_cookie(SiteCookie::Session);
    }
    Form::new(FormId::DeleteAccount, "/account").finish(
        &ctx,
        result,
        Some((
            FlashLevel::Info,
            "Your account has been deleted, with everything in it.",
        )),
        "/",
    )
}

/// The message for a picture over the limit of `max` bytes.
#[cfg(feature = "ssr")]
pub fn picture_too_large(max: usize) -> String {
    let size = if max >= 1024 * 1024 {
        format!("{} MB", max / (1024 * 1024))
    } else {
        format!("{} KB", max.div_ceil(1024))
    };
    format!("That picture is too large: the limit is {size}.")
}

#[server(prefix = "/_fn", endpoint = "request_reset")]
pub async fn request_reset(email: String) -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    let form = Form::new(FormId::ResetRequest, "/reset_password").keep(FieldName::Email, &email);
    if ctx.session().is_some() {
        redirect("/");
        return Ok(());
    }
    let result = reset::request(ctx.state(), ctx.client(), &email).await;
    form.finish(
        &ctx,
        result,
        Some((
            FlashLevel::Info,
            "If an account uses that e-mail address, we have sent it a link to reset the password.",
        )),
        "/login",
    )
}

/// Whether a reset link is still good, for the page that shows its form.
#[server(prefix = "/_fn", endpoint = "check_reset_token")]
pub async fn check_reset_token(token: String) -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    match reset::link_user(ctx.state(), &token).await {
        Ok(_) => Ok(()),
        Err(Error::Unauthenticated(reason @ Unauthenticated::ResetLink)) => {
            ctx.flash(FlashLevel::Warning, reason.to_string());
            Err(AppError::NotFound)
        }
        Err(other) => Err(other.into()),
    }
}

#[server(prefix = "/_fn", endpoint = "reset_password")]
pub async fn reset_password(
    token: String,
    password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    let page = format!("/reset_password/{}", crate::model::urlencode(&token));
    match reset::set_password(ctx.state(), &token, &password, &confirm_password).await {
        Ok(_) => {
            ctx.flash(
                FlashLevel::Success,
                "Your password has been updated! You are now able to log in",
            );
            redirect("/login");
            Ok(())
        }
        Err(Error::Unauthenticated(reason @ Unauthenticated::ResetLink)) => {
            ctx.flash(FlashLevel::Warning, reason.to_string());
            redirect("/reset_password");
            Ok(())
        }
        Err(err) => Err(Form::new(FormId::ResetPassword, page).refuse(&ctx, err)),
    }
}
