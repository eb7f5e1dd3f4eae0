//! `truce health`: the ceasefire health index; `truce counts`: a day's counts.

use std::process::ExitCode;

use chrono::NaiveDate;

use super::Context;

/// Arguments of `truce health`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// First day (default: 60 days before --until).
    #[arg(long, value_parser = crate::format::day)]
    since: Option<NaiveDate>,
    /// Last day (default: the latest incident's day).
    #[arg(long, value_parser = crate::format::day)]
    until: Option<NaiveDate>,
    /// One province (admin1) or country code; everywhere without it.
    #[arg(long)]
    area: Option<String>,
    /// One JSON object a line, every input beside the index.
    #[arg(long)]
    json: bool,
    /// Count too the likely violations that only events imported by `truce import` tell (those
    /// truce's record already holds are not counted twice).
    #[arg(long)]
    with_imported: bool,
}

/// Arguments of `truce counts`.
#[derive(Debug, clap::Args)]
pub struct CountsArgs {
    /// The day (YYYY-MM-DD; default: the latest day with an incident).
    #[arg(long, value_parser = crate::format::day)]
    date: Option<NaiveDate>,
    /// JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `truce health`.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    let ask = truce_app::health::HealthAsk {
        since: args.since,
        until: args.until,
        area: args.area.clone(),
        imported: args.with_imported,
    };
    let series = match truce_app::health::health(store.as_ref(), &ask).await? {
        truce_app::health::HealthReading::NoIncidents => {
            println!("no dated incidents yet");
            return Ok(ExitCode::SUCCESS);
        }
        truce_app::health::HealthReading::NoAgreement { until } => {
            println!(
                "no agreement on record was in force on {until}: add one with `truce agreement add`"
            );
            return Ok(ExitCode::SUCCESS);
        }
        truce_app::health::HealthReading::Index(i) => i,
    };
    let (areas, imported) = (&series.areas, series.imported);
    if args.json {
        for p in &series.points {
            println!(
                "{}",
                serde_json::json!({"agreement": series.agreement, "area": series.area, "point": p,
                                   "imported": imported})
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "ceasefire health index ({}), {} against {}",
        truce_monitor::HEALTH_DEFINITION,
        series.area.as_deref().unwrap_or("everywhere"),
        series.agreement
    );
    if let Some(i) = imported {
        println!(
            "with imported events: {} over these days, {} already in truce's record, {} likely \
             violation(s) added",
            i.events, i.matched, i.violations
        );
    }
    println!("day         index  trend  violations deaths  7d-viol 7d-deaths  baseline(v,d)");
    for p in &series.points {
        println!(
            "{}  {:>5.1}  {:>5}  {:>10} {:>6}  {:>7.2} {:>9.2}  {:.2}, {:.2} ({} d)",
            p.date,
            p.index,
            p.trend.map(|t| format!("{t:+.1}")).unwrap_or_default(),
            p.violations,
            p.fatalities,
            p.violations_7d,
            p.fatalities_7d,
            p.baseline.violations,
            p.baseline.fatalities,
            p.baseline.days
        );
    }
    if series.area.is_none() && !areas.is_empty() {
        println!("\nby area on {} (worst first):", series.until);
        for (a, p) in areas {
            println!("  {a:<28} {:>5.1}", p.index);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `truce counts`.
pub async fn counts(cx: &Context, args: CountsArgs) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    let Some(date) = truce_app::health::day_or_latest(store.as_ref(), args.date).await? else {
        println!("no dated incidents yet: nothing to count");
        return Ok(ExitCode::SUCCESS);
    };
    let c = truce_app::health::day_counts(store.as_ref(), date).await?;
    if args.json {
        println!("{}", serde_json::to_string(&c)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{}: {} incidents, {} killed (day before {}, a week before {})",
        c.date, c.total, c.fatalities, c.previous_day, c.week_before
    );
    for r in &c.rows {
        println!(
            "  {:<12} {:<40} {:>4} {:>4} killed  (day before {:>3}, week before {:>3})",
            r.dimension, r.key, r.day, r.fatalities, r.previous_day, r.week_before
        );
    }
    Ok(ExitCode::SUCCESS)
}
