//! The `quill` command: serve the site, migrate the database, create users.

use clap::{Parser, Subcommand};
use leptos::config::{get_configuration, Env, LeptosOptions};
use quill::domain::config::{Config, ConfigError};
use quill::domain::db::BackupError;
use quill::domain::users::{self, Registration};
use quill::domain::{Error, Services};
use quill::web::server::Application;
use std::io::BufRead;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

/// mimalloc rather than glibc's malloc: rendering a page allocates and frees many small
/// strings on every worker thread (DESIGN.md, Performance).
#[global_allocator]
static ALLOCATOR: quill::alloc::Allocator = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "quill", version, about = "A self-hosted multi-user blog")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site (the default).
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Copy the SQLite database, consistently, while Quill may be running (VACUUM INTO).
    Backup {
        /// The new file to write.
        path: std::path::PathBuf,
    },
    /// Fill the database with demo data: the same data for the same --seed.
    Seed {
        #[arg(long, default_value_t = 10)]
        users: usize,
        #[arg(long, default_value_t = 100)]
        posts: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// `short`: a few sentences of plain text a post, what the tests seed; `blog`: posts
        /// shaped like real blogs' (Markdown of a few thousand characters, some of tens of
        /// thousands), with comments, likes and follows: what the benchmarks seed.
        #[arg(long, default_value = "short", value_parser = parse_corpus)]
        corpus: quill::domain::seed::Corpus,
    },
    /// Create an account. The password is read from QUILL_PASSWORD or the first line of stdin.
    CreateUser {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        /// Make the account an administrator.
        #[arg(long)]
        admin: bool,
    },
}

/// The most threads of tokio's blocking pool (its default is 512). Hashing and picture
/// decoding are bounded by their own pools (`crates/domain/src/work.rs`); what else runs there is file
/// reading for the site folder's files, a request's worth at a time. A flood of requests for
/// files must queue here instead of starting a thread (and its memory) each.
const MAX_BLOCKING_THREADS: usize = 32;

fn main() -> ExitCode {
    quill::alloc::purge_at_once();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .build();
    match runtime {
        Ok(runtime) => runtime.block_on(start()),
        Err(err) => {
            eprintln!("quill: cannot start the async runtime: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn start() -> ExitCode {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // LOG_FORMAT=json: one JSON object a line, with the request's fields, for machines.
    if std::env::var("LOG_FORMAT").is_ok_and(|f| f == "json") {
        tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("quill: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Why a command failed, as the operator reads it.
/// A corpus named on the command line.
fn parse_corpus(name: &str) -> Result<quill::domain::seed::Corpus, String> {
    quill::domain::seed::Corpus::parse(name)
        .ok_or_else(|| format!("`{name}` is no corpus: short or blog"))
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("Leptos.toml: {0}")]
    LeptosToml(#[from] leptos::config::errors::LeptosConfigError),
    #[error("LEPTOS_SITE_ADDR `{value}`: {source}")]
    SiteAddr {
        value: String,
        source: std::net::AddrParseError,
    },
    #[error(transparent)]
    Start(#[from] quill::web::StartError),
    #[error(transparent)]
    StartServices(#[from] quill::domain::StartError),
    #[error("serving failed: {0}")]
    Serve(#[source] std::io::Error),
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error(transparent)]
    Seed(#[from] quill::domain::seed::SeedError),
    #[error("could not read the password from standard input: {0}")]
    ReadPassword(#[source] std::io::Error),
    #[error("{}", describe(.0))]
    Refused(#[from] Error),
}

async fn run(cli: Cli) -> Result<(), CliError> {
    let config = Config::load()?;
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Serve = command {
        let app = Application::build(config, site_options()?).await?;
        tracing::info!("Quill is listening on http://{}", app.address());
        return app
            .run_until_stopped(shutdown_signal())
            .await
            .map_err(CliError::Serve);
    }
    let state = Services::start(config).await?;
    match command {
        Command::Serve | Command::Migrate => {
            println!("migrations applied");
            Ok(())
        }
        Command::Backup { path } => {
            quill::domain::db::backup(&state.db, &state.config.database_url, &path).await?;
            println!("backed up to {}", path.display());
            Ok(())
        }
        Command::Seed {
            users,
            posts,
            seed,
            corpus,
        } => {
            let started = std::time::Instant::now();
            let report = quill::domain::seed::seed(&state.db, users, posts, seed, corpus).await?;
            println!(
                "seeded {} users and {} posts in {:.2?} (password of every demo user: {})",
                report.users,
                report.posts,
                started.elapsed(),
                quill::domain::seed::DEMO_PASSWORD
            );
            println!("{report}");
            if let Some(id) = report.longest_post {
                println!("longest post: {id}");
            }
            Ok(())
        }
        Command::CreateUser {
            username,
            email,
            admin,
        } => {
            let password = match std::env::var("QUILL_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin()
                        .lock()
                        .read_line(&mut line)
                        .map_err(CliError::ReadPassword)?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let registration = Registration::parse(&username, &email, &password, &password)?;
            let id = users::register(&state, registration, admin).await?;
            println!(
                "created user {id} ({username}){}",
                if admin { " as admin" } else { "" }
            );
            Ok(())
        }
    }
}

/// Where the site is and where to listen. In a folder with a `Leptos.toml` (the source tree,
/// where cargo-leptos works) from that file, overridden by `LEPTOS_*` variables; anywhere else
/// from the variables alone, the site folder defaulting to `site/` beside the binary, so that
/// an installed Quill runs from any directory.
fn site_options() -> Result<LeptosOptions, CliError> {
    if std::path::Path::new("Leptos.toml").exists() {
        return Ok(get_configuration(Some("Leptos.toml"))?.leptos_options);
    }
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let site_root = match var("LEPTOS_SITE_ROOT") {
        Some(root) => root,
        None => std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join("site")))
            .map(|dir| dir.display().to_string())
            .unwrap_or_else(|| "site".to_string()),
    };
    let site_addr = var("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".to_string());
    let site_addr: std::net::SocketAddr =
        site_addr.parse().map_err(|source| CliError::SiteAddr {
            value: site_addr.clone(),
            source,
        })?;
    let env = match var("LEPTOS_ENV").as_deref() {
        Some("DEV" | "dev" | "development") => Env::DEV,
        _ => Env::PROD,
    };
    let mut options = LeptosOptions::builder()
        .output_name(var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|| "quill".to_string()))
        .site_root(site_root)
        .site_pkg_dir(var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|| "pkg".to_string()))
        .site_addr(site_addr)
        .env(env)
        .build();
    // The release built by cargo-leptos has hashed file names, listed in hash.txt beside the
    // program: used whenever that file is there, unless LEPTOS_HASH_FILES says otherwise.
    options.hash_files = match var("LEPTOS_HASH_FILES") {
        Some(value) => value == "true",
        None => quill::web::assets::hash_file(&options).is_some_and(|path| path.exists()),
    };
    Ok(options)
}

/// A refusal field by field (`username: That username is taken.`), anything else as it says.
fn describe(err: &Error) -> String {
    match err {
        Error::Invalid(errors) | Error::Conflict(errors) => errors
            .0
            .iter()
            .map(|(field, message)| format!("{}: {message}", field.as_str()))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// Ctrl-C or SIGTERM: stop accepting, finish the requests in flight, exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
