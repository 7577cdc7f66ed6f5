//! Every integration test, in one binary: one link instead of one per file, and the tests of
//! all areas run in parallel on one set of threads. Each test spawns its own Quill with its own
//! database. A test written with `on_each_database!` is two tests, `…::sqlite` and
//! `…::postgres`; the PostgreSQL one needs `QUILL_TEST_POSTGRES` to name a server, and without
//! it is skipped with a warning on stderr, or fails when `CI=true`.

mod accounts;
mod api;
mod cli;
mod common;
mod conversation;
mod crawlers;
mod durability;
mod headers;
mod isolation;
mod limits;
mod meta;
mod metrics;
mod posts;
mod realworld;
mod redirects;
mod startup;
mod throttle;
