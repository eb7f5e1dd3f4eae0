//! The extractor never panics, on any input: arbitrary strings, and news-like text cut and
//! spliced at random (numbers, quotes, place names and event words at the edges of the text).

use std::sync::LazyLock;

use chrono::NaiveDate;
use proptest::prelude::*;
use truce_extract::{ExtractInput, Extractor};

static ENGINE: LazyLock<Extractor> = LazyLock::new(|| Extractor::new().expect("engine builds"));

const PIECES: &[&str] = &[
    "killed",
    "at least",
    "20",
    "people",
    "were",
    "dozens",
    "more than",
    "injured",
    "Aleppo",
    "al-",
    "Ma'arrat",
    "al-Nu'man",
    "on Thursday",
    "overnight",
    "April 28",
    "2016",
    "\"",
    "“",
    "”",
    "said",
    "the",
    "village of",
    "neighbourhood of",
    "Kafr",
    "near",
    "km",
    "south of",
    "air strike",
    "shelling",
    "hospital",
    "Gen.",
    "U.S.",
    ",",
    ".",
    "\n\n",
    "-",
    "—",
    "(",
    ")",
    "Syrian forces",
    "Moscow said",
    "Idlib province",
    "between",
    "and",
    "two dozen",
    "toll rose to",
    "'",
    "’s",
    "Mr.",
    "IS",
    "HTS",
    "clashes",
    "protest",
    "police",
    "tear gas",
    "a",
    "was",
];

fn check(text: &str, published: Option<NaiveDate>) {
    let out = ENGINE.extract(&ExtractInput {
        id: "x".into(),
        text: text.to_string(),
        published,
    });
    let chars = text.chars().count();
    for p in &out.places {
        assert!(
            p.start < p.end && p.end <= chars,
            "place offsets within the text"
        );
    }
    for e in &out.events {
        for ev in &e.evidence {
            assert!(
                ev.start <= ev.end && ev.end <= chars,
                "evidence within the text"
            );
        }
        assert!((0.0..=1.0).contains(&e.confidence));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        check(&text, NaiveDate::from_ymd_opt(2016, 4, 28));
    }

    #[test]
    fn spliced_news_words_never_panic(picks in proptest::collection::vec(0..PIECES.len(), 0..60), spaces in proptest::collection::vec(any::<bool>(), 60)) {
        let mut text = String::new();
        for (k, i) in picks.iter().enumerate() {
            text.push_str(PIECES[*i]);
            if spaces[k % spaces.len()] {
                text.push(' ');
            }
        }
        check(&text, NaiveDate::from_ymd_opt(2016, 4, 28));
        check(&text, None);
    }
}

#[test]
fn edge_inputs_never_panic() {
    for text in [
        "",
        " ",
        "\n",
        "killed",
        "20",
        "at least",
        "between 20 and",
        "the death toll rose to",
        "\u{feff}",
        "al-",
        "Gen.",
        "“",
        "2016-04-",
        "a",
    ] {
        check(text, NaiveDate::from_ymd_opt(2016, 4, 28));
        check(text, None);
    }
    let long = "Shelling killed 3 people in Aleppo on Monday. ".repeat(2_000);
    check(&long, NaiveDate::from_ymd_opt(2016, 4, 28));
}
