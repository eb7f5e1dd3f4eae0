//! Words of a text, with their offsets, shape and folded form.
//!
//! A word is a run of letters, digits and apostrophe-like marks (`Ma'arrat`, `U.S` + `.`).
//! Everything else separates words; what separates a word from the previous one is kept
//! (`hyphen_before`, `comma_before`, `newline_before`) because names and patterns depend on it.
//! Offsets are both bytes (for slicing) and chars (for the public record).

use super::WordSet;
use std::ops::Range;

use truce_geo::normalize::{fold_word, is_word_char};

/// The capitalisation of a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `hospital`
    Lower,
    /// `Aleppo`, `McDonald`
    Capitalized,
    /// `ALEPPO`, `UN`
    Upper,
    /// `2016`, `20th`
    Digit,
}

/// One word.
#[derive(Debug, Clone)]
pub struct Token {
    /// Byte range in the text.
    pub bytes: Range<usize>,
    /// Char (Unicode scalar) range in the text.
    pub chars: Range<usize>,
    /// Range of the folded form in [`Tokens::folded_arena`].
    folded: Range<usize>,
    /// Capitalisation.
    pub shape: Shape,
    /// The separator before it is exactly one hyphen or dash (`al-Numan`, `Deir ez-Zor`).
    pub hyphen_before: bool,
    /// A comma stands between it and the previous word.
    pub comma_before: bool,
    /// White space stands between it and the previous word.
    pub space_before: bool,
    /// A line break stands between it and the previous word.
    pub newline_before: bool,
    /// It starts a sentence (first word, or after `.`, `!`, `?`, `:` or a line break).
    pub sentence_start: bool,
    /// It is directly followed by a period (`Gen.`, `U.S.`).
    pub period_after: bool,
    /// It ends in an English possessive (`Syria's`): what follows is another name.
    pub possessive: bool,
}

/// The words of one text.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    /// The words, in order.
    pub list: Vec<Token>,
    folded_arena: String,
}

impl Tokens {
    /// The folded form (lower-case ASCII, marks removed) of word `i`; the empty string past the
    /// last word, so that rules looking ahead never run off the end.
    pub fn folded(&self, i: usize) -> &str {
        self.list
            .get(i)
            .map_or("", |t| &self.folded_arena[t.folded.clone()])
    }

    /// The original text of word `i`.
    pub fn text<'t>(&self, text: &'t str, i: usize) -> &'t str {
        &text[self.list[i].bytes.clone()]
    }

    /// How many words.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

fn shape_of(word: &str) -> Shape {
    let mut chars = word.chars().filter(|c| c.is_alphanumeric());
    let Some(first) = chars.next() else {
        return Shape::Lower;
    };
    if first.is_numeric() {
        return Shape::Digit;
    }
    if !first.is_uppercase() {
        return Shape::Lower;
    }
    // All capitals when every later letter is one (and there is one): no letter is kept.
    let mut letters = chars.filter(|c| c.is_alphabetic()).peekable();
    if letters.peek().is_some() && letters.all(char::is_uppercase) {
        Shape::Upper
    } else {
        Shape::Capitalized
    }
}

/// Splits `text` into words.
pub fn tokenize(text: &str) -> Tokens {
    let mut tokens = Tokens {
        list: Vec::with_capacity(text.len() / 5),
        folded_arena: String::with_capacity(text.len()),
    };
    let mut char_index = 0usize;
    let mut word_start: Option<(usize, usize)> = None;
    // What stood between the previous word and the current position.
    let mut gap = Gap::default();
    let mut gap_is_start = true;
    let mut iter = text.char_indices().peekable();
    // Inside the ending of a possessive or contraction, which is not a word of its own.
    let mut skipping = false;
    while let Some((byte, c)) = iter.next() {
        if skipping {
            if c.is_alphanumeric() {
                char_index += 1;
                continue;
            }
            skipping = false;
        }
        let quote = truce_geo::normalize::is_quote_mark(c);
        let in_word = is_word_char(c)
            // An apostrophe only joins letters on both sides (Ma'arrat, not 'quoted'), and not
            // an English ending: Syria's, I've, don't.
            && !(quote
                && (word_start.is_none()
                    || !iter.peek().is_some_and(|(_, n)| n.is_alphanumeric())
                    || english_ending(&text[byte + c.len_utf8()..])));
        if in_word {
            if word_start.is_none() {
                word_start = Some((byte, char_index));
            }
        } else {
            if let Some((b0, c0)) = word_start.take() {
                push(
                    &mut tokens,
                    text,
                    b0..byte,
                    c0..char_index,
                    &gap,
                    gap_is_start,
                    c == '.',
                );
                gap = Gap::default();
                gap_is_start = false;
                skipping = quote;
                if quote && let Some(last) = tokens.list.last_mut() {
                    last.possessive = possessive_s(&text[byte + c.len_utf8()..]);
                }
            }
            gap.add(c);
        }
        char_index += 1;
    }
    if let Some((b0, c0)) = word_start {
        push(
            &mut tokens,
            text,
            b0..text.len(),
            c0..char_index,
            &gap,
            gap_is_start,
            false,
        );
    }
    tokens
}

