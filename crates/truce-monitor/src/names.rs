//! Matching actor names as reports spell them against names in an agreement.

/// A name reduced for comparison: lower case, letters and digits only, an ACLED-style
/// parenthesised period ("(2000-)") dropped.
pub fn fold(name: &str) -> String {
    let base = match name.find(" (") {
        Some(i) if name.ends_with(')') => &name[..i],
        _ => name,
    };
    base.chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether an actor named in a report is the one an agreement names: the same folded name, or
/// one a word-bounded part of the other ("Syrian Arab Army" is not "Syria", but "Military
/// Forces of Syria" matches "Military Forces of Syria (2000-)").
pub fn same_actor(reported: &str, listed: &str) -> bool {
    let (a, b) = (fold(reported), fold(listed));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    a == b || contains_words(&a, &b) || contains_words(&b, &a)
}

fn contains_words(hay: &str, needle: &str) -> bool {
    // Only long names may match as parts, so that "army" never matches every army.
    needle.split(' ').count() >= 2 && format!(" {hay} ").contains(&format!(" {needle} "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_across_spellings_but_not_by_accident() {
        assert!(same_actor(
            "Military Forces of Syria (2000-)",
            "Military Forces of Syria"
        ));
        assert!(same_actor("islamic state", "Islamic State"));
        assert!(same_actor("Hayat Tahrir al-Sham", "Hayat Tahrir alSham"));
        assert!(!same_actor(
            "Military Forces of Russia",
            "Military Forces of Syria"
        ));
        assert!(!same_actor("Army", "Free Syrian Army"));
        assert!(!same_actor("", "Islamic State"));
    }
}
