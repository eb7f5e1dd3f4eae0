//! `truce train`: fit the engine's learned choices on gold data.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use truce_extract::Extractor;
use truce_learn::{TrainingFile, train};

use super::Context;

/// Arguments of `truce train`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder of gold files (every `.jsonl` in it whose records carry gold events or gold
    /// places).
    #[arg(long, default_value = "../shared/eval/dev")]
    data: PathBuf,

    /// Where the model files go (the engine embeds them from `crates/truce-extract/models`).
    #[arg(long, default_value = "crates/truce-extract/models")]
    out: PathBuf,

    /// Write nothing: train again and fail if the files differ from what is there (the models
    /// in the repository are the ones this code and data produce).
    #[arg(long)]
    check: bool,
}

/// Trains and writes (or checks) the models.
pub async fn run(_cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let files = TrainingFile::read_dir(&args.data)?;
    let records: usize = files.iter().map(|f| f.records.len()).sum();
    eprintln!(
        "training on {} records of {}",
        records,
        files
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let extractor = Extractor::new()?;
    let trained = train(&extractor, &files)?;
    let mut outputs = Vec::new();
    for t in &trained {
        let d = t.decision;
        outputs.push((args.out.join(format!("{d}.tsv")), t.full.to_text()));
        for (k, m) in t.folds.iter().enumerate() {
            outputs.push((
                args.out.join("cv").join(format!("{d}.{k}.tsv")),
                m.to_text(),
            ));
        }
    }
    let mut stale = Vec::new();
    for (path, text) in &outputs {
        if args.check {
            let old = std::fs::read_to_string(path).unwrap_or_default();
            if old != *text {
                stale.push(path.display().to_string());
            }
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            std::fs::write(path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    for t in &trained {
        eprintln!(
            "{}: {} candidate rows, {} right, {} features in the full model",
            t.decision,
            t.rows,
            t.positives,
            t.full.len(),
        );
    }
    eprintln!("trained in {:.1} s", started.elapsed().as_secs_f64());
    if args.check {
        if stale.is_empty() {
            println!("models are up to date ({} files)", outputs.len());
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "models differ from what training gives: {}",
            stale.join(", ")
        );
        eprintln!("run `truce train` and rebuild");
        return Ok(ExitCode::FAILURE);
    }
    for (path, _) in &outputs {
        println!("wrote {}", path.display());
    }
    println!("rebuild (`cargo build --release`) to embed them");
    Ok(ExitCode::SUCCESS)
}