/// Whether `rest` (what follows an apostrophe) is an English possessive or contraction ending:
/// `s`, `ve`, `re`, `ll`, `d`, `m`, `t` followed by the end of the word.
fn english_ending(rest: &str) -> bool {
    let letters: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .take(3)
        .collect();
    let after = rest[letters.len()..].chars().next();
    let at_end = after.is_none_or(|c| !c.is_alphanumeric());
    at_end
        && matches!(
            letters.to_ascii_lowercase().as_str(),
            "s" | "ve" | "re" | "ll" | "d" | "m" | "t"
        )
}

/// Whether `rest` (what follows an apostrophe that ends a word) is the possessive `s`.
fn possessive_s(rest: &str) -> bool {
    let mut chars = rest.chars();
    matches!(chars.next(), Some('s' | 'S')) && chars.next().is_none_or(|c| !c.is_alphanumeric())
}

/// Abbreviations that a period does not end a sentence after (folded, without the period).
static ABBREVIATIONS: WordSet = WordSet::new(&[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "cpl", "pvt", "adm",
    "brig", "cmdr", "sen", "rep", "gov", "pres", "rev", "hon", "st", "mt", "ft", "jr", "sr", "no",
    "vs", "etc", "inc", "co", "corp", "ltd", "dept", "est", "approx", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "am", "pm", "ca", "fig", "vol", "ave",
    "blvd", "rd", "km", "cf", "al", "govt", "intl", "messrs", "op", "art",
]);

/// Words that start a sentence often enough that an abbreviation like `U.S.` before them ends it.
static SENTENCE_OPENERS: WordSet = WordSet::new(&[
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "but", "and", "in", "on", "at", "this",
    "that", "there", "his", "her", "their", "its", "our", "after", "before", "when", "while",
]);

/// Whether the period (or ! or ?) between the previous word and `next` ends a sentence.
fn ends_sentence(tokens: &Tokens, text: &str, next: &str) -> bool {
    let starts_upper = next
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_numeric());
    if !starts_upper {
        return false;
    }
    let Some(prev) = tokens.list.last() else {
        return true;
    };
    if !prev.period_after {
        // ! or ? or a period after a quote or bracket.
        return true;
    }
    let prev_folded = &tokens.folded_arena[prev.folded.clone()];
    let prev_text = &text[prev.bytes.clone()];
    let single_letter =
        prev_text.chars().count() == 1 && prev_text.chars().all(char::is_alphabetic);
    let next_folded = next.to_ascii_lowercase();
    if single_letter {
        // U.S. / U.N. / initials (John F. Kennedy): a sentence ends only before an opener.
        return SENTENCE_OPENERS.contains(next_folded.as_str());
    }
    !ABBREVIATIONS.contains(prev_folded)
}

#[derive(Default)]
struct Gap {
    space: bool,
    hyphens: u32,
    other: u32,
    comma: bool,
    newline: bool,
    sentence_end: bool,
}

impl Gap {
    fn add(&mut self, c: char) {
        match c {
            '-' | '‐' | '‑' | '–' => self.hyphens += 1,
            ',' => {
                self.comma = true;
                self.other += 1;
            }
            '\n' | '\r' => self.newline = true,
            '.' | '!' | '?' | ':' | ';' => {
                self.sentence_end = true;
                self.other += 1;
            }
            c if c.is_whitespace() => self.space = true,
            _ => self.other += 1,
        }
    }
}

