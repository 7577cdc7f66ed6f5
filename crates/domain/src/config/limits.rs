//! What one request may cost: sizes, times, queues and rates, each from its own variable.

use super::ConfigError;

/// What one request may cost. Each has an environment variable (README: configuration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The largest body of a form (a server function), except the post forms (below) and the
    /// picture upload, which may be `max_avatar_bytes` larger (FORM_BODY_LIMIT, 64 KiB).
    pub form_body_bytes: usize,
    /// The largest JSON body the API reads from a caller without a valid token
    /// (API_BODY_LIMIT, 256 KiB): registration and login are the only such bodies, and small.
    pub api_body_bytes: usize,
    /// The largest body of writing: a post's form (new, edit, preview) from someone signed in,
    /// and any API request with a valid token (WRITING_BODY_LIMIT, 1.25 MiB). The largest valid
    /// post, a 100,000-character text with its title, summary and tags, every character sent
    /// as 12 bytes (a form's `%F0%9F%98%80`, JSON's `\uD83D\uDE00`), is about 1.21 MB: a valid
    /// post is never refused for its size, and a visitor cannot send this much.
    pub writing_body_bytes: usize,
    /// How long a whole request may take before it is answered 408 (REQUEST_TIMEOUT_SECONDS).
    pub request_timeout_seconds: u64,
    /// How long the body may take between two pieces before the request is answered 408
    /// (BODY_TIMEOUT_SECONDS): a client that sends slowly cannot hold a connection.
    pub body_timeout_seconds: u64,
    /// How long a stopping server (SIGTERM, Ctrl-C) waits for the requests in flight before it
    /// exits anyway (SHUTDOWN_GRACE_SECONDS, 10; below systemd's TimeoutStopSec).
    pub shutdown_grace_seconds: u64,
    /// The first part of that stop (SHUTDOWN_DRAIN_SECONDS, 1): still accepting, every answer
    /// closes its connection, so that a proxy's kept-alive connections are closed cleanly after
    /// an answer rather than under a request it is sending. Then the listener closes.
    pub shutdown_drain_seconds: u64,
    /// Passwords hashed at once (HASHING_CONCURRENCY; half the cores, at least one), so that a
    /// flood of logins leaves cores to the readers of pages.
    pub hashing_concurrency: usize,
    /// Logins, registrations and password changes that may wait for a turn (HASHING_QUEUE);
    /// past that they are answered 503 with `Retry-After`.
    pub hashing_queue: usize,
    /// Pages rendered at once (RENDER_CONCURRENCY; four per core). The others wait for a turn
    /// (within the request's timeout): with two cores, 64 pages rendered interleaved are no
    /// faster than eight, and each one in flight holds its views, data and buffers.
    pub render_concurrency: usize,
    /// Pictures decoded at once (IMAGE_CONCURRENCY) and uploads that may wait (IMAGE_QUEUE).
    pub image_concurrency: usize,
    pub image_queue: usize,
    /// Posts rendered from Markdown at once (MARKDOWN_CONCURRENCY; half the cores, at least
    /// one) and writers who may wait for a turn (MARKDOWN_QUEUE, 16): a 100,000-character
    /// post takes milliseconds to render and sanitize, off the threads that answer readers.
    pub markdown_concurrency: usize,
    pub markdown_queue: usize,
    /// The most pixels a side of an uploaded picture may have (IMAGE_MAX_SIDE, 4096).
    pub image_max_side: u32,
    /// The longest wait for a turn at hashing or pictures before a 503 (QUEUE_WAIT_SECONDS).
    pub queue_wait_seconds: u64,
    /// Logins a minute from one client address (THROTTLE_LOGIN_PER_CLIENT) and on one account
    /// (THROTTLE_LOGIN_PER_ACCOUNT); registrations and reset requests an hour from one client
    /// (THROTTLE_REGISTER_PER_CLIENT, THROTTLE_RESET_PER_CLIENT) and reset mails an hour to one
    /// address (THROTTLE_RESET_PER_ADDRESS). Each is a burst that refills at that rate.
    pub login_per_client: u32,
    pub login_per_account: u32,
    pub register_per_client: u32,
    pub reset_per_client: u32,
    pub reset_per_address: u32,
    /// Exports written at once (EXPORT_CONCURRENCY, 2); another is answered 503 with
    /// `Retry-After`. Each reads the database and deflates for as long as its download lasts.
    pub export_concurrency: usize,
    /// How long an export may wait for its reader to take more (EXPORT_STALL_SECONDS, 30)
    /// before it is ended: a client that stops reading cannot hold a turn.
    pub export_stall_seconds: u64,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        Self {
            form_body_bytes: 64 * 1024,
            api_body_bytes: 256 * 1024,
            writing_body_bytes: 1280 * 1024,
            request_timeout_seconds: 30,
            body_timeout_seconds: 10,
            shutdown_grace_seconds: 10,
            shutdown_drain_seconds: 1,
            hashing_concurrency: (cores / 2).max(1),
            hashing_queue: 16,
            render_concurrency: cores * 4,
            image_concurrency: 1,
            image_queue: 4,
            markdown_concurrency: (cores / 2).max(1),
            markdown_queue: 16,
            image_max_side: 4096,
            queue_wait_seconds: 2,
            login_per_client: 20,
            login_per_account: 10,
            register_per_client: 20,
            reset_per_client: 10,
            reset_per_address: 3,
            export_concurrency: 2,
            export_stall_seconds: 30,
        }
    }
}

