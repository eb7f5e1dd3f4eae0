//! `truce user`: accounts of the monitoring workspace.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use truce_model::Role;
use truce_store::NewUser;

use super::Context;

/// Arguments of `truce user`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Create an account; without --password-stdin a password is generated and printed once.
    Add {
        /// Login name.
        name: String,
        /// admin, co-chair, party, monitor or viewer.
        #[arg(long)]
        role: Role,
        /// For a party's account: the actor name it answers for ("Military Forces of Syria").
        #[arg(long)]
        party: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts.
    List,
    /// Shut an account: its sessions end and its API tokens are revoked.
    Disable {
        /// Login name.
        name: String,
    },
    /// Open a disabled account again (it needs new tokens).
    Enable {
        /// Login name.
        name: String,
    },
    /// Lift a lockout after failed logins (at once, on a running server too: the count lives in
    /// the database).
    Unlock {
        /// Login name.
        name: String,
    },
    /// Set a new password (ends the account's sessions and revokes its API tokens).
    Password {
        /// Login name.
        name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

/// A password from standard input, or a generated one (printed by the caller).
fn password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password")?;
        let p = line.trim_end_matches(['\n', '\r']).to_string();
        if p.chars().count() < 10 {
            bail!("the password must be at least 10 characters");
        }
        Ok((p, false))
    } else {
        Ok((
            truce_app::credentials::random_token()[..20].to_string(),
            true,
        ))
    }
}

/// Runs `truce user`.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    match args.action {
        Action::Add {
            name,
            role,
            party,
            password_stdin,
        } => {
            let name = name.trim().to_string();
            if name.is_empty()
                || name.len() > 64
                || !name
                    .chars()
                    .all(|c| c.is_alphanumeric() || "-_.".contains(c))
            {
                bail!("a username is 1 to 64 letters, digits, '-', '_' or '.'");
            }
            if role == Role::Party && party.as_deref().is_none_or(|p| p.trim().is_empty()) {
                bail!("a party's account needs --party (the actor name it answers for)");
            }
            if role != Role::Party && party.is_some() {
                bail!("--party is only for accounts with --role party");
            }
            let (pw, generated) = password(password_stdin)?;
            let hash = truce_app::credentials::hash_password(&pw).map_err(anyhow::Error::msg)?;
            let user = store
                .create_user(
                    &NewUser {
                        username: name,
                        password_hash: hash,
                        role,
                        party,
                    },
                    &cx.actor(),
                )
                .await?;
            println!(
                "created {} ({}{})",
                user.username,
                user.role,
                user.party.map(|p| format!(" for {p}")).unwrap_or_default()
            );
            if generated {
                println!("password: {pw}");
            }
        }
        Action::List => {
            for u in store.users().await? {
                println!(
                    "{:<20} {:<9} {}{}{}",
                    u.username,
                    u.role.as_str(),
                    u.party.unwrap_or_default(),
                    if u.disabled { " (disabled)" } else { "" },
                    u.locked_until
                        .map(|t| format!(" (locked until {})", t.format("%Y-%m-%d %H:%M UTC")))
                        .unwrap_or_default()
                );
            }
        }
        Action::Disable { name } => {
            if !store.set_disabled(&name, true, &cx.actor()).await? {
                bail!("no account named {name:?}");
            }
            println!("{name} disabled; its sessions are ended and its tokens revoked");
        }
        Action::Enable { name } => {
            if !store.set_disabled(&name, false, &cx.actor()).await? {
                bail!("no account named {name:?}");
            }
            println!("{name} enabled");
        }
        Action::Unlock { name } => {
            if !store.unlock_user(&name, &cx.actor()).await? {
                bail!("no account named {name:?}");
            }
            println!("{name} unlocked");
        }
        Action::Password {
            name,
            password_stdin,
        } => {
            let (pw, generated) = password(password_stdin)?;
            let hash = truce_app::credentials::hash_password(&pw).map_err(anyhow::Error::msg)?;
            if !store.set_password(&name, &hash, &cx.actor()).await? {
                bail!("no account named {name:?}");
            }
            println!("password of {name} changed; its sessions are ended and its tokens revoked");
            if generated {
                println!("password: {pw}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
