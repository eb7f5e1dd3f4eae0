//! `truce audit`: the log of every human action and every write of the record, checked as a hash
//! chain, as a Merkle tree against signed heads, and against the rows it vouches for.

use std::process::ExitCode;

use anyhow::{Context as _, bail};
use truce_app::audit::{entries, issue_head, seal_unvouched, verify};
use truce_model::merkle::to_hex;
use truce_model::{PublicKey, SignedTreeHead};

use super::Context;

/// Arguments of `truce audit`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Check the chain, every signed head issued before and those given, and every row the log
    /// vouches for; exit status 1 when anything was tampered with.
    Verify {
        /// A signed head published before (its line, or a file holding such lines): the log must
        /// still hold the entries it pinned.
        #[arg(long = "against", value_name = "HEAD|FILE")]
        against: Vec<String>,
        /// The public key to check signatures with (hex), when this installation's key is not
        /// at hand (an outside verifier).
        #[arg(long)]
        public_key: Option<String>,
    },
    /// Sign the log's head now with the installation's key, keep a copy, and print it.
    Head,
    /// Print the installation's public key (hex), for those who check heads.
    Key,
    /// Vouch once for rows no entry vouches for (a database from before seals existed).
    Seal,
    /// Print the log (of one subject: `incident:12`, `user:ana`).
    Log {
        /// Only this subject.
        #[arg(long)]
        subject: Option<String>,
    },
}

/// Heads from arguments: a head's line, or a file of them (one a line, other lines ignored).
fn heads(args: &[String]) -> anyhow::Result<Vec<SignedTreeHead>> {
    let mut out = Vec::new();
    for a in args {
        if a.trim_start().starts_with("truce-tree-head") {
            out.push(a.parse::<SignedTreeHead>()?);
            continue;
        }
        let text = std::fs::read_to_string(a)
            .with_context(|| format!("{a:?} is neither a signed head nor a readable file"))?;
        let found: Vec<SignedTreeHead> = text
            .lines()
            .filter_map(|l| l.find("truce-tree-head").map(|i| &l[i..]))
            .map(|l| l.trim_end_matches(['`', ' ', '<', '>']).parse())
            .collect::<Result<_, _>>()
            .with_context(|| format!("a head in {a} cannot be read"))?;
        if found.is_empty() {
            bail!("{a} holds no signed head (a line starting `truce-tree-head v1`)");
        }
        out.extend(found);
    }
    Ok(out)
}

/// The installation's signing key, which `head` and `key` cannot do without.
fn signing_key(cx: &Context) -> anyhow::Result<truce_model::SigningKey> {
    cx.signing_key()?.with_context(|| {
        format!(
            "no signing key at {}: `truce init` makes one",
            cx.signing_key_path().display()
        )
    })
}

/// Runs `truce audit`.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    match args.action {
        Action::Verify {
            against,
            public_key,
        } => {
            let given = heads(&against)?;
            let key = match public_key {
                Some(hex) => Some(
                    PublicKey::from_hex(&hex)
                        .context("--public-key: expected 64 hex digits (32 bytes)")?,
                ),
                None => cx.signing_key()?.map(|k| k.public()),
            };
            let r = verify(store.as_ref(), &given, key.as_ref()).await?;
            match &r.chain {
                Ok(()) => println!(
                    "chain intact: {} entries, Merkle root {}",
                    r.entries,
                    to_hex(&r.root)
                ),
                Err(b) => println!("chain BROKEN at entry {}: {}", b.seq, b.reason),
            }
            for h in &r.heads {
                match &h.outcome {
                    Ok(note) => println!("head ({}) {note}: {}", h.origin, h.head),
                    Err(why) => println!("head ({}) FAILS: {why}\n  {}", h.origin, h.head),
                }
            }
            println!("rows checked against their seals: {}", r.rows_checked);
            for (what, list) in [
                ("ALTERED without an entry", &r.altered),
                ("DELETED without an entry", &r.missing),
                ("no entry vouches for", &r.unvouched),
            ] {
                if list.is_empty() {
                    continue;
                }
                let shown: Vec<String> = list.iter().take(20).map(ToString::to_string).collect();
                println!(
                    "{what}: {} rows ({}{})",
                    list.len(),
                    shown.join(", "),
                    if list.len() > 20 { ", ..." } else { "" }
                );
            }
            if !r.unvouched.is_empty() && r.altered.is_empty() && r.missing.is_empty() {
                println!(
                    "(rows from before seals existed are vouched for once with `truce audit seal`)"
                );
            }
            if r.intact() {
                println!("audit log intact");
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("the audit log or the record was tampered with: see above");
                Ok(ExitCode::FAILURE)
            }
        }
        Action::Head => {
            let key = signing_key(cx)?;
            println!("{}", issue_head(store.as_ref(), &key).await?);
            Ok(ExitCode::SUCCESS)
        }
        Action::Key => {
            println!("{}", signing_key(cx)?.public().to_hex());
            Ok(ExitCode::SUCCESS)
        }
        Action::Seal => {
            let n = seal_unvouched(store.as_ref(), &cx.actor()).await?;
            println!("vouched for {n} rows no entry vouched for");
            Ok(ExitCode::SUCCESS)
        }
        Action::Log { subject } => {
            for e in entries(store.as_ref(), subject.as_deref()).await? {
                println!(
                    "{:>6} {} {:<16} {:<18} {:<14} {}",
                    e.seq, e.at, e.actor, e.action, e.subject, e.detail
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