impl Limits {
    pub(super) fn from_env(env: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let defaults = Self::default();
        Ok(Self {
            form_body_bytes: positive(env, "FORM_BODY_LIMIT", defaults.form_body_bytes)?,
            api_body_bytes: positive(env, "API_BODY_LIMIT", defaults.api_body_bytes)?,
            writing_body_bytes: positive(env, "WRITING_BODY_LIMIT", defaults.writing_body_bytes)?,
            request_timeout_seconds: positive(
                env,
                "REQUEST_TIMEOUT_SECONDS",
                defaults.request_timeout_seconds,
            )?,
            body_timeout_seconds: positive(
                env,
                "BODY_TIMEOUT_SECONDS",
                defaults.body_timeout_seconds,
            )?,
            shutdown_grace_seconds: positive(
                env,
                "SHUTDOWN_GRACE_SECONDS",
                defaults.shutdown_grace_seconds,
            )?,
            shutdown_drain_seconds: positive(
                env,
                "SHUTDOWN_DRAIN_SECONDS",
                defaults.shutdown_drain_seconds,
            )?,
            hashing_concurrency: positive(
                env,
                "HASHING_CONCURRENCY",
                defaults.hashing_concurrency,
            )?,
            hashing_queue: positive(env, "HASHING_QUEUE", defaults.hashing_queue)?,
            render_concurrency: positive(env, "RENDER_CONCURRENCY", defaults.render_concurrency)?,
            image_concurrency: positive(env, "IMAGE_CONCURRENCY", defaults.image_concurrency)?,
            image_queue: positive(env, "IMAGE_QUEUE", defaults.image_queue)?,
            markdown_concurrency: positive(
                env,
                "MARKDOWN_CONCURRENCY",
                defaults.markdown_concurrency,
            )?,
            markdown_queue: positive(env, "MARKDOWN_QUEUE", defaults.markdown_queue)?,
            image_max_side: positive(env, "IMAGE_MAX_SIDE", defaults.image_max_side)?,
            queue_wait_seconds: positive(env, "QUEUE_WAIT_SECONDS", defaults.queue_wait_seconds)?,
            login_per_client: positive(
                env,
                "THROTTLE_LOGIN_PER_CLIENT",
                defaults.login_per_client,
            )?,
            login_per_account: positive(
                env,
                "THROTTLE_LOGIN_PER_ACCOUNT",
                defaults.login_per_account,
            )?,
            register_per_client: positive(
                env,
                "THROTTLE_REGISTER_PER_CLIENT",
                defaults.register_per_client,
            )?,
            reset_per_client: positive(
                env,
                "THROTTLE_RESET_PER_CLIENT",
                defaults.reset_per_client,
            )?,
            reset_per_address: positive(
                env,
                "THROTTLE_RESET_PER_ADDRESS",
                defaults.reset_per_address,
            )?,
            export_concurrency: positive(env, "EXPORT_CONCURRENCY", defaults.export_concurrency)?,
            export_stall_seconds: positive(
                env,
                "EXPORT_STALL_SECONDS",
                defaults.export_stall_seconds,
            )?,
        })
    }
}

/// A whole number above zero from the variable `name`, or `default` when it is not set.
pub(super) fn positive<T>(
    env: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + Default,
{
    match env(name) {
        None => Ok(default),
        Some(raw) => raw
            .trim()
            .parse::<T>()
            .ok()
            .filter(|n| *n > T::default())
            .ok_or_else(|| ConfigError::Invalid {
                name,
                reason: format!("`{raw}` is not a whole number above zero"),
            }),
    }
}

/// The same for a setting without a default: `None` when the variable is not set.
pub(super) fn optional_positive<T>(
    env: &impl Fn(&str) -> Option<String>,
    name: &'static str,
) -> Result<Option<T>, ConfigError>
where
    T: std::str::FromStr + PartialOrd + Default,
{
    match env(name) {
        None => Ok(None),
        Some(_) => positive(env, name, T::default()).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PostBody, PostSummary, PostTitle, Tags};

    /// The largest valid post, every character of it sent as 12 bytes, with room for the
    /// fields' names and the rest of the form or the JSON.
    fn largest_valid_post_bytes() -> usize {
        let chars =
            PostBody::MAX + PostTitle::MAX + PostSummary::MAX + Tags::MAX * (Tags::MAX_LEN + 2);
        chars * 12 + 1024
    }

    #[test]
    fn a_valid_post_is_never_too_large_to_send() {
        let limits = Limits::default();
        assert!(limits.writing_body_bytes >= largest_valid_post_bytes());
        // …and a visitor's forms and bodies stay small.
        assert!(limits.form_body_bytes * 16 <= limits.writing_body_bytes);
        assert!(limits.api_body_bytes * 4 <= limits.writing_body_bytes);
    }
}
