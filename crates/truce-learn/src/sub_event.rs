//! Sub-event training rows: every sub-event type as a candidate for each event the engine found,
//! labelled by the gold event the scorer pairs it with.

use serde_json::Value;
use truce_eval::accept_types;
use truce_extract::learn::Proposal;
use truce_extract::{Candidate, Extractor};
use truce_model::acled::SubEvent;

use crate::row::{event_rows, rows_of};
use crate::{Row, TrainingFile};

/// Each candidate's label under a gold event. Right when it is the gold's one sub-event type.
/// Where the gold accepts several (FA-KES and PITF: "an air strike or shelling"): wrong when it
/// does not accept it; among those it accepts, right when the report's words name it ("air
/// strikes": the air strike, not the shelling), or all of them when the words name none, unknown
/// otherwise. Where the gold gives only the event type (ACLED's older files): wrong when of
/// another type, unknown otherwise ("protest" names a peaceful protest whether or not the police
/// intervened). No label at all when the gold says neither.
fn labels(gold: &Value, candidates: &[Candidate]) -> Vec<Option<bool>> {
    let subs = accept_types(gold, "sub_event_type");
    let types = accept_types(gold, "event_type");
    let accepted = |s: SubEvent| {
        if subs.is_empty() {
            types.contains(s.event_type().name())
        } else {
            subs.contains(s.name())
        }
    };
    let proposals = candidates.iter().filter_map(|c| match c.proposal {
        Proposal::SubEvent { sub, named } => Some((sub, named)),
        _ => None,
    });
    let any_named = proposals.clone().any(|(sub, named)| named && accepted(sub));
    candidates
        .iter()
        .map(|c| {
            let Proposal::SubEvent { sub, named } = c.proposal else {
                return None;
            };
            if subs.is_empty() && types.is_empty() {
                None
            } else if subs.len() == 1 || !accepted(sub) {
                Some(accepted(sub))
            } else if subs.is_empty() {
                // An event type only: each of its sub-event types is as likely as the others.
                None
            } else if named || !any_named {
                Some(true)
            } else {
                None
            }
        })
        .collect()
}

/// The labelled sub-event candidates of every record of the files with gold events, read in
/// parallel (row order is the files' and records' order, whatever the threads do).
pub fn sub_event_rows(extractor: &Extractor, files: &[TrainingFile]) -> Vec<Row> {
    rows_of(files, |r| {
        event_rows(extractor, r, "sub_event", |gold, candidates| {
            Some(labels(gold, candidates))
        })
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use truce_extract::Features;

    use super::*;

    fn candidate((sub, named): (SubEvent, bool)) -> Candidate {
        Candidate {
            name: sub.name().into(),
            proposal: Proposal::SubEvent { sub, named },
            features: Features::default(),
            probability: None,
            chosen: false,
        }
    }

    #[test]
    fn the_gold_labels_what_it_says_and_no_more() {
        let cands: Vec<Candidate> = [
            (SubEvent::PeacefulProtest, true),
            (SubEvent::ViolentDemonstration, false),
            (SubEvent::ArmedClash, false),
        ]
        .into_iter()
        .map(candidate)
        .collect();
        let sub = json!({"event_type": "Riots", "sub_event_type": "Violent demonstration"});
        assert_eq!(
            labels(&sub, &cands),
            vec![Some(false), Some(true), Some(false)]
        );
        // Protest or riot: only the clash is known to be wrong.
        let only_types = json!({"event_type": null, "event_type_accept": ["Protests", "Riots"]});
        assert_eq!(labels(&only_types, &cands), vec![None, None, Some(false)]);
        // A protest or a riot, the protest named: the protest is right, the riot unknown.
        let named = json!({"sub_event_type_accept": ["Peaceful protest", "Violent demonstration"]});
        assert_eq!(labels(&named, &cands), vec![Some(true), None, Some(false)]);
        // A riot or a clash, neither named: both right.
        let either = json!({"sub_event_type_accept": ["Violent demonstration", "Armed clash"]});
        assert_eq!(
            labels(&either, &cands),
            vec![Some(false), Some(true), Some(true)]
        );
        assert_eq!(labels(&json!({}), &cands), vec![None, None, None]);
    }
}
