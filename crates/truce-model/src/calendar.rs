//! The words of the calendar and of counting, in English, once for every crate: month names and
//! their abbreviations, weekday names, number words.
//!
//! ```
//! use truce_model::calendar::{month_number, number_word};
//!
//! assert_eq!(month_number("Sept."), Some(9));
//! assert_eq!(month_number("may"), Some(5));
//! assert_eq!(number_word(17), Some("seventeen"));
//! ```

/// The months, lower case, January first.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The weekdays, lower case, Monday first.
pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The number words of nought to nineteen, lower case.
pub const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

/// The words of the tens, lower case, by their tens digit (`TENS[2]` is "twenty"; the first two
/// are empty).
pub const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// The month (1-12) a word names: full names and three-letter abbreviations ("Sept" too), any
/// case, with an optional trailing dot.
pub fn month_number(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    // Asked of every capitalised word of a report: compared without a lowered copy.
    if word.eq_ignore_ascii_case("sept") {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| {
            m.eq_ignore_ascii_case(word) || (word.len() == 3 && m[..3].eq_ignore_ascii_case(word))
        })
        .map(|i| i as u32 + 1)
}

/// Whether a word (lower case) names a month, in full or abbreviated.
pub fn is_month(word: &str) -> bool {
    word.len() >= 3 && !word.ends_with('.') && month_number(word).is_some()
}

/// The word for a number from nought to nineteen.
pub fn number_word(n: u32) -> Option<&'static str> {
    UNITS.get(n as usize).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_by_name_and_abbreviation() {
        for (i, m) in MONTHS.iter().enumerate() {
            assert_eq!(month_number(m), Some(i as u32 + 1));
            assert_eq!(month_number(&m[..3]), Some(i as u32 + 1));
            assert!(is_month(m) && is_month(&m[..3]));
        }
        assert_eq!(month_number("SEPT."), Some(9));
        assert!(is_month("sept"));
        assert_eq!(month_number("December."), Some(12));
        assert_eq!(month_number("SEPTEMBER"), Some(9));
        for w in [
            "ma",
            "marc",
            "mayday",
            "",
            "sun",
            "junee",
            "septembers",
            "décembre",
            "Jän",
            ".",
        ] {
            assert_eq!(month_number(w), None, "{w}");
            assert!(!is_month(w), "{w}");
        }
        assert_eq!(number_word(0), Some("zero"));
        assert_eq!(number_word(20), None);
    }
}
