pub mod editor;
pub mod field;
pub mod flash;
pub mod layout;
pub mod meta;
pub mod posts;
pub mod submit;
pub mod text;
