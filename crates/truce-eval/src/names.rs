//! Name comparison helpers, as `score.py` defines them.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// NFKD, combining marks removed (Python's `strip_accents`).
pub fn strip_accents(s: &str) -> String {
    s.nfkd().filter(|c| !is_combining_mark(*c)).collect()
}

const STOP: &[&str] = &[
    "of", "the", "and", "a", "an", "for", "in", "on", "de", "du", "des", "la", "le", "al", "el",
    "to", "s",
];

#[rustfmt::skip]
const DEMONYM: &[(&str, Option<&str>)] = &[
    ("syrian", Some("syria")), ("iraqi", Some("iraq")), ("afghan", Some("afghanistan")), ("yemeni", Some("yemen")),
    ("russian", Some("russia")), ("turkish", Some("turkey")), ("nigerian", Some("nigeria")), ("somali", Some("somalia")),
    ("kenyan", Some("kenya")), ("indian", Some("india")), ("pakistani", Some("pakistan")), ("libyan", Some("libya")),
    ("sudanese", Some("sudan")), ("israeli", Some("israel")), ("palestinian", Some("palestine")), ("lebanese", Some("lebanon")),
    ("iranian", Some("iran")), ("egyptian", Some("egypt")), ("ukrainian", Some("ukraine")), ("mexican", Some("mexico")),
    ("american", Some("united states")), ("us", Some("united states")), ("u", None), ("saudi", Some("saudi arabia")),
    ("kurdish", Some("kurd")), ("kurds", Some("kurd")), ("congolese", Some("congo")), ("malian", Some("mali")),
    ("ethiopian", Some("ethiopia")), ("cameroonian", Some("cameroon")), ("burmese", Some("myanmar")), ("myanmar", Some("myanmar")),
    ("filipino", Some("philippines")), ("philippine", Some("philippines")), ("bangladeshi", Some("bangladesh")),
    ("nepali", Some("nepal")), ("nepalese", Some("nepal")), ("thai", Some("thailand")), ("colombian", Some("colombia")),
    ("brazilian", Some("brazil")), ("venezuelan", Some("venezuela")), ("jordanian", Some("jordan")), ("emirati", Some("uae")),
    ("qatari", Some("qatar")), ("chinese", Some("china")), ("french", Some("france")), ("british", Some("britain")),
    ("american-led", Some("united states")),
];

static YEAR_RANGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\((?:\d{4})?\s*-\s*(?:\d{4})?\)").expect("static regex"));
static POSSESSIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[’'`]s\b").expect("static regex"));
static NON_ALNUM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[^a-z0-9]+").expect("static regex"));

/// Normalised tokens of an actor name (`name_tokens`).
pub fn name_tokens(s: &str) -> BTreeSet<String> {
    let s = strip_accents(s).to_lowercase();
    let s = YEAR_RANGE.replace_all(&s, " ");
    let s = POSSESSIVE.replace_all(&s, "");
    let mut out = BTreeSet::new();
    for t in NON_ALNUM.split(&s) {
        if t.is_empty() || STOP.contains(&t) {
            continue;
        }
        if let Some((_, replacement)) = DEMONYM.iter().find(|(d, _)| *d == t) {
            if let Some(r) = replacement {
                out.extend(r.split_whitespace().map(str::to_string));
            }
            continue;
        }
        let n = t.chars().count();
        let t = if n > 4 && t.ends_with("ies") {
            format!("{}y", &t[..t.len() - 3])
        } else if n > 4 && t.ends_with('s') && !t.ends_with("ss") {
            t[..t.len() - 1].to_string()
        } else {
            t.to_string()
        };
        out.insert(t);
    }
    out
}

/// Dice overlap of two names' tokens.
pub fn dice(a: &str, b: &str) -> f64 {
    let (ta, tb) = (name_tokens(a), name_tokens(b));
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    2.0 * ta.intersection(&tb).count() as f64 / (ta.len() + tb.len()) as f64
}

#[rustfmt::skip]
const TITLE_WORDS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "sen", "senator", "rep", "representative", "president", "vice",
    "secretary", "spokesman", "spokeswoman", "spokesperson", "minister", "prime", "foreign", "gov",
    "governor", "gen", "general", "lt", "col", "colonel", "maj", "major", "capt", "captain", "sgt",
    "envoy", "special", "press", "chief", "chairman", "chair", "director", "official", "officials",
    "ambassador", "commander", "king", "queen", "prince", "sheikh", "sir", "lord", "judge", "justice",
    "former", "deputy", "assistant", "candidate", "nominee", "sheriff", "mayor", "u", "n", "un", "us",
    "state", "department", "house", "white", "democratic", "republican", "gop", "sens", "reps",
];
const SPEAKER_STOP: &[&str] = &[
    "the", "a", "an", "of", "and", "for", "to", "in", "on", "at", "s", "said", "says",
];