fn push(
    tokens: &mut Tokens,
    text: &str,
    bytes: Range<usize>,
    chars: Range<usize>,
    gap: &Gap,
    first: bool,
    period_after: bool,
) {
    let word = &text[bytes.clone()];
    let start = tokens.folded_arena.len();
    if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        // Most words: copied at once, then lowered in place.
        tokens.folded_arena.push_str(word);
        if let Some(folded) = tokens.folded_arena.get_mut(start..) {
            folded.make_ascii_lowercase();
        }
    } else if word.is_ascii() {
        for b in word.bytes() {
            if b.is_ascii_alphanumeric() {
                tokens.folded_arena.push(b.to_ascii_lowercase() as char);
            }
        }
    } else {
        tokens.folded_arena.push_str(&fold_word(word));
    }
    let folded = start..tokens.folded_arena.len();
    // A hyphen joins words only when nothing but the hyphen stands between them.
    let joined = gap.hyphens == 1 && gap.other == 0 && !gap.newline && {
        let before = &text[..bytes.start];
        before.ends_with(['-', '‐', '‑', '–'])
    };
    // A colon or period between digits with no space ("09:30", "3.5") is part of a number.
    let inside_number = !gap.space && word.starts_with(|c: char| c.is_ascii_digit());
    let sentence_start = first
        || gap.newline
        || (gap.sentence_end && !inside_number && ends_sentence(tokens, text, word));
    tokens.list.push(Token {
        shape: shape_of(word),
        bytes,
        chars,
        folded,
        hyphen_before: joined,
        comma_before: gap.comma,
        space_before: gap.space || gap.newline,
        newline_before: gap.newline,
        sentence_start,
        period_after,
        possessive: false,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_possessive_is_marked_on_its_word() {
        let t = tokenize("Syria's Al Bab, the rebels' town, Ma'arrat");
        let marked: Vec<bool> = t.list.iter().map(|w| w.possessive).collect();
        assert_eq!(t.folded(0), "syria");
        assert_eq!(marked, [true, false, false, false, false, false, false]);
    }

    #[test]
    fn words_offsets_and_joins() {
        let text = "ALEPPO, Syria — Ma'arrat al-Nu‘man\nwas hit.";
        let t = tokenize(text);
        let words: Vec<&str> = (0..t.len()).map(|i| t.text(text, i)).collect();
        assert_eq!(
            words,
            ["ALEPPO", "Syria", "Ma'arrat", "al", "Nu‘man", "was", "hit"]
        );
        assert_eq!(t.folded(2), "maarrat");
        assert_eq!(t.folded(4), "numan");
        assert!(t.list[1].comma_before);
        assert!(t.list[4].hyphen_before && !t.list[3].hyphen_before);
        assert!(
            !t.list[2].hyphen_before,
            "an em dash with spaces does not join"
        );
        assert!(t.list[5].newline_before && t.list[5].sentence_start);
        assert_eq!(t.list[0].shape, Shape::Upper);
        assert_eq!(t.list[1].shape, Shape::Capitalized);
        assert_eq!(t.list[4].chars, 28..34);
        assert!(t.list[6].period_after);
    }

    #[test]
    fn times_and_ratios_do_not_end_a_sentence() {
        let text = "Shelling began at approx. 09:30 and ended at 13:00. Two died.";
        let t = tokenize(text);
        let starts: Vec<&str> = (0..t.len())
            .filter(|&i| t.list[i].sentence_start)
            .map(|i| t.text(text, i))
            .collect();
        assert_eq!(starts, ["Shelling", "Two"]);
    }

    #[test]
    fn possessives_and_contractions_end_the_word() {
        let text = "Syria's army, I've seen, Ma'arrat, Nu'man's";
        let t = tokenize(text);
        let words: Vec<&str> = (0..t.len()).map(|i| t.text(text, i)).collect();
        assert_eq!(words, ["Syria", "army", "I", "seen", "Ma'arrat", "Nu'man"]);
    }

    #[test]
    fn quotes_are_not_part_of_words() {
        let text = "'Hama' and ‘Homs’";
        let t = tokenize(text);
        let words: Vec<&str> = (0..t.len()).map(|i| t.text(text, i)).collect();
        assert_eq!(words, ["Hama", "and", "Homs"]);
    }

    #[test]
    fn non_latin_words_fold_or_vanish() {
        let t = tokenize("حلب Şam");
        assert_eq!(t.len(), 2);
        assert_eq!(t.folded(1), "sam");
    }
}
