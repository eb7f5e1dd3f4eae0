//! Resolving every stored event into incidents from scratch, and assessing what that wrote.

use truce_cluster::ResolverConfig;
use truce_monitor::AlertRule;
use truce_pipeline::ResolveSummary;
use truce_pipeline::monitor::MonitorSummary;
use truce_store::Store;

use crate::AppError;

/// Rebuilds every incident (people's decisions and corrections are kept and applied), then
/// assesses every incident written: rewriting an incident drops its assessment, and an incident
/// left unassessed would drop out of the counts and the health index.
pub async fn recluster(
    store: &dyn Store,
    config: &ResolverConfig,
    rule: AlertRule,
) -> Result<(ResolveSummary, MonitorSummary), AppError> {
    let resolved = truce_pipeline::recluster(store, config).await?;
    let monitor = truce_pipeline::monitor_incidents(store, Some(&resolved.written), rule).await?;
    Ok((resolved, monitor))
}
