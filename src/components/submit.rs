//! How an island sends its form. The form is posted to its server function as the browser
//! encodes it (URL-encoded, or multipart for the picture upload), asking for data instead of a
//! page: a refusal comes back as an [`AppError`] and is shown in place; success comes back as
//! the address of the next page, which is then loaded in full (so it is rendered by the server
//! with the new session and its flash, exactly as without JavaScript).
//!
//! Leptos's `ActionForm` would do the same by parsing the form into the function's arguments
//! in the browser and encoding them again: that took the server-function client and `serde_qs`
//! into the WASM, a third of the bundle (DESIGN.md, "The browser bundle").

use crate::error::AppError;
use leptos::prelude::*;
use leptos::web_sys::SubmitEvent;

/// The state of a form sent from the browser: whether an answer is awaited, and the last
/// answer.
#[derive(Clone, Copy)]
pub struct Submit {
    pending: RwSignal<bool>,
    answer: RwSignal<Option<Result<(), AppError>>>,
}

impl Default for Submit {
    fn default() -> Self {
        Self::new()
    }
}

impl Submit {
    pub fn new() -> Self {
        Self {
            pending: RwSignal::new(false),
            answer: RwSignal::new(None),
        }
    }

    /// Whether the form was sent and its answer is awaited (or its next page is loading).
    pub fn pending(self) -> bool {
        self.pending.get()
    }

    /// The last answer: `None` until one came.
    pub fn answer(self) -> Option<Result<(), AppError>> {
        self.answer.get()
    }

    /// The form's `submit` handler.
    pub fn handle(self, ev: SubmitEvent) {
        ev.prevent_default();
        if !self.pending.get_untracked() {
            #[cfg(feature = "hydrate")]
            self.send(&ev);
        }
    }

    #[cfg(feature = "hydrate")]
    fn send(self, ev: &SubmitEvent) {
        use leptos::wasm_bindgen::JsCast;
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        self.pending.set(true);
        leptos::task::spawn_local(async move {
            match browser::send(&form).await {
                // Stays pending while the next page loads.
                Ok(Some(next)) => {
                    if window().location().set_href(&next).is_err() {
                        self.pending.set(false);
                    }
                }
                Ok(None) => {
                    self.answer.set(Some(Ok(())));
                    self.pending.set(false);
                }
                Err(err) => {
                    self.answer.set(Some(Err(err)));
                    self.pending.set(false);
                }
            }
        });
    }
}

/// The error an answer's status stands for, when its body is not an [`AppError`].
pub fn from_status(status: u16, retry_after: u64) -> AppError {
    match status {
        401 => AppError::LoginRequired,
        403 => AppError::Forbidden,
        404 => AppError::NotFound,
        429 => AppError::TooManyRequests { retry_after },
        503 => AppError::Busy { retry_after },
        _ => AppError::Internal,
    }
}

/// Posts `form` as the browser encodes it to the server function at `url` and reads its JSON
/// answer (the editor's preview).
#[cfg(feature = "hydrate")]
pub async fn fetch_json<T: serde::de::DeserializeOwned>(
    form: &leptos::web_sys::HtmlFormElement,
    url: &str,
) -> Result<T, AppError> {
    let text = fetch_text(form, url).await?;
    serde_json::from_str(&text).map_err(|_| AppError::Internal)
}

/// Posts `form` to `url` like [`fetch_json`] and hands back the body of a success as it is.
#[cfg(feature = "hydrate")]
pub async fn fetch_text(
    form: &leptos::web_sys::HtmlFormElement,
    url: &str,
) -> Result<String, AppError> {
    let (response, text) = browser::post(form, url).await?;
    if response.ok() {
        Ok(text)
    } else {
        Err(browser::error_of(&response, &text))
    }
}

/// The address a form posts to: its server function's.
pub fn action_of<S: leptos::server_fn::ServerFn>() -> &'static str {
    S::PATH
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_status_becomes_the_error_it_stands_for() {
        assert_eq!(from_status(403, 1), AppError::Forbidden);
        assert_eq!(from_status(401, 1), AppError::LoginRequired);
        assert_eq!(from_status(503, 7), AppError::Busy { retry_after: 7 });
        assert_eq!(
            from_status(429, 3),
            AppError::TooManyRequests { retry_after: 3 }
        );
        assert_eq!(from_status(502, 1), AppError::Internal);
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use crate::error::AppError;
    use leptos::server_fn::error::ServerFnErrorErr;
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{FormData, Headers, HtmlFormElement, RequestInit, Response, UrlSearchParams};

    fn unreachable(_: JsValue) -> AppError {
        AppError::ServerFn(ServerFnErrorErr::Request(
            "the server could not be reached".into(),
        ))
    }

    /// Posts the form; `Ok(Some(address))` is where to go next.
    pub async fn send(form: &HtmlFormElement) -> Result<Option<String>, AppError> {
        let (response, text) = post(form, &form.action()).await?;
        if response.ok() {
            // A server function that redirects answers 200 with `Location` (and Leptos's
            // `serverfnredirect` header) to a caller that asked for data.
            return Ok(response.headers().get("Location").ok().flatten());
        }
        Err(error_of(&response, &text))
    }

    /// Posts the form's fields to `url`, asking for data; the answer and its body.
    pub async fn post(form: &HtmlFormElement, url: &str) -> Result<(Response, String), AppError> {
        let data = FormData::new_with_form(form).map_err(unreachable)?;
        let body: JsValue = if form.enctype() == "multipart/form-data" {
            data.into()
        } else {
            UrlSearchParams::new_with_str_sequence_sequence(&data)
                .map_err(unreachable)?
                .into()
        };
        let headers = Headers::new().map_err(unreachable)?;
        headers
            .set("Accept", "application/json")
            .map_err(unreachable)?;
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_body(&body);
        init.set_headers(&headers);
        let answer = JsFuture::from(leptos::prelude::window().fetch_with_str_and_init(url, &init))
            .await
            .map_err(unreachable)?;
        let response: Response = answer.dyn_into().map_err(unreachable)?;
        let text = JsFuture::from(response.text().map_err(unreachable)?)
            .await
            .map_err(unreachable)?
            .as_string()
            .unwrap_or_default();
        Ok((response, text))
    }

    /// The error of an answer that is not a success. Server functions answer with an
    /// `AppError`; what stands in front of them (the origin check, the body limits, a proxy)
    /// may not: then the status says it.
    pub fn error_of(response: &Response, text: &str) -> AppError {
        serde_json::from_str(text).unwrap_or_else(|_| {
            let retry_after = response
                .headers()
                .get("Retry-After")
                .ok()
                .flatten()
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(1);
            super::from_status(response.status(), retry_after)
        })
    }
}
