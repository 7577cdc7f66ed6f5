//! Typed configuration: environment variables over an optional TOML file over defaults.

mod limits;

pub use limits::Limits;
use limits::{optional_positive, positive};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("could not read the config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the config file {path} is not valid TOML: {source}")]
    Parse {
        path: PathBuf,
        source: Box<toml::de::Error>,
    },
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error(
        "SECRET_KEY is not set. In production Quill refuses to start without one: set SECRET_KEY \
         to a random string of at least 32 characters (for example `openssl rand -hex 32`)."
    )]
    MissingSecret,
    #[error("could not keep the development secret in {path}: {source}")]
    Secret {
        path: PathBuf,
        source: std::io::Error,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Development,
    Production,
}

/// SMTP settings; without them mail is written to files in `mail_dir`.
#[derive(Clone, Default, Deserialize)]
pub struct SmtpConfig {
    pub host: String,
    #[serde(default)]
    pub port: Option<u16>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    /// `tls` (implicit TLS), `starttls` (the default) or `none` (a local relay).
    #[serde(default)]
    pub security: Option<String>,
}

/// Shown in logs and panics without its secrets (see the `Debug` impl).
#[derive(Clone)]
pub struct Config {
    pub environment: Environment,
    pub database_url: String,
    pub secret_key: String,
    /// The address people reach the site at, used in links sent by mail.
    pub public_url: String,
    pub mail_from: String,
    pub mail_dir: PathBuf,
    pub smtp: Option<SmtpConfig>,
    /// The largest avatar upload accepted, in bytes.
    pub max_avatar_bytes: usize,
    /// How long a password-reset link works.
    pub reset_token_minutes: i64,
    /// How long an API token works (API_TOKEN_SECONDS, default one hour).
    pub api_token_seconds: i64,
    /// Origins whose pages may call the API (CORS_ORIGINS, comma-separated; none by default).
    pub cors_origins: Vec<String>,
    pub limits: Limits,
    /// Proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed (TRUSTED_PROXIES,
    /// comma-separated addresses or networks; none by default).
    pub trusted_proxies: Vec<crate::net::IpNet>,
    /// Clients that may read `/metrics` (METRICS_ALLOW, addresses or networks; loopback by
    /// default).
    pub metrics_allow: Vec<crate::net::IpNet>,
}

/// What `Debug` prints for a secret that is set.
const REDACTED: &str = "<redacted>";

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| REDACTED))
            .field("security", &self.security)
            .finish()
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("environment", &self.environment)
            .field("database_url", &self.database_url)
            .field("secret_key", &REDACTED)
            .field("public_url", &self.public_url)
            .field("mail_from", &self.mail_from)
            .field("mail_dir", &self.mail_dir)
            .field("smtp", &self.smtp)
            .field("max_avatar_bytes", &self.max_avatar_bytes)
            .field("reset_token_minutes", &self.reset_token_minutes)
            .field("api_token_seconds", &self.api_token_seconds)
            .field("cors_origins", &self.cors_origins)
            .field("limits", &self.limits)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("metrics_allow", &self.metrics_allow)
            .finish()
    }
}

/// The optional file, every key optional.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    environment: Option<Environment>,
    database_url: Option<String>,
    secret_key: Option<String>,
    public_url: Option<String>,
    mail_from: Option<String>,
    mail_dir: Option<PathBuf>,
    smtp: Option<SmtpConfig>,
    max_avatar_bytes: Option<usize>,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://quill.db?mode=rwc";

impl Config {
    /// Reads `QUILL_CONFIG` (a TOML file) if set, then the environment.
    pub fn load() -> Result<Self, ConfigError> {
        let file = match std::env::var_os("QUILL_CONFIG") {
            Some(path) => read_file(Path::new(&path))?,
            None => FileConfig::default(),
        };
        Self::from_sources(file, |name| std::env::var(name).ok())
    }

    /// Builds the config from a lookup of variables alone (tests and embedding).
    pub fn from_lookup(env: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Self::from_sources(FileConfig::default(), env)
    }

