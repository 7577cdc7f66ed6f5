//! Register, log in and out, the account page and password reset.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use {
    super::respond::{redirect, Form},
    crate::backend::middleware::base_cookie,
    crate::backend::request::{RequestContext, SESSION_COOKIE},
    crate::backend::services::{self, Registration, REMEMBER_SECONDS},
    crate::model::{safe_next, FlashLevel},
};

#[server(prefix = "/_fn", endpoint = "register")]
pub async fn register(
    username: String,
    email: String,
    password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    let form = Form::new("register", "/register")
        .keep("username", &username)
        .keep("email", &email);
    if ctx.session().is_some() {
        redirect("/");
        return Ok(());
    }
    let result = async {
        let registration = Registration::parse(&username, &email, &password, &confirm_password)?;
        services::register(&ctx.state().db, registration, false).await?;
        Ok(())
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
    let form = Form::new("login", page)
        .keep("email", &email)
        .keep("remember", remember.as_deref().unwrap_or_default());
    if ctx.session().is_some() {
        redirect(&target);
        return Ok(());
    }
    let remember = remember.is_some_and(|v| !v.is_empty() && v != "false");
    let result = async {
        let db = &ctx.state().db;
        let user = services::authenticate(db, &email, &password).await?;
        let token = services::start_session(db, user.id, remember).await?;
        let mut cookie = base_cookie(ctx.state(), SESSION_COOKIE, token);
        if remember {
            cookie.set_max_age(cookie::time::Duration::seconds(REMEMBER_SECONDS));
        }
        ctx.set_cookie(cookie);
        Ok::<_, services::ServiceError>(())
    }
    .await
    .map_err(AppError::from);
    form.finish(&ctx, result, None, &target)
}

#[server(prefix = "/_fn", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    if let Some(session) = ctx.session() {
        services::end_session(&ctx.state().db, &session.session_id)
            .await
            .map_err(AppError::from)?;
        let mut cookie = base_cookie(ctx.state(), SESSION_COOKIE, String::new());
        cookie.make_removal();
        ctx.set_cookie(cookie);
        ctx.flash(FlashLevel::Info, "You have been logged out.");
    }
    redirect("/");
    Ok(())
}

/// The account form: username, e-mail and an optional new picture, sent as multipart.
#[server(prefix = "/_fn", endpoint = "update_account", input = MultipartFormData)]
pub async fn update_account(data: MultipartData) -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    let mut data = data.into_inner().ok_or(AppError::Internal)?;
    let mut username = String::new();
    let mut email = String::new();
    let mut picture: Option<(String, Vec<u8>)> = None;
    let max = ctx.state().config.max_avatar_bytes;
    let mut too_large = false;
    while let Ok(Some(mut field)) = data.next_field().await {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let mut bytes = Vec::new();
        while let Ok(Some(chunk)) = field.chunk().await {
            if bytes.len() + chunk.len() > max {
                too_large = true;
                continue;
            }
            bytes.extend_from_slice(&chunk);
        }
        match (name.as_str(), file_name) {
            ("username", _) => username = String::from_utf8_lossy(&bytes).into_owned(),
            ("email", _) => email = String::from_utf8_lossy(&bytes).into_owned(),
            ("picture", Some(file_name)) if !file_name.is_empty() => {
                picture = Some((file_name, bytes))
            }
            _ => {}
        }
    }
    let form = Form::new("account", "/account")
        .keep("username", &username)
        .keep("email", &email);
    let result = async {
        let session = ctx.require_user()?;
        let avatar = match &picture {
            _ if too_large => Err(services::ServiceError::Invalid(
                crate::model::FieldErrors::single(
                    "picture",
                    format!(
                        "The picture is too large: the limit is {} MB.",
                        max / (1024 * 1024)
                    ),
                ),
            ))?,
            Some((file_name, bytes)) => Some(services::check_avatar(file_name, bytes, max)?),
            None => None,
        };
        let db = &ctx.state().db;
        services::update_profile(db, &session.user, &username, &email).await?;
        if let Some(avatar) = avatar {
            services::set_avatar(db, session.user.id, &avatar).await?;
        }
        Ok::<_, AppError>(())
    }
    .await;
    form.finish(
        &ctx,
        result,
        Some((FlashLevel::Success, "Your account has been updated!")),
        "/account",
    )
}

#[server(prefix = "/_fn", endpoint = "request_reset")]
pub async fn request_reset(email: String) -> Result<(), AppError> {
    let ctx = RequestContext::current()?;
    let form = Form::new("reset_request", "/reset_password").keep("email", &email);
    if ctx.session().is_some() {
        redirect("/");
        return Ok(());
    }
    let result = services::request_password_reset(ctx.state(), &email)
        .await
        .map_err(AppError::from);
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
    match services::reset_link_user(ctx.state(), &token).await {
        Ok(_) => Ok(()),
        Err(services::ServiceError::ResetToken(_)) => {
            ctx.flash(FlashLevel::Warning, services::RESET_LINK_INVALID);
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
    match services::reset_password(ctx.state(), &token, &password, &confirm_password).await {
        Ok(_) => {
            ctx.flash(
                FlashLevel::Success,
                "Your password has been updated! You are now able to log in",
            );
            redirect("/login");
            Ok(())
        }
        Err(services::ServiceError::ResetToken(_)) => {
            ctx.flash(FlashLevel::Warning, services::RESET_LINK_INVALID);
            redirect("/reset_password");
            Ok(())
        }
        Err(err) => Err(Form::new("reset_password", page).refuse(&ctx, err.into())),
    }
}
