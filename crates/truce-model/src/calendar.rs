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
    // Asked of every capitalised word of a report: no month name is shorter than three letters,
    // longer than nine ("september") or other than ASCII, and the rest is lowered on the stack.
    if !(3..=9).contains(&word.len()) || !word.is_ascii() {
        return None;
    }
    let mut buffer = [0u8; 9];
    let lower = &mut buffer[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    let word = std::str::from_utf8(lower).ok()?;
    // Each month's full name and its first three letters (MONTHS, spelled out for a `match`).
    Some(match word {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
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
