use serde::{Deserialize, Serialize};
use std::fmt;

/// A user name: 2–20 characters, each a letter, digit, `_` or `-`.
/// No `Deserialize`: the only way to make one is `parse`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub const MIN: usize = 2;
    pub const MAX: usize = 20;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.trim();
        let len = name.chars().count();
        if len == 0 {
            return Err("Please choose a username.".into());
        }
        if !(Self::MIN..=Self::MAX).contains(&len) {
            return Err(format!(
                "A username is {} to {} characters long.",
                Self::MIN,
                Self::MAX
            ));
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err("Use only letters, digits, '_' and '-' in a username.".into());
        }
        Ok(Self(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An e-mail address, trimmed and stored in lower case.
/// No `Deserialize`: the only way to make one is `parse`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const MAX: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err("Please enter your e-mail address.".into());
        }
        let invalid = || Err("Please enter a valid e-mail address.".to_string());
        if email.chars().count() > Self::MAX {
            return invalid();
        }
        let Some((local, domain)) = email.split_once('@') else {
            return invalid();
        };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if local_ok && domain_ok {
            Ok(Self(email))
        } else {
            invalid()
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new password: 8 to 128 characters. The cap keeps a megabyte "password" from pinning a
/// core in argon2.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN: usize = 8;
    pub const MAX: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let len = raw.chars().count();
        if len == 0 {
            return Err("Please choose a password.".into());
        }
        if len < Self::MIN {
            return Err(format!("A password has at least {} characters.", Self::MIN));
        }
        if len > Self::MAX {
            return Err(format!("A password has at most {} characters.", Self::MAX));
        }
        Ok(Self(raw.to_string()))
    }

    /// Checks the confirmation field against the password as typed.
    pub fn confirm(password: &str, confirm: &str) -> Result<(), String> {
        if confirm.is_empty() {
            Err("Please type the password again.".into())
        } else if password != confirm {
            Err("The passwords do not match.".into())
        } else {
            Ok(())
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// The public face of an account, as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub is_admin: bool,
    pub avatar_url: String,
    pub bio: String,
}

pub const DEFAULT_AVATAR_URL: &str = "/default-avatar.svg";

/// The avatar address for a user: the stored picture's content-addressed URL (cacheable
/// forever), or the default picture.
pub fn avatar_url(user_id: i64, etag: Option<&str>) -> String {
    match etag {
        Some(etag) => format!("/media/avatars/{user_id}-{etag}.png"),
        None => DEFAULT_AVATAR_URL.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn username_rules() {
        assert_eq!(Username::parse("  ab ").unwrap().as_str(), "ab");
        assert!(Username::parse("a").is_err());
        assert!(Username::parse("").is_err());
        assert!(Username::parse(&"a".repeat(20)).is_ok());
        assert!(Username::parse(&"a".repeat(21)).is_err());
        assert!(Username::parse("jo_e-9").is_ok());
        assert!(Username::parse("jo e").is_err());
        assert!(Username::parse("jo<e").is_err());
        assert!(Username::parse("jöe").is_err());
    }

    #[test]
    fn email_rules() {
        assert_eq!(
            Email::parse(" Ann@Example.COM ").unwrap().as_str(),
            "ann@example.com"
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "ann@@example.com",
            "ann@exa mple.com",
            "ann@.example.com",
            "ann@example..com",
            ".ann@example.com",
            "a..nn@example.com",
            "ann@-example.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
        assert!(Email::parse("first.last+tag@mail.example.co.uk").is_ok());
        let long = format!("{}@example.com", "a".repeat(65));
        assert!(Email::parse(&long).is_err());
    }

    #[test]
    fn password_rules() {
        assert!(Password::parse("").is_err());
        assert!(Password::parse("1234567").is_err());
        assert!(Password::parse("12345678").is_ok());
        assert!(Password::parse(&"x".repeat(128)).is_ok());
        assert!(Password::parse(&"x".repeat(129)).is_err());
        assert!(Password::confirm("abcdefgh", "abcdefgh").is_ok());
        assert!(Password::confirm("abcdefgh", "abcdefgX").is_err());
        assert!(Password::confirm("abcdefgh", "").is_err());
        assert_eq!(
            format!("{:?}", Password::parse("secret123").unwrap()),
            "Password(***)"
        );
    }

    #[test]
    fn avatar_urls() {
        assert_eq!(avatar_url(3, None), DEFAULT_AVATAR_URL);
        assert_eq!(avatar_url(3, Some("abc")), "/media/avatars/3-abc.png");
    }
}

/// Percent-encodes text for a query value, leaving `/` readable in paths.
pub fn urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The login page, coming back to `next` afterwards.
pub fn login_url(next: &str) -> String {
    format!("/login?next={}", urlencode(next))
}

/// The `next` target after login, kept only when it is a path on this site: an absolute URL,
/// a protocol-relative `//host` or a `/\host` (which browsers treat alike) would be an open
/// redirect.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?.trim();
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\');
    local.then(|| next.to_string())
}

#[cfg(test)]
mod next_tests {
    use super::safe_next;

    #[test]
    fn login_urls() {
        assert_eq!(super::login_url("/post/new"), "/login?next=/post/new");
        assert_eq!(
            super::login_url("/user/a b?page=2"),
            "/login?next=/user/a%20b%3Fpage%3D2"
        );
    }

    #[test]
    fn only_local_paths() {
        assert_eq!(safe_next(Some("/account")), Some("/account".into()));
        assert_eq!(
            safe_next(Some("/user/ann?page=2")),
            Some("/user/ann?page=2".into())
        );
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "",
            "javascript:alert(1)",
            "/\tevil",
            "http:/x",
        ] {
            assert_eq!(safe_next(Some(bad)), None, "{bad}");
        }
        assert_eq!(safe_next(None), None);
    }
}
