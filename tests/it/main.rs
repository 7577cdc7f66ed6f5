//! Every integration test, in one binary: one link instead of one per file, and the tests of
//! all areas run in parallel on one set of threads. Each test spawns its own Quill with its own
//! database, once on SQLite and, when `QUILL_TEST_POSTGRES` names a server, once on PostgreSQL.

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
