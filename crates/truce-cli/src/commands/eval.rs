//! `truce eval`: score the extractor against gold data.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;

use truce_cluster::{ClusterEvent, Resolver, ResolverConfig};
use truce_eval::{Predictions, clustering, format_text, score};
use truce_extract::learn::FOLDS;
use truce_extract::{Extractor, Models};
use truce_model::EventRef;

use super::Context;

/// Arguments of `truce eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A gold JSONL file (the shared evaluation format); repeat for several.
    #[arg(long, required = true)]
    gold: Vec<PathBuf>,

    /// Score these predictions (`truce extract --jsonl` output) instead of running the
    /// extractor; only with a single --gold.
    #[arg(long)]
    pred: Option<PathBuf>,

    /// One JSON object per gold file instead of the text report.
    #[arg(long)]
    json: bool,

    /// Also resolve the predicted events into incidents and score how the reports are grouped
    /// (pairwise and B-cubed) against the gold's own grouping (`gold.incident` on each record)
    /// or, without one, the FA-KES proxy grouping (gold date, place and cause).
    #[arg(long)]
    clustering: bool,

    /// With --clustering, list this many disagreeing pairs of each kind.
    #[arg(long, default_value_t = 0, value_name = "N")]
    show_pairs: usize,

    /// Decide with the rules alone, without the learned models (to see what the models add).
    #[arg(long)]
    rules_only: bool,

    /// Also write the predictions scored (each record read as it was scored: by its fold's
    /// model where a model was trained on the file) as JSONL, in the gold file's order, to see
    /// what was got wrong; only with a single --gold.
    #[arg(long, value_name = "PATH")]
    write_predictions: Option<PathBuf>,
}

/// How the learned choices were scored on one gold file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Learned {
    /// The file is among the training data of these decisions' models: each record read with
    /// the models of its fold, fitted without it (the other decisions by the shipped models).
    CrossValidated(Vec<&'static str>),
    /// The file is not among the training data: the shipped models.
    Shipped,
    /// No learned model (`--rules-only`).
    RulesOnly,
}

impl Learned {
    fn describe(&self) -> String {
        match self {
            Learned::CrossValidated(decisions) => format!(
                "learned choices ({}) cross-validated: {FOLDS} folds by record id, each record read with the model fitted without its fold",
                decisions.join(", ")
            ),
            Learned::Shipped => {
                "learned choices by the shipped models: this file is not among their training data"
                    .into()
            }
            Learned::RulesOnly => "rules only: no learned model".into(),
        }
    }

    fn key(&self) -> &'static str {
        match self {
            Learned::CrossValidated(_) => "cross-validated",
            Learned::Shipped => "shipped",
            Learned::RulesOnly => "rules-only",
        }
    }
}

