//! Forms: the names of their fields, which form a refused post belongs to, the messages a
//! refused form shows, and the flash that carries them to the next page.
//!
//! Field names and form ids are enums, not strings: the server function that keeps a typed
//! value and the page that refills it name the same variant, so a typo does not compile.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The name of a field, as forms post it and as error messages are keyed (snake case on the
/// wire: `confirm_password`). `Form` holds a message about the form as a whole, such as failed
/// credentials; `Body`, `Page` and `PerPage` are the API's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldName {
    Form,
    Username,
    Email,
    Password,
    ConfirmPassword,
    Remember,
    Picture,
    Title,
    Content,
    Body,
    Page,
    PerPage,
    CurrentPassword,
    All,
    Format,
    Preview,
    Tags,
    Query,
    Summary,
    Bio,
}

impl FieldName {
    /// The `name` attribute of the field's input.
    pub const fn as_str(self) -> &'static str {
        match self {
            FieldName::Form => "form",
            FieldName::Username => "username",
            FieldName::Email => "email",
            FieldName::Password => "password",
            FieldName::ConfirmPassword => "confirm_password",
            FieldName::Remember => "remember",
            FieldName::Picture => "picture",
            FieldName::Title => "title",
            FieldName::Content => "content",
            FieldName::Body => "body",
            FieldName::Page => "page",
            FieldName::PerPage => "per_page",
            FieldName::CurrentPassword => "current_password",
            FieldName::All => "all",
            FieldName::Format => "format",
            FieldName::Preview => "preview",
            FieldName::Tags => "tags",
            FieldName::Query => "q",
            FieldName::Summary => "summary",
            FieldName::Bio => "bio",
        }
    }

    /// The field an input `name` stands for.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|field| field.as_str() == name)
    }

    const ALL: [FieldName; 20] = [
        FieldName::Form,
        FieldName::Username,
        FieldName::Email,
        FieldName::Password,
        FieldName::ConfirmPassword,
        FieldName::Remember,
        FieldName::Picture,
        FieldName::Title,
        FieldName::Content,
        FieldName::Body,
        FieldName::Page,
        FieldName::PerPage,
        FieldName::CurrentPassword,
        FieldName::All,
        FieldName::Format,
        FieldName::Preview,
        FieldName::Tags,
        FieldName::Query,
        FieldName::Summary,
        FieldName::Bio,
    ];
}

/// Which form a refused plain-HTML post came from, so that only that form is refilled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormId {
    Register,
    Login,
    Account,
    /// The account page's "Delete account".
    DeleteAccount,
    ResetRequest,
    ResetPassword,
    /// The post editor, new or update.
    Post,
    DeletePost,
    /// A post's comment form.
    Comment,
    DeleteComment,
    /// A like or follow button.
    Toggle,
}

/// Messages for the fields of one form, keyed by the field's name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub BTreeMap<FieldName, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: FieldName, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    /// Keeps the first message for a field: the first broken rule is the one to fix first.
    pub fn add(&mut self, field: FieldName, message: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| message.into());
    }

    /// Records the error of a parse result, if any, and hands back the value.
    pub fn check<T>(&mut self, field: FieldName, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    pub fn get(&self, field: FieldName) -> Option<&str> {
        self.0.get(&field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when no rule was broken, else the messages.
    pub fn into_result<T>(self, value: T) -> Result<T, Self> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

/// What a form sends back to the page when it is refused: the typed values (never passwords)
/// and the messages. It reaches a page rendered without JavaScript through the flash store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormEcho {
    pub form: FormId,
    pub values: BTreeMap<FieldName, String>,
    pub errors: FieldErrors,
}

impl FormEcho {
    /// The most a kept value holds, in characters: the longest field of any form but the
    /// editor, so a refused form cannot be used to store more text than it could send.
    pub const MAX_VALUE_CHARS: usize = 10_000;

    /// The most `form` keeps of `field`: the editor keeps a whole post's text, up to
    /// [`PostBody::MAX`](super::PostBody::MAX).
    pub const fn kept_chars(form: FormId, field: FieldName) -> usize {
        match (form, field) {
            (FormId::Post, FieldName::Content) => super::PostBody::MAX,
            _ => Self::MAX_VALUE_CHARS,
        }
    }

    pub fn value(&self, field: FieldName) -> Option<&str> {
        self.values.get(&field).map(String::as_str)
    }
}

/// The kinds of flash message, shown once after a redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FlashLevel {
    Success,
    Info,
    Warning,
    Danger,
}

impl FlashLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            FlashLevel::Success => "success",
            FlashLevel::Info => "info",
            FlashLevel::Warning => "warning",
            FlashLevel::Danger => "danger",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub level: FlashLevel,
    pub message: String,
}

/// What the server carries from one request to the next page: messages and a refused form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlashBag {
    pub messages: Vec<Flash>,
    pub echo: Option<FormEcho>,
}

impl FlashBag {
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty() && self.echo.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_are_their_wire_names() {
        for field in [
            FieldName::ConfirmPassword,
            FieldName::PerPage,
            FieldName::Form,
        ] {
            let json = serde_json::to_string(&field).unwrap();
            assert_eq!(json, format!("\"{}\"", field.as_str()));
        }
        for field in FieldName::ALL {
            assert_eq!(FieldName::from_name(field.as_str()), Some(field));
        }
        assert_eq!(FieldName::from_name("nope"), None);
        let errors = FieldErrors::single(FieldName::ConfirmPassword, "no");
        assert_eq!(
            serde_json::to_string(&errors).unwrap(),
            r#"{"confirm_password":"no"}"#
        );
    }

    #[test]
    fn the_first_message_of_a_field_stays() {
        let mut errors = FieldErrors::new();
        errors.add(FieldName::Title, "first");
        errors.add(FieldName::Title, "second");
        assert_eq!(errors.get(FieldName::Title), Some("first"));
        assert!(errors.into_result(()).is_err());
        assert_eq!(FieldErrors::new().into_result(7), Ok(7));
    }
}
