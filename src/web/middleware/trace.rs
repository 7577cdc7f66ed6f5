//! What the request log may keep.

/// A path as logs may keep it: a reset link's token is a password for half an hour, so it is
/// replaced. (Bearer tokens travel in a header, and headers are not logged.)
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    match path.strip_prefix("/reset_password/") {
        Some(token) if !token.is_empty() => "/reset_password/[redacted]".into(),
        _ => path.into(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reset_tokens_stay_out_of_logs() {
        assert_eq!(
            super::loggable_path("/reset_password/7.1766.ab.cd"),
            "/reset_password/[redacted]"
        );
        assert_eq!(super::loggable_path("/reset_password"), "/reset_password");
        assert_eq!(super::loggable_path("/post/3"), "/post/3");
    }
}