fn speaker_tokens(s: &str, drop_titles: bool) -> BTreeSet<String> {
    let s = strip_accents(s).to_lowercase();
    let s = POSSESSIVE.replace_all(&s, "");
    NON_ALNUM
        .split(&s)
        .filter(|t| !t.is_empty() && !SPEAKER_STOP.contains(t))
        .filter(|t| !drop_titles || !TITLE_WORDS.contains(t))
        .map(str::to_string)
        .collect()
}

/// Whether a predicted speaker matches the gold speaker (a shared token, titles ignored).
pub fn speaker_match(gold: &str, pred: Option<&str>) -> bool {
    let Some(pred) = pred.filter(|p| !p.is_empty()) else {
        return false;
    };
    if gold.is_empty() {
        return false;
    }
    let (mut g, mut p) = (speaker_tokens(gold, true), speaker_tokens(pred, true));
    if g.is_empty() || p.is_empty() {
        g = speaker_tokens(gold, false);
        p = speaker_tokens(pred, false);
    }
    g.intersection(&p).next().is_some()
}

#[rustfmt::skip]
const ADMIN_WORDS: &[&str] = &[
    "governorate", "province", "state", "region", "district", "county", "department", "prefecture",
    "oblast", "division", "municipality", "muhafazat", "wilayah", "wilaya", "parish", "territory",
    "lga", "upazila", "city", "of", "the", "capital", "federal", "autonomous", "republic", "kray", "krai",
];
const ARTICLES: &[&str] = &[
    "al", "el", "ar", "as", "ad", "an", "at", "ash", "az", "ath", "adh",
];
static QUOTES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[’'`]").expect("static regex"));

fn norm_admin(s: &str) -> String {
    let s = strip_accents(s).to_lowercase();
    let s = QUOTES.replace_all(&s, "");
    NON_ALNUM
        .split(&s)
        .filter(|t| !t.is_empty() && !ADMIN_WORDS.contains(t) && !ARTICLES.contains(t))
        .collect()
}

fn skeleton(s: &str) -> String {
    let mut squeezed = String::new();
    for c in s.chars() {
        if !squeezed.ends_with(c) {
            squeezed.push(c);
        }
    }
    if squeezed.ends_with('h') {
        squeezed.pop();
    }
    squeezed
        .chars()
        .filter(|c| !"aeiouy".contains(*c))
        .collect()
}

/// Whether two admin-area names are the same area (`admin_eq`).
pub fn admin_eq(a: &str, b: &str) -> bool {
    let fallback = |s: &str| {
        NON_ALNUM
            .replace_all(&strip_accents(s).to_lowercase(), "")
            .into_owned()
    };
    let na = Some(norm_admin(a))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| fallback(a));
    let nb = Some(norm_admin(b))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| fallback(b));
    if na.is_empty() || nb.is_empty() {
        return false;
    }
    if na == nb {
        return true;
    }
    let (sa, sb) = (skeleton(&na), skeleton(&nb));
    sa.chars().count() >= 3 && sa == sb
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actor_names_compare_like_the_reference() {
        assert!(dice("Military Forces of Syria", "Syrian military forces") >= 0.5);
        assert!(dice("Islamic State (Syria)", "Islamic State") >= 0.5);
        assert_eq!(dice("", "x"), 0.0);
        let t = name_tokens("Police Forces of Kenya (2013-)");
        assert!(
            t.contains("police") && t.contains("force") && t.contains("kenya"),
            "{t:?}"
        );
    }

    #[test]
    fn admin_names_meet_across_spellings() {
        assert!(admin_eq("Deir ez-Zor Governorate", "Deir ez Zor"));
        assert!(admin_eq("Al-Hasakah", "Hasakah Governorate"));
        assert!(admin_eq("Idlib", "Idleb"));
        assert!(!admin_eq("Homs", "Hama"));
    }

    #[test]
    fn speakers_match_on_a_name_token() {
        assert!(speaker_match(
            "Secretary of State John Kerry",
            Some("Kerry")
        ));
        assert!(!speaker_match(
            "John Kerry",
            Some("State Department spokesman")
        ));
        assert!(!speaker_match("John Kerry", None));
    }
}