    fn from_sources(
        file: FileConfig,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let environment = match env("QUILL_ENV").as_deref() {
            Some("production") => Environment::Production,
            Some("development") => Environment::Development,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "QUILL_ENV",
                    reason: format!("`{other}`: use `development` or `production`"),
                })
            }
            None => file.environment.unwrap_or(Environment::Development),
        };
        let database_url = env("DATABASE_URL")
            .or(file.database_url)
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres")) {
            return Err(ConfigError::Invalid {
                name: "DATABASE_URL",
                reason: "use sqlite://FILE or postgres://…".into(),
            });
        }
        let secret_key = match env("SECRET_KEY").or(file.secret_key) {
            Some(key) if key.len() >= 32 => key,
            Some(_) => {
                return Err(ConfigError::Invalid {
                    name: "SECRET_KEY",
                    reason: "it must be at least 32 characters long".into(),
                })
            }
            None if environment == Environment::Production => {
                return Err(ConfigError::MissingSecret)
            }
            None => development_secret(&database_url)?,
        };
        let public_url = env("PUBLIC_URL")
            .or(file.public_url)
            .unwrap_or_else(|| "http://127.0.0.1:3000".to_string())
            .trim_end_matches('/')
            .to_string();
        let smtp = match env("SMTP_HOST") {
            Some(host) => Some(SmtpConfig {
                host,
                port: optional_positive(&env, "SMTP_PORT")?,
                username: env("SMTP_USERNAME"),
                password: env("SMTP_PASSWORD"),
                security: env("SMTP_SECURITY"),
            }),
            None => file.smtp,
        };
        let max_avatar_bytes = positive(
            &env,
            "MAX_AVATAR_BYTES",
            file.max_avatar_bytes.unwrap_or(5 * 1024 * 1024),
        )?;
        Ok(Self {
            environment,
            database_url,
            secret_key,
            public_url,
            mail_from: env("MAIL_FROM")
                .or(file.mail_from)
                .unwrap_or_else(|| "Quill <noreply@quill.invalid>".to_string()),
            mail_dir: env("MAIL_DIR")
                .map(PathBuf::from)
                .or(file.mail_dir)
                .unwrap_or_else(|| PathBuf::from("mail")),
            smtp,
            max_avatar_bytes,
            reset_token_minutes: 30,
            cors_origins: env("CORS_ORIGINS")
                .map(|list| {
                    list.split(',')
                        .map(|o| o.trim().trim_end_matches('/').to_string())
                        .filter(|o| !o.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            api_token_seconds: positive(&env, "API_TOKEN_SECONDS", 3600)?,
            limits: Limits::from_env(&env)?,
            trusted_proxies: networks(&env, "TRUSTED_PROXIES", "")?,
            metrics_allow: networks(&env, "METRICS_ALLOW", "127.0.0.1, ::1")?,
        })
    }

    /// What is unsafe about how the site is reached, if anything: in production a
    /// `PUBLIC_URL` without https (other than this machine) sends passwords and session cookies
    /// in the clear.
    pub fn transport_warning(&self) -> Option<String> {
        let host = self
            .public_url
            .strip_prefix("http://")?
            .split(['/', ':'])
            .next()
            .unwrap_or_default();
        let local = matches!(host, "localhost" | "127.0.0.1" | "[") || host.starts_with("127.");
        (self.environment == Environment::Production && !local).then(|| {
            format!(
                "!!! PUBLIC_URL is {} in production: passwords and session cookies travel \
                 unencrypted. Serve Quill over https (see deploy/) and set PUBLIC_URL to its \
                 https:// address. !!!",
                self.public_url
            )
        })
    }

    /// Secure cookies when the site is served over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// A comma-separated list of addresses or networks from the variable `name`, else `default`.
fn networks(
    env: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: &str,
) -> Result<Vec<crate::net::IpNet>, ConfigError> {
    env(name)
        .unwrap_or_else(|| default.to_string())
        .split(',')
        .filter(|entry| !entry.trim().is_empty())
        .map(|entry| {
            crate::net::IpNet::parse(entry).ok_or_else(|| ConfigError::Invalid {
                name,
                reason: format!("`{}` is not an address or network", entry.trim()),
            })
        })
        .collect()
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    toml::from_str(&text).map_err(|source| ConfigError::Parse {
        path: path.to_path_buf(),
        source: Box::new(source),
    })
}

/// In development a missing secret is made once and kept next to the SQLite database (or in
/// the working directory for PostgreSQL), so sessions survive restarts.
fn development_secret(database_url: &str) -> Result<String, ConfigError> {
    let dir = sqlite_path(database_url)
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    let path = dir.join(".quill-secret");
    let io_err = |source| ConfigError::Secret {
        path: path.clone(),
        source,
    };
    match std::fs::read_to_string(&path) {
        Ok(secret) if secret.trim().len() >= 32 => Ok(secret.trim().to_string()),
        _ => {
            use rand::RngCore;
            let mut bytes = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            std::fs::write(&path, &secret).map_err(io_err)?;
            Ok(secret)
        }
    }
}

/// The file behind a `sqlite:` URL, if it names one.
pub fn sqlite_path(database_url: &str) -> Option<PathBuf> {
    let rest = database_url.strip_prefix("sqlite:")?;
    let rest = rest.trim_start_matches("//");
    let file = rest.split('?').next().unwrap_or_default();
    if file.is_empty() || file == ":memory:" {
        None
    } else {
        Some(PathBuf::from(file))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_sources(FileConfig::default(), |name| map.get(name).cloned())
    }

    #[test]
    fn production_needs_a_secret() {
        let err = load(&[("QUILL_ENV", "production")]).unwrap_err();
        assert!(matches!(err, ConfigError::MissingSecret));
        assert!(err.to_string().contains("SECRET_KEY"));
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(load(&[("SECRET_KEY", "short")]).is_err());
    }

    #[test]
    fn env_overrides_defaults() {
        let key = "k".repeat(40);
        let cfg = load(&[
            ("SECRET_KEY", &key),
            ("DATABASE_URL", "postgres://x@localhost/db"),
            ("PUBLIC_URL", "https://blog.example/"),
        ])
        .unwrap();
        assert_eq!(cfg.database_url, "postgres://x@localhost/db");
        assert_eq!(cfg.public_url, "https://blog.example");
        assert!(cfg.secure_cookies());
        assert_eq!(cfg.max_avatar_bytes, 5 * 1024 * 1024);
    }

    #[test]
    fn numbers_are_whole_and_above_zero() {
        let key = "k".repeat(40);
        let cfg = load(&[
            ("SECRET_KEY", &key),
            ("MAX_AVATAR_BYTES", "300000"),
            ("API_TOKEN_SECONDS", "60"),
            ("SMTP_HOST", "mail.example"),
            ("SMTP_PORT", "2525"),
        ])
        .unwrap();
        assert_eq!(cfg.max_avatar_bytes, 300_000);
        assert_eq!(cfg.api_token_seconds, 60);
        assert_eq!(cfg.smtp.and_then(|smtp| smtp.port), Some(2525));
        for (name, bad) in [
            ("MAX_AVATAR_BYTES", "5MB"),
            ("MAX_AVATAR_BYTES", "0"),
            ("API_TOKEN_SECONDS", "-1"),
            ("SMTP_PORT", "smtp"),
            ("SMTP_PORT", "70000"),
        ] {
            let err = load(&[("SECRET_KEY", &key), ("SMTP_HOST", "m"), (name, bad)]).unwrap_err();
            assert!(
                matches!(err, ConfigError::Invalid { name: n, .. } if n == name),
                "{name}={bad}: {err}"
            );
        }
    }

    #[test]
    fn debug_output_keeps_secrets() {
        let key = "s3cret-key-s3cret-key-s3cret-key-42";
        let cfg = load(&[
            ("SECRET_KEY", key),
            ("SMTP_HOST", "mail.example"),
            ("SMTP_PASSWORD", "hunter2-smtp"),
        ])
        .unwrap();
        let shown = format!("{cfg:?}");
        assert!(
            !shown.contains(key) && !shown.contains("hunter2-smtp"),
            "{shown}"
        );
        assert!(
            shown.contains("mail.example") && shown.contains(REDACTED),
            "{shown}"
        );
    }

    #[test]
    fn sqlite_paths() {
        assert_eq!(
            sqlite_path("sqlite://quill.db?mode=rwc"),
            Some(PathBuf::from("quill.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:///var/lib/q.db"),
            Some(PathBuf::from("/var/lib/q.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x"), None);
    }
}
