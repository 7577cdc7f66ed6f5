//! Outgoing mail through lettre: SMTP when configured, otherwise each message is written as an
//! .eml file to the mail folder (and its first link logged) so a developer can follow it.

use super::config::{Config, SmtpConfig};
use lettre::message::{header::ContentType, Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address: {0}")]
    Address(#[from] lettre::address::AddressError),
    #[error("could not build the message: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("SMTP failed: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("could not write the message file: {0}")]
    File(#[from] lettre::transport::file::Error),
    #[error("could not create the mail folder: {0}")]
    Folder(#[from] std::io::Error),
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Self, MailError> {
        let from: Mailbox = config.mail_from.parse()?;
        let transport = match &config.smtp {
            Some(smtp) => Transport::Smtp(smtp_transport(smtp)?),
            None => Transport::Files(config.mail_dir.clone()),
        };
        Ok(Self { from, transport })
    }

    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), MailError> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(to.parse()?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.clone())?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message).await?;
            }
            Transport::Files(dir) => {
                tokio::fs::create_dir_all(dir).await?;
                let id = AsyncFileTransport::<Tokio1Executor>::new(dir)
                    .send(message)
                    .await?;
                // The file, not the link: a reset link is a password for half an hour and
                // has no place in a log.
                tracing::info!(to, file = %dir.join(format!("{id}.eml")).display(), "mail written");
            }
        }
        Ok(())
    }
}

fn smtp_transport(smtp: &SmtpConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailError> {
    let mut builder = match smtp.security.as_deref() {
        Some("tls") => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)?,
        Some("none") => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
        _ => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)?,
    };
    if let Some(port) = smtp.port {
        builder = builder.port(port);
    }
    if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(builder.build())
}
