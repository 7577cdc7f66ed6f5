//! Quill's domain: the rules, the services that apply them and the repositories below them,
//! for the pages, the server functions and both APIs alike. Nothing here knows HTTP or Leptos
//! (this crate does not depend on them): services answer with the one domain `Error`, and each
//! surface has an adapter of its own that turns it into an answer.

pub mod config;
pub mod conversation;
pub mod db;
pub mod error;
pub mod export;
pub mod flash;
pub mod images;
pub mod jwt;
pub mod mail;
pub mod markdown;
pub mod net;
pub mod password;
pub mod posts;
pub mod reset;
pub mod seed;
pub mod services;
pub mod sitemap;
pub mod slug;
pub mod throttle;
pub mod tokens;
pub mod users;
pub mod work;

pub use error::{Error, Result, Unauthenticated};
/// The shared model, under the name the domain's code has always used for it.
pub use quill_model as model;
pub use services::{Services, StartError};
