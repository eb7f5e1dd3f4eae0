//! Helpers shared by this crate's test binaries.

use truce_model::Event;

/// The names of an event's perpetrators, in record order.
pub fn perpetrators(e: &Event) -> Vec<&str> {
    e.actors
        .iter()
        .filter(|a| a.role == truce_model::ActorRole::Perpetrator)
        .map(|a| a.name.as_str())
        .collect()
}
