use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Messages for the fields of one form, keyed by the field's `name`. The key `form` holds a
/// message about the form as a whole (such as failed credentials).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub const FORM: &'static str = "form";

    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    /// Keeps the first message for a field: the first broken rule is the one to fix first.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_string())
            .or_insert_with(|| message.into());
    }

    /// Records the error of a parse result, if any, and hands back the value.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What a form sends back to the page when it is refused: the typed values (never passwords)
/// and the messages. It reaches a page rendered without JavaScript through the flash store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormEcho {
    pub form: String,
    pub values: BTreeMap<String, String>,
    pub errors: FieldErrors,
}

impl FormEcho {
    pub fn value(&self, field: &str) -> Option<&str> {
        self.values.get(field).map(String::as_str)
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
