//! Name normalisation: how two spellings of one place come to the same key.
//!
//! Two keys are computed for every name, the same way for gazetteer names and for text:
//!
//! - the **exact key**: tokens folded to lower-case ASCII (`Ma‘arrat` -> `maarrat`, `Ḩamāh` ->
//!   `hamah`), apostrophes dropped inside words, every other punctuation a token break, and
//!   Arabic articles unified (`al-`, `el-`, `ad-`, `ash-`, `az-`, ... -> `al`), so that
//!   `Deir ez-Zor` and `Deir al Zor` meet;
//! - the **skeleton**: each token's consonants only, with `kh`/`sh`/`th`/`dh`/`gh` reduced to their
//!   first letter, `q` read as `k`, doubled letters squeezed and articles dropped (also when glued
//!   on, as in `Alnuman`). It lets `Maarat al-Numan`, `Ma'arrat al-Nu'man`, `Marat Alnuman` and
//!   `Maaret al-Nouman` meet, and `Dayr az Zawr` meet `Deir ez-Zor`. It is looser, so the
//!   geoparser uses it only for places in countries whose names reach English through Arabic or
//!   Persian transliteration.

/// Whether a folded token is an Arabic article, as transliterations write it (assimilated forms
/// included). A `match`, not a list search: it is asked of every word of every report.
#[inline]
pub fn is_article(token: &str) -> bool {
    matches!(
        token,
        "al" | "el"
            | "il"
            | "ul"
            | "ad"
            | "adh"
            | "ag"
            | "ak"
            | "an"
            | "ar"
            | "as"
            | "ash"
            | "at"
            | "ath"
            | "az"
            | "ed"
            | "en"
            | "er"
            | "es"
            | "esh"
            | "et"
            | "ez"
            | "ud"
            | "un"
            | "ur"
            | "us"
            | "ut"
            | "uz"
    )
}

/// Folds one word to lower-case ASCII: diacritics removed, apostrophes and ayn/hamza marks
/// dropped. Returns an empty string for a word with no letters or digits.
pub fn fold_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii() || is_quote_mark(c) {
            // Apostrophes inside words (Ma'arrat, Nu`man) carry no letter.
        } else {
            for d in deunicode::deunicode_char(c).unwrap_or("").chars() {
                if d.is_ascii_alphanumeric() {
                    out.push(d.to_ascii_lowercase());
                }
            }
        }
    }
    out
}

/// Marks that stand for ayn, hamza or an apostrophe in transliterations.
#[inline]
pub fn is_quote_mark(c: char) -> bool {
    matches!(
        c,
        '\'' | '`' | '´' | '‘' | '’' | 'ʼ' | 'ʻ' | 'ʽ' | 'ʾ' | 'ʿ' | '′'
    )
}

/// Whether `c` joins letters into one word (letters, digits, apostrophe-like marks).
#[inline]
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_quote_mark(c) || is_combining(c)
}

#[inline]
fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF)
}

/// The folded tokens of a name, articles unified to `al` (but not when the article is the
/// whole name, nor the last token).
pub fn name_tokens(name: &str) -> Vec<String> {
    let words: Vec<String> = name
        .split(|c: char| !is_word_char(c))
        .map(fold_word)
        .filter(|w| !w.is_empty())
        .collect();
    let last = words.len().saturating_sub(1);
    words
        .into_iter()
        .enumerate()
        .map(|(i, w)| {
            if i < last && is_article(&w) {
                "al".to_string()
            } else {
                w
            }
        })
        .collect()
}

/// The exact key of a name: its tokens joined by single spaces.
pub fn exact_key(name: &str) -> String {
    name_tokens(name).join(" ")
}

/// The skeleton of one folded token ("" for an article).
pub fn token_skeleton(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    push_token_skeleton(token, &mut out);
    out
}

/// [`token_skeleton`] written at the end of `out` (nothing for an article): a key grows word by
/// word without a string for each word.
pub fn push_token_skeleton(token: &str, out: &mut String) {
    if is_article(token) {
        return;
    }
    // A glued article (Alnuman, Elbab): read what follows it.
    let token = match token
        .strip_prefix("al")
        .or_else(|| token.strip_prefix("el"))
    {
        Some(rest) if rest.len() >= 3 => rest,
        _ => token,
    };
    let start = out.len();
    let bytes = token.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let c = match b {
            b'q' => b'k',
            b'h' if i > 0
                && matches!(bytes[i - 1], b'k' | b's' | b't' | b'd' | b'g' | b'z' | b'c') =>
            {
                continue;
            }
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'w' => continue,
            other => other,
        };
        if out.len() == start || out.as_bytes().last() != Some(&c) {
            out.push(c as char);
        }
    }
    // A final h after a vowel is a transliteration habit (Raqqah, Hamah, Kalasah).
    if out.len() - start > 2
        && token.ends_with('h')
        && token.len() >= 2
        && matches!(
            token.as_bytes()[token.len() - 2],
            b'a' | b'e' | b'i' | b'o' | b'u'
        )
    {
        out.pop();
    }
}

/// The skeleton of a name: its tokens' skeletons, articles left out, joined by spaces.
pub fn skeleton_key(name: &str) -> String {
    name_tokens(name)
        .iter()
        .map(|t| token_skeleton(t))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_meet_on_the_exact_key() {
        let same = [
            ("Deir ez-Zor", "Deir al Zor"),
            ("Ma‘arrat an Nu‘man", "Maarrat al-Numan"),
            ("Ḩamāh", "Hamah"),
            ("Jisr ash-Shughur", "Jisr al Shughur"),
            ("São Paulo", "Sao Paulo"),
            ("U.S.", "U S"),
        ];
        for (a, b) in same {
            assert_eq!(exact_key(a), exact_key(b), "{a} / {b}");
        }
        assert_eq!(exact_key("Ar-Raqqah"), "al raqqah");
        assert_eq!(exact_key("Al"), "al", "a lone article stays");
    }

    #[test]
    fn transliteration_variants_meet_on_the_skeleton() {
        let same = [
            ("Maarat al-Numan", "Ma'arrat al-Nu'man"),
            ("Maarat al-Numan", "Marat Alnuman"),
            ("Maarat al-Numan", "Maaret al-Nouman"),
            ("Dayr az Zawr", "Deir ez-Zor"),
            ("Idlib", "Idleb"),
            ("Jisr al-Shughur", "Jisr ash Shugur"),
            ("Kafr Nabl", "Kafr Nubl"),
            ("Qamishli", "Kamishli"),
            ("Raqqah", "Raqqa"),
            ("al-Kalasa", "Al Kalasah"),
        ];
        for (a, b) in same {
            assert_eq!(skeleton_key(a), skeleton_key(b), "{a} / {b}");
        }
        assert_ne!(skeleton_key("Homs"), skeleton_key("Hama"));
    }

    #[test]
    fn folding_drops_marks_and_keeps_digits() {
        assert_eq!(fold_word("Ma‘arrat"), "maarrat");
        assert_eq!(fold_word("Şūrah"), "surah");
        assert_eq!(fold_word("M4"), "m4");
        assert_eq!(fold_word("—"), "");
    }
}
