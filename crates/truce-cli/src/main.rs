//! `truce`: ceasefire monitoring from the command line.
//!
//! This binary is glue: it parses arguments, reads `truce.toml`, opens the store and calls the
//! library crates. Every command lives in its own module under `commands/`.

mod commands;
mod config;
mod format;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Ceasefire monitoring: reports in, verified incidents out.
#[derive(Debug, Parser)]
#[command(name = "truce", version, about, propagate_version = true)]
struct Cli {
    /// The database: a SQLite file (created when missing).
    #[arg(long, global = true, env = "TRUCE_DB", default_value = "truce.db")]
    db: String,

    /// The configuration file.
    #[arg(
        long,
        global = true,
        env = "TRUCE_CONFIG",
        default_value = "truce.toml"
    )]
    config: PathBuf,

    /// Print no progress bar and fewer messages.
    #[arg(long, short, global = true)]
    quiet: bool,

    /// Log more (repeat for more detail); RUST_LOG overrides.
    #[arg(long, short, global = true, action = clap::ArgAction::Count)]
    verbose: u8,

    /// How log lines are written on standard error: `text` for people, `json` (one object a
    /// line, with the request id and the stage's span) for a log collector.
    #[arg(long, global = true, env = "TRUCE_LOG_FORMAT", default_value = "text")]
    log_format: LogFormat,

    /// Who the audit log names for the changes this command makes, as `cli:NAME` (default: the
    /// operating system's user).
    #[arg(long, global = true, env = "TRUCE_BY", value_name = "NAME")]
    by: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build a demo database from the bundled sample reports and serve the dashboard.
    Demo(commands::demo::Args),
    /// Serve the dashboard, incident pages and the REST API.
    Serve(commands::serve::Args),
    /// Manage accounts (admin, co-chair, party, monitor, viewer).
    User(commands::user::Args),
    /// Manage API tokens.
    Token(commands::token::Args),
    /// Check or print the audit log.
    Audit(commands::audit::Args),
    /// Add a ceasefire agreement (TOML) and list those on record.
    Agreement(commands::agreement::Args),
    /// Import and list the register of protected sites.
    Sites(commands::sites::Args),
    /// Keep the register of watched sources: feeds, pages and JSON endpoints fetched around
    /// the clock by `truce watch` (add, list, pause, resume, remove).
    Sources(commands::sources::Args),
    /// Fetch the watched sources on their schedules and take in what they bring, until Ctrl-C.
    Watch(commands::watch::Args),
    /// Assess every incident against the agreements and protected sites again.
    Assess(commands::assess::Args),
    /// List alerts raised by incidents near protected sites.
    Alerts(commands::assess::AlertsArgs),
    /// The ceasefire health index, day by day, with its inputs.
    Health(commands::health::Args),
    /// A day's counts by area, type, perpetrator and target, against the day and week before.
    Counts(commands::health::CountsArgs),
    /// Situation reports (`truce report daily --date D`).
    Report(commands::report::Args),
    /// Export incidents as ACLED CSV, UCDP GED CSV, GeoJSON or JSONL.
    Export(commands::export::Args),
    /// Hold truce's record against an ACLED or UCDP CSV file, or what was imported: matched,
    /// only in one.
    Compare(commands::datasets::CompareArgs),
    /// Store ACLED or UCDP GED files beside truce's record (kept apart from it), to compare and
    /// to show as a layer of the map.
    Import(commands::datasets::ImportArgs),
    /// Create the database and a default truce.toml.
    Init(commands::init::Args),
    /// Read files, folders or URLs and store every report in them.
    Ingest(commands::ingest::Args),
    /// List stored documents.
    Documents(commands::documents::Args),
    /// Show one document: its metadata and text, or its raw bytes.
    Show(commands::show::Args),
    /// Try failed documents again with the current parsers and settings.
    Retry(commands::retry::Args),
    /// List extracted events.
    Events(commands::events::Args),
    /// List statements: who said what, with title, organisation and source.
    Statements(commands::statements::Args),
    /// List incidents (one per occurrence, gathering every report of it); merge or split them.
    Incidents(commands::incidents::Args),
    /// Show one incident: the merged record, then every source with its sentence.
    Incident(commands::incident::Args),
    /// Correct a field of an incident's record (kept over every later merge; the incident is
    /// assessed again).
    Correct(commands::correct::Args),
    /// Retract an incident: it stays on the record, marked, and leaves exports and counts.
    Retract(commands::correct::RetractArgs),
    /// Resolve every stored event into incidents from scratch (decisions are kept).
    Recluster(commands::recluster::Args),
    /// Run the current extractor again over stored documents (after a lexicon change).
    Reextract(commands::reextract::Args),
    /// Extract places, events and statements from a text or a JSONL stream.
    Extract(commands::extract::Args),
    /// Score the extractor against gold data (the shared evaluation format).
    Eval(commands::eval::Args),
    /// Fit the engine's learned choices on gold data (writes the model files it embeds).
    Train(commands::train::Args),
    /// Build, extend and query the gazetteer.
    Gazetteer(commands::gazetteer::Args),
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    /// One plain line each, for people.
    Text,
    /// One JSON object a line, with its spans (the request and its id, the pipeline's stage).
    Json,
}

/// Logging on standard error: by default warnings only, each one plain line (no time, no
/// module), and the database driver's slow-statement notices left for `-v`; colour only on a
/// terminal. As JSON (a service's log), information too by default, and every line carries its
/// time, level, target and spans.
fn init_logging(verbose: u8, quiet: bool, format: LogFormat) {
    use std::io::IsTerminal as _;
    let default = match (quiet, verbose) {
        (true, _) => "error",
        // A service's log (a collector reads it): what each stage and request does.
        (false, 0) if format == LogFormat::Json => "info,sqlx=warn",
        (false, 0) => "warn,sqlx=error",
        (false, 1) => "info,sqlx=warn",
        (false, _) => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    if format == LogFormat::Json {
        tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init();
        return;
    }
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    if verbose == 0 {
        builder.without_time().with_target(false).init();
    } else {
        builder.init();
    }
}

/// mimalloc: the exports and the resolver allocate and free millions of small strings on several
/// threads at once, where the system allocator spent a tenth of their time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose, cli.quiet, cli.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => code,
        // The reader went away (`truce incidents | head`): not an error of ours.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
