//! The domain's rules, tested at the services: each test calls `quill_domain`'s functions
//! directly (no HTTP, no web) on a fresh database of its own, and checks what they answer and
//! what they left in the database. HTTP adds nothing to these rules: the web's adapters only
//! turn the one domain `Error` into an answer.
//!
//! Like the root package's `tests/it`, a test written with `on_each_database!` is two tests,
//! `…::sqlite` and `…::postgres`; the PostgreSQL one needs `QUILL_TEST_POSTGRES` to name a
//! server, and without it is skipped with a warning on stderr, or fails when `CI=true`.

mod accounts;
mod common;
mod conversation;
mod lists;
mod posts;
mod seed;
mod sessions;
