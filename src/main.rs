//! The `quill` command: serve the site, migrate the database, create users.

use clap::{Parser, Subcommand};
use leptos::config::get_configuration;
use quill::backend::config::Config;
use quill::backend::http::{build_state, router, spawn_pruner};
use quill::backend::services::{self, Registration};
use std::io::BufRead;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

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
    /// Create an account. The password is read from QUILL_PASSWORD or the first line of stdin.
    /// Fill the database with demo data: the same data for the same --seed.
    Seed {
        #[arg(long, default_value_t = 10)]
        users: usize,
        #[arg(long, default_value_t = 100)]
        posts: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
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

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("quill: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let config = Config::load().map_err(|e| e.to_string())?;
    // Leptos.toml holds the site options so the binary runs from a deploy folder;
    // cargo-leptos and LEPTOS_* variables override them.
    let leptos = get_configuration(Some("Leptos.toml")).map_err(|e| format!("Leptos.toml: {e}"))?;
    let state = build_state(config, leptos.leptos_options.clone())
        .await
        .map_err(|e| e.to_string())?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            println!("migrations applied");
            Ok(())
        }
        Command::Seed { users, posts, seed } => {
            let started = std::time::Instant::now();
            let report = quill::backend::seed::seed(&state.db, users, posts, seed)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "seeded {} users and {} posts in {:.2?} (password of every demo user: {})",
                report.users,
                report.posts,
                started.elapsed(),
                quill::backend::seed::DEMO_PASSWORD
            );
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
                        .map_err(|e| e.to_string())?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let registration =
                Registration::parse(&username, &email, &password, &password).map_err(describe)?;
            let id = services::register(&state.db, registration, admin)
                .await
                .map_err(describe)?;
            println!(
                "created user {id} ({username}){}",
                if admin { " as admin" } else { "" }
            );
            Ok(())
        }
        Command::Serve => {
            let addr = leptos.leptos_options.site_addr;
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
            spawn_pruner(state.db.clone());
            tracing::info!("Quill is listening on http://{addr}");
            axum::serve(listener, router(state))
                .with_graceful_shutdown(shutdown_signal())
                .await
                .map_err(|e| e.to_string())
        }
    }
}

fn describe(err: services::ServiceError) -> String {
    match err {
        services::ServiceError::Invalid(errors) | services::ServiceError::Taken(errors) => errors
            .0
            .iter()
            .map(|(field, message)| format!("{field}: {message}"))
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
