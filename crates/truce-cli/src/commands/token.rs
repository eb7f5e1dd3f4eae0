//! `truce token`: API tokens for machines.

use std::process::ExitCode;

use anyhow::bail;

use super::Context;

/// Arguments of `truce token`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Create a token for an account; it is printed once.
    Add {
        /// The account.
        user: String,
        /// What it is for.
        #[arg(long, default_value = "api")]
        name: String,
        /// Days until it expires (1 to 365).
        #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(i64).range(1..=365))]
        expires: i64,
    },
    /// List tokens.
    List,
    /// Revoke a token.
    Revoke {
        /// Its id.
        id: i64,
    },
}

/// Runs `truce token`.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    let actor = cx.actor();
    match args.action {
        Action::Add {
            user,
            name,
            expires,
        } => {
            let token = truce_app::credentials::random_token();
            let expires_at = chrono::Utc::now() + chrono::Duration::days(expires);
            let id = store
                .create_token(
                    &user,
                    &name,
                    &truce_app::credentials::token_hash(&token),
                    expires_at,
                    &actor,
                )
                .await?;
            println!(
                "token {id} for {user}, valid until {}: {token}",
                expires_at.format("%Y-%m-%d %H:%M UTC")
            );
            println!("(shown once; send it as `Authorization: Bearer <token>`)");
        }
        Action::List => {
            for t in store.tokens().await? {
                println!(
                    "{:>4} {:<16} {:<20} created {}, expires {}{}",
                    t.id,
                    t.username,
                    t.name,
                    t.created_at.format("%Y-%m-%d %H:%M"),
                    t.expires_at.format("%Y-%m-%d %H:%M"),
                    t.revoked_at
                        .map(|r| format!(", revoked {}", r.format("%Y-%m-%d %H:%M")))
                        .unwrap_or_default()
                );
            }
        }
        Action::Revoke { id } => {
            if !store.revoke_token(id, &actor).await? {
                bail!("no live token {id}");
            }
            println!("token {id} revoked");
        }
    }
    Ok(ExitCode::SUCCESS)
}
