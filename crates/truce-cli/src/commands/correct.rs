//! `truce correct` and `truce retract`: a correction of an incident's record, or its retraction,
//! from the command line (as `POST /api/v1/incidents/{id}/corrections` does from the workspace).

use std::process::ExitCode;

use truce_app::{CorrectionRequest, correct};
use truce_model::CorrectionKind;
use truce_model::correction::shown;

use super::Context;

/// Arguments of `truce correct`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The incident's id.
    id: i64,
    /// The field: event_type, sub_event_type, date, location.name, fatalities.low,
    /// fatalities.high, injured.low, injured.high or target.
    field: String,
    /// The new value: ACLED's type ("Air/drone strike"), a day (2024-03-02), a count, a target
    /// kind (medical), a place ("Ariha", or "Ariha, Idlib" to say which).
    #[arg(allow_hyphen_values = true)]
    value: String,
    /// Why (shown beside the correction, in the audit log too).
    #[arg(long)]
    reason: String,
}

/// Arguments of `truce retract`.
#[derive(Debug, clap::Args)]
pub struct RetractArgs {
    /// The incident's id.
    id: i64,
    /// Why (shown beside the retraction, in the audit log too).
    #[arg(long)]
    reason: String,
}

/// Runs `truce correct`.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let request = CorrectionRequest {
        kind: CorrectionKind::Correction,
        field: Some(args.field),
        value: Some(args.value),
        reason: args.reason,
    };
    apply(cx, args.id, &request).await
}

/// Runs `truce retract`.
pub async fn retract(cx: &Context, args: RetractArgs) -> anyhow::Result<ExitCode> {
    let request = CorrectionRequest {
        kind: CorrectionKind::Retraction,
        field: None,
        value: None,
        reason: args.reason,
    };
    apply(cx, args.id, &request).await
}

async fn apply(cx: &Context, id: i64, request: &CorrectionRequest) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    let gazetteer = if truce_app::correction::needs_gazetteer(request) {
        Some(super::gazetteer::load(cx)?)
    } else {
        None
    };
    let done = correct(
        store.as_ref(),
        gazetteer.as_ref(),
        cx.config.monitor.rule(),
        &cx.actor(),
        id,
        request,
    )
    .await?;
    let c = &done.correction;
    if !cx.quiet {
        match &c.field {
            Some(field) => {
                let place = done.incident.incident.location.as_ref().filter(|_| {
                    truce_model::correction::Field::parse(field)
                        == Ok(truce_model::correction::Field::Place)
                });
                println!(
                    "incident {id}: {field} corrected from {} to {}{}",
                    shown(c.old_value.as_deref()),
                    shown(c.new_value.as_deref()),
                    place.map_or(String::new(), |l| {
                        let mut parts: Vec<String> = [&l.admin1, &l.country]
                            .into_iter()
                            .flatten()
                            .cloned()
                            .collect();
                        parts.push(match (l.lat, l.lon) {
                            (Some(lat), Some(lon)) => format!("{lat:.4},{lon:.4}"),
                            _ => "no point".into(),
                        });
                        format!(" ({})", parts.join(", "))
                    })
                );
            }
            None => println!("incident {id}: retracted"),
        }
    }
    super::assess::announce(cx, store.as_ref(), &done.monitor).await;
    Ok(ExitCode::SUCCESS)
}
