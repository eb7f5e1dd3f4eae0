//! `truce recluster`: resolve every stored event into incidents from scratch.

use std::process::ExitCode;

use truce_cluster::ResolverConfig;

use super::Context;
use crate::format::thousands;

/// Arguments of `truce recluster`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Rebuilds every incident; people's decisions are kept and applied.
pub async fn run(cx: &Context, _args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    let s = truce_pipeline::recluster(store.as_ref(), &ResolverConfig::default()).await?;
    println!(
        "resolved {} events into {} incidents in {:.1} s (replacing {})",
        thousands(s.events),
        thousands(s.incidents),
        s.elapsed.as_secs_f64(),
        thousands(s.retired)
    );
    Ok(ExitCode::SUCCESS)
}
