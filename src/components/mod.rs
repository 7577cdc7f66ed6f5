pub mod field;
pub mod flash;
pub mod layout;