/// The engines that read one gold file: one per fold when a model was trained on it (that
/// decision by the fold's model, the others by the shipped ones).
fn engines(
    extractor: &Extractor,
    gold_bytes: &[u8],
    rules_only: bool,
) -> anyhow::Result<(Learned, Vec<Extractor>)> {
    if rules_only {
        return Ok((
            Learned::RulesOnly,
            vec![extractor.with_models(Models::none())],
        ));
    }
    let sha = truce_learn::sha256_hex(gold_bytes);
    let shipped = extractor.models();
    let seen = shipped.trained_on(&sha);
    if seen.is_empty() {
        return Ok((Learned::Shipped, vec![extractor.clone()]));
    }
    let folds = (0..FOLDS)
        .map(|k| {
            let fold = Models::fold(k)?;
            let mut models = shipped.clone();
            for d in &seen {
                models = models.with(d, fold.get(d).cloned());
            }
            Ok(extractor.with_models(models))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok((Learned::CrossValidated(seen), folds))
}

/// Groups reports by the incident their first predicted event falls in.
fn predicted_grouping(gold: &[Value], preds: &Predictions) -> BTreeMap<String, String> {
    let mut resolver = Resolver::new(ResolverConfig::default());
    let mut first: BTreeMap<EventRef, String> = BTreeMap::new();
    for (n, r) in gold.iter().enumerate() {
        let Some(id) = r.get("id").and_then(Value::as_str) else {
            continue;
        };
        let published = r
            .get("published")
            .and_then(Value::as_str)
            .and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok());
        let Some(record) = preds.record(id) else {
            continue;
        };
        let events: Vec<truce_model::Event> = record
            .get("events")
            .and_then(|e| serde_json::from_value(e.clone()).ok())
            .unwrap_or_default();
        for (ordinal, event) in events.iter().enumerate() {
            let key = EventRef {
                document: n as i64 + 1,
                ordinal: ordinal as u32,
            };
            if ordinal == 0 {
                first.insert(key, id.to_string());
            }
            resolver.add(ClusterEvent::from_event(key, event, published));
        }
    }
    let mut out = BTreeMap::new();
    for (n, incident) in resolver.incidents().into_iter().enumerate() {
        for key in incident {
            if let Some(id) = first.get(&key) {
                out.insert(id.clone(), format!("incident-{n}"));
            }
        }
    }
    out
}

fn read_jsonl(path: &Path) -> anyhow::Result<Vec<Value>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut out = Vec::new();
    let mut bad = 0;
    for line in std::io::BufReader::new(file).lines() {
        let line = line.with_context(|| format!("cannot read {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(&line) {
            Ok(v) if v.is_object() => out.push(v),
            _ => bad += 1,
        }
    }
    if bad > 0 {
        eprintln!("warning: {bad} unreadable line(s) in {}", path.display());
    }
    Ok(out)
}

/// Writes the predicted records in the gold file's order, one JSON object a line.
fn write_predictions(path: &Path, gold: &[Value], preds: &Predictions) -> anyhow::Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    for id in gold
        .iter()
        .filter_map(|r| r.get("id").and_then(Value::as_str))
    {
        if let Some(record) = preds.record(id) {
            serde_json::to_writer(&mut out, record)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Reads every gold record; with one engine per fold, each record with its fold's.
fn predict(engines: &[Extractor], gold: &[Value]) -> Predictions {
    let records: Vec<Value> = gold
        .par_iter()
        .map(|r| {
            let input = truce_learn::extract_input(r);
            let engine = if engines.len() == FOLDS {
                &engines[Models::fold_of(&input.id)]
            } else {
                &engines[0]
            };
            serde_json::to_value(engine.extract(&input)).unwrap_or(Value::Null)
        })
        .collect();
    let mut preds = Predictions::default();
    for r in records {
        preds.insert(r);
    }
    preds
}

/// Scores each gold file and prints the reports.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    if args.pred.is_some() && args.gold.len() > 1 {
        bail!("--pred scores one gold file; give a single --gold");
    }
    if args.write_predictions.is_some() && args.gold.len() > 1 {
        bail!("--write-predictions writes one gold file's predictions; give a single --gold");
    }
    let extractor = if args.pred.is_none() {
        Some(super::extract::extractor(cx)?)
    } else {
        None
    };
    for gold_path in &args.gold {
        let gold = read_jsonl(gold_path)?;
        let (learned, engines) = match &extractor {
            Some(x) => {
                let bytes = std::fs::read(gold_path)
                    .with_context(|| format!("cannot read {}", gold_path.display()))?;
                let (learned, engines) = engines(x, &bytes, args.rules_only)?;
                (Some(learned), engines)
            }
            None => (None, Vec::new()),
        };
        let started = std::time::Instant::now();
        let preds = match (&args.pred, &extractor) {
            (Some(pred_path), _) => {
                let mut preds = Predictions::default();
                for r in read_jsonl(pred_path)? {
                    preds.insert(r);
                }
                preds
            }
            (None, Some(_)) => predict(&engines, &gold),
            (None, None) => unreachable!("an extractor is built when no predictions are given"),
        };
        let elapsed = started.elapsed();
        if let Some(path) = &args.write_predictions {
            write_predictions(path, &gold, &preds)?;
        }
        let report = score(&gold, &preds);
        let clustering = args.clustering.then(|| {
            let reference = clustering::reference(&gold);
            clustering::score(&reference, &predicted_grouping(&gold, &preds))
        });
        if let Some(c) = clustering.as_ref().filter(|c| c.items == 0) {
            eprintln!(
                "warning: {} has no grouping to score against (`gold.incident` labels or FA-KES gold; {} reports); clustering not scored",
                gold_path.display(),
                c.items
            );
        }
        if args.json {
            let mut value = serde_json::to_value(&report)?;
            value["gold"] = Value::String(gold_path.display().to_string());
            if let Some(l) = learned {
                value["learned"] = Value::String(l.key().to_string());
            }
            if let Some(c) = &clustering {
                value["clustering"] = serde_json::to_value(c)?;
            }
            println!("{}", serde_json::to_string(&value)?);
        } else {
            print!("{}", format_text(&gold_path.display().to_string(), &report));
            if let Some(l) = learned {
                println!("{}", l.describe());
            }
            if let Some(c) = clustering.as_ref().filter(|c| c.items > 0) {
                println!("{}", clustering::format_text(c, args.show_pairs));
            }
            if args.pred.is_none() {
                let bytes: usize = gold
                    .iter()
                    .filter_map(|r| r.get("text").and_then(Value::as_str))
                    .map(str::len)
                    .sum();
                println!(
                    "(extracted {} records, {:.1} MB, in {:.2} s)\n",
                    gold.len(),
                    bytes as f64 / 1e6,
                    elapsed.as_secs_f64()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
