//! The engine's lexicons, read once when the extractor is built.

use std::io::Read;

use rustc_hash::{FxHashMap, FxHashSet};
use truce_geo::{CountryCode, PlaceKind};

use crate::ExtractError;
use crate::registry;

/// Words of the lexicon files, folded (lower-case ASCII) for lookup.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Ordinary English words.
    pub common_words: FxHashSet<String>,
    /// Demonym (folded, possibly two words) to country.
    pub demonyms: FxHashMap<String, CountryCode>,
    /// Titles before names.
    pub titles: FxHashSet<String>,
    /// First names.
    pub given_names: FxHashSet<String>,
    /// Words after a name that type it as a place.
    pub place_words: FxHashMap<String, PlaceKind>,
    /// Words after a place that make it part of another name.
    pub name_continuations: FxHashSet<String>,
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn fold(s: &str) -> String {
    truce_geo::normalize::exact_key(s)
}

impl Lexicon {
    /// Reads the embedded lexicon files.
    pub fn embedded() -> Result<Self, ExtractError> {
        let mut words = String::new();
        flate2::read::GzDecoder::new(registry::bytes("common_words.txt.gz"))
            .read_to_string(&mut words)
            .map_err(|e| ExtractError::Lexicon {
                file: "common_words.txt.gz",
                line: 0,
                detail: e.to_string(),
            })?;
        let mut lex = Self {
            common_words: lines(&words).map(str::to_string).collect(),
            ..Self::default()
        };
        for (i, line) in lines(registry::text("demonyms.tsv")).enumerate() {
            let (name, cc) = line.split_once('\t').ok_or_else(|| ExtractError::Lexicon {
                file: "demonyms.tsv",
                line: i + 1,
                detail: "expected demonym<TAB>country".into(),
            })?;
            let cc = CountryCode::parse(cc).ok_or_else(|| ExtractError::Lexicon {
                file: "demonyms.tsv",
                line: i + 1,
                detail: format!("{cc:?} is not a country code"),
            })?;
            lex.demonyms.insert(fold(name), cc);
            // Plurals name people of the country too: Syrians, Iraqis.
            lex.demonyms.insert(fold(&format!("{name}s")), cc);
        }
        lex.titles = lines(registry::text("titles.txt")).map(fold).collect();
        lex.given_names = lines(registry::text("given_names.txt")).map(fold).collect();
        for (i, line) in lines(registry::text("place_words.tsv")).enumerate() {
            let (word, kind) = line.split_once('\t').ok_or_else(|| ExtractError::Lexicon {
                file: "place_words.tsv",
                line: i + 1,
                detail: "expected word<TAB>kind".into(),
            })?;
            let kind = PlaceKind::parse(kind.trim()).ok_or_else(|| ExtractError::Lexicon {
                file: "place_words.tsv",
                line: i + 1,
                detail: format!("unknown kind {kind:?}"),
            })?;
            lex.place_words.insert(fold(word), kind);
        }
        lex.name_continuations = lines(registry::text("name_continuations.txt"))
            .map(fold)
            .collect();
        Ok(lex)
    }

    /// Whether a folded word is an ordinary English word.
    pub fn is_common(&self, folded: &str) -> bool {
        self.common_words.contains(folded)
    }
}
