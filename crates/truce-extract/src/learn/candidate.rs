//! A candidate for a learned decision, as scored, and the decision it belongs to.

use truce_geo::PlaceId;

use super::Features;
use crate::events::types::SubEvent;

/// What a perpetrator candidate is: a side the report names, or one of ACLED's conventions for
/// a side it does not name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Named in the report.
    Named,
    /// ACLED's unidentified armed group.
    Unidentified,
    /// The rioters of a riot.
    Rioters,
}

impl Side {
    /// Its name in features (`c:kind=named`).
    pub fn name(self) -> &'static str {
        match self {
            Side::Named => "named",
            Side::Unidentified => "unidentified",
            Side::Rioters => "rioters",
        }
    }
}

/// What a candidate proposes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Proposal {
    /// A side that may have done the event.
    Side {
        /// Named in the report, or one of ACLED's conventions.
        side: Side,
        /// Named in the sentences that tell the event itself.
        in_telling: bool,
        /// ACLED inter code of the actor.
        inter: u8,
    },
    /// A gazetteer place a name may stand for.
    Place {
        /// The place.
        place: PlaceId,
        /// Its point.
        lat: f64,
        /// Its point.
        lon: f64,
    },
    /// The name is no place at all (a person's, a word's).
    NoPlace,
    /// One of ACLED's sub-event types for an event.
    SubEvent {
        /// The type.
        sub: SubEvent,
        /// The words that tell the event name it (a trigger of this type: "air strike").
        named: bool,
    },
    /// A count of people the telling holds, as a count of the event's dead.
    Toll {
        /// The figure (1 for a person named in the singular).
        value: u32,
    },
}

/// One candidate answer for a learned decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The answer, in words (an actor's name as the record would carry it; a place's name,
    /// kind and country).
    pub name: String,
    /// What it proposes.
    pub proposal: Proposal,
    /// Its features.
    pub features: Features,
    /// The model's probability that it is right (`None` when no model decided).
    pub probability: Option<f64>,
    /// Whether it was chosen.
    pub chosen: bool,
}

impl Candidate {
    /// The side it proposes, for a perpetrator candidate.
    pub fn side(&self) -> Option<Side> {
        match self.proposal {
            Proposal::Side { side, .. } => Some(side),
            _ => None,
        }
    }
}

/// What a decision is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// One event of the extraction (its index in `events`).
    Event(usize),
    /// One place name in the text (char offsets of the mention).
    Mention {
        /// First char.
        start: usize,
        /// Char after the last.
        end: usize,
    },
}

/// One decision of a report: the candidates the rules proposed, as scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// What it decides about.
    pub subject: Subject,
    /// The decision (`perpetrator`, `place`).
    pub decision: &'static str,
    /// The candidates, best first.
    pub candidates: Vec<Candidate>,
}
