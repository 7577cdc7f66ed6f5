pub mod field;
pub mod flash;
pub mod layout;
pub mod posts;
pub mod submit;
pub mod text;
