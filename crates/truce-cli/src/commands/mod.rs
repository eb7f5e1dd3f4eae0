//! One module per subcommand.

pub mod agreement;
pub mod assess;
pub mod audit;
pub mod correct;
pub mod datasets;
pub mod demo;
pub mod documents;
pub mod eval;
pub mod events;
pub mod export;
pub mod extract;
pub mod gazetteer;
pub mod health;
pub mod incident;
pub mod incidents;
pub mod ingest;
pub mod init;
pub mod recluster;
pub mod reextract;
pub mod report;
pub mod retry;
pub mod serve;
pub mod show;
pub mod sites;
pub mod sources;
pub mod statements;
pub mod token;
pub mod train;
pub mod user;
pub mod watch;

use std::process::ExitCode;

use anyhow::Context as _;
use truce_store::Store;

use crate::config::Config;
use crate::{Cli, Command};

/// The operating system's user running this command: `USER` or `LOGNAME`, else the name
/// `/etc/passwd` gives this process's user id, else `uid N`.
fn os_user() -> String {
    for var in ["USER", "LOGNAME"] {
        if let Ok(name) = std::env::var(var)
            && !name.trim().is_empty()
        {
            return name.trim().to_string();
        }
    }
    let uid = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|l| l.split_whitespace().next().map(str::to_string))
        });
    let Some(uid) = uid else {
        return "unknown".into();
    };
    std::fs::read_to_string("/etc/passwd")
        .ok()
        .and_then(|p| {
            p.lines().find_map(|l| {
                let mut f = l.split(':');
                let name = f.next()?;
                (f.nth(1)? == uid).then(|| name.to_string())
            })
        })
        .unwrap_or_else(|| format!("uid {uid}"))
}

/// Shared by every command: the parsed global options and configuration.
#[derive(Debug, Clone)]
pub struct Context {
    /// Database location.
    pub db: String,
    /// The configuration file's path.
    pub config_path: std::path::PathBuf,
    /// Settings from `truce.toml`.
    pub config: Config,
    /// `--quiet`.
    pub quiet: bool,
    /// `--by`: who the audit log names for this command's changes.
    pub by: Option<String>,
}

impl Context {
    /// Who the audit log names for a change made from the command line: `cli:` and `--by NAME`
    /// when given, else the operating system's user.
    pub fn actor(&self) -> String {
        match self.by.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
            Some(by) => format!("cli:{by}"),
            None => format!("cli:{}", os_user()),
        }
    }

    /// Opens the store.
    pub async fn store(&self) -> anyhow::Result<Box<dyn Store>> {
        truce_store::open(&self.db)
            .await
            .with_context(|| format!("cannot open the database {}", self.db))
    }

    /// Where the audit log's signing key lives (relative paths are taken from truce.toml's
    /// folder).
    pub fn signing_key_path(&self) -> std::path::PathBuf {
        let p = &self.config.audit.signing_key;
        if p.is_absolute() {
            p.clone()
        } else {
            self.config_path
                .parent()
                .unwrap_or(std::path::Path::new("."))
                .join(p)
        }
    }

    /// The audit log's signing key, when this installation has one.
    pub fn signing_key(&self) -> anyhow::Result<Option<truce_model::SigningKey>> {
        let path = self.signing_key_path();
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(
                truce_model::SigningKey::from_pkcs8(&bytes).with_context(|| {
                    format!("the signing key {} cannot be used", path.display())
                })?,
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Makes the signing key when there is none (readable by its owner only); says whether it
    /// made one.
    pub fn ensure_signing_key(&self) -> anyhow::Result<bool> {
        let path = self.signing_key_path();
        if path.exists() {
            return Ok(false);
        }
        let bytes = truce_model::SigningKey::generate()?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options
            .open(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        std::io::Write::write_all(&mut f, &bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(true)
    }
}

/// Runs the chosen command; the exit code says whether anything failed.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = match &cli.command {
        // `init` writes the configuration; it must not fail on a broken one.
        Command::Init(_) => Config::default(),
        _ => Config::load(&cli.config)?,
    };
    let cx = Context {
        db: cli.db,
        config_path: cli.config,
        config,
        quiet: cli.quiet,
        by: cli.by,
    };
    match cli.command {
        Command::Init(args) => init::run(&cx, args).await,
        Command::Ingest(args) => ingest::run(&cx, args).await,
        Command::Documents(args) => documents::run(&cx, args).await,
        Command::Gazetteer(args) => gazetteer::run(&cx, args).await,
        Command::Extract(args) => extract::run(&cx, args).await,
        Command::Eval(args) => eval::run(&cx, args).await,
        Command::Train(args) => train::run(&cx, args).await,
        Command::Events(args) => events::run(&cx, args).await,
        Command::Reextract(args) => reextract::run(&cx, args).await,
        Command::Statements(args) => statements::run(&cx, args).await,
        Command::Show(args) => show::run(&cx, args).await,
        Command::Retry(args) => retry::run(&cx, args).await,
        Command::Incidents(args) => incidents::run(&cx, args).await,
        Command::Incident(args) => incident::run(&cx, args).await,
        Command::Correct(args) => correct::run(&cx, args).await,
        Command::Retract(args) => correct::retract(&cx, args).await,
        Command::Recluster(args) => recluster::run(&cx, args).await,
        Command::Serve(args) => serve::run(&cx, args).await,
        Command::Demo(args) => demo::run(&cx, args).await,
        Command::User(args) => user::run(&cx, args).await,
        Command::Token(args) => token::run(&cx, args).await,
        Command::Audit(args) => audit::run(&cx, args).await,
        Command::Agreement(args) => agreement::run(&cx, args).await,
        Command::Sites(args) => sites::run(&cx, args).await,
        Command::Sources(args) => sources::run(&cx, args).await,
        Command::Watch(args) => watch::run(&cx, args).await,
        Command::Assess(args) => assess::run(&cx, args).await,
        Command::Alerts(args) => assess::alerts(&cx, args).await,
        Command::Health(args) => health::run(&cx, args).await,
        Command::Counts(args) => health::counts(&cx, args).await,
        Command::Report(args) => report::run(&cx, args).await,
        Command::Export(args) => export::run(&cx, args).await,
        Command::Compare(args) => datasets::compare(&cx, args).await,
        Command::Import(args) => datasets::import(&cx, args).await,
    }
}
