//! A candidate for a learned decision, as scored, and the decision over one event.

use super::Features;

/// What a perpetrator candidate is: a side the report names, or one of ACLED's conventions for
/// a side it does not name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Named in the report.
    Named,
    /// ACLED's unidentified armed group.
    Unidentified,
    /// The state's forces of the event's country.
    State,
    /// The rioters of a riot.
    Rioters,
}

impl Side {
    /// Its name in features (`c:kind=named`).
    pub fn name(self) -> &'static str {
        match self {
            Side::Named => "named",
            Side::Unidentified => "unidentified",
            Side::State => "state",
            Side::Rioters => "rioters",
        }
    }
}

/// One candidate answer for a learned decision (a side that may have done it).
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The answer (an actor's name, as the record would carry it).
    pub name: String,
    /// Named in the report, or one of ACLED's conventions.
    pub side: Side,
    /// Named in the sentences that tell the event itself.
    pub in_telling: bool,
    /// ACLED inter code of the actor.
    pub inter: u8,
    /// Its features.
    pub features: Features,
    /// The model's probability that it is right (`None` when no model decided).
    pub probability: Option<f64>,
    /// Whether it was chosen.
    pub chosen: bool,
}

/// One decision over one event of a report: the candidates the rules proposed, as scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The event's index in the extraction's `events`.
    pub event: usize,
    /// The decision (`perpetrator`).
    pub decision: &'static str,
    /// The candidates, best first.
    pub candidates: Vec<Candidate>,
}
