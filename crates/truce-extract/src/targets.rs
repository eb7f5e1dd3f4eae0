//! What was hit: target types from `lexicon/targets.tsv` (a hospital or clinic is `medical`).

use truce_model::TargetKind;

use crate::ExtractError;
use crate::phrases::PhraseSet;

/// Target types in order of precedence: when a sentence names several, the first wins.
pub const PRECEDENCE: [&str; 8] = [
    TargetKind::Medical.name(),
    TargetKind::Education.name(),
    TargetKind::Religious.name(),
    TargetKind::Aid.name(),
    TargetKind::Market.name(),
    TargetKind::Infrastructure.name(),
    TargetKind::Residential.name(),
    TargetKind::Military.name(),
];

/// Reads the embedded `targets.tsv`.
pub fn embedded() -> Result<PhraseSet<&'static str>, ExtractError> {
    let mut set = PhraseSet::default();
    for (i, line) in crate::registry::text("targets.tsv").lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (phrase, kind) = line.split_once('\t').ok_or_else(|| ExtractError::Lexicon {
            file: "targets.tsv",
            line: i + 1,
            detail: "expected phrase<TAB>type".into(),
        })?;
        let kind = PRECEDENCE
            .iter()
            .find(|k| **k == kind.trim())
            .ok_or_else(|| ExtractError::Lexicon {
                file: "targets.tsv",
                line: i + 1,
                detail: format!("unknown target type {kind:?}"),
            })?;
        set.insert(phrase, *kind);
    }
    Ok(set)
}
