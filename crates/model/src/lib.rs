//! Plain data types and validated newtypes shared by the browser and the server.
//!
//! Parse, don't validate: a `Username` can only be made by `Username::parse`, so code that holds
//! one never checks it again. The same functions run as you type in the browser and again on the
//! server, so both agree on every rule.

mod account;
mod conversation;
mod forms;
pub mod html;
mod page;
mod paging;
mod posts;
mod search;
mod tags;

pub use account::*;
pub use conversation::*;
pub use forms::*;
pub use page::*;
pub use paging::*;
pub use posts::*;
pub use search::*;
pub use tags::*;
