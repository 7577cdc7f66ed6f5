use super::{FlashBag, FormEcho, FormId, UserView};
use serde::{Deserialize, Serialize};

/// What every page needs: who is signed in and what the last request left to show. The server
/// provides it to the render and writes it into the document; the browser reads the same value
/// before it hydrates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageContext {
    pub user: Option<UserView>,
    pub flash: FlashBag,
}

impl PageContext {
    /// The refused form carried to this page, if it is `form`.
    pub fn echo_for(&self, form: FormId) -> Option<FormEcho> {
        self.flash.echo.clone().filter(|echo| echo.form == form)
    }
}
