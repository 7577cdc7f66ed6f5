//! Why a request body could not be read, for the adapters that answer it.

/// Why a request body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFailure {
    /// Past the size limit (413).
    TooLarge,
    /// A piece did not come within `BODY_TIMEOUT_SECONDS` (408).
    TooSlow,
    /// The client broke off or sent something that is not a body (400).
    Broken,
}

impl BodyFailure {
    pub fn of(err: &(dyn std::error::Error + 'static)) -> Self {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
        while let Some(err) = cause {
            if err.is::<http_body_util::LengthLimitError>() {
                return BodyFailure::TooLarge;
            }
            if err.is::<tower_http::timeout::TimeoutError>() {
                return BodyFailure::TooSlow;
            }
            cause = err.source();
        }
        BodyFailure::Broken
    }
}
