//! Every lexicon the engine embeds, in one table: the loaders read their files through it, and
//! [`crate::Extractor::version`] fingerprints every entry, so that no lexicon can change without
//! the version stamped on derived rows changing with it. A test holds the table to the files in
//! `lexicon/`.

use truce_geo::Fingerprint;

/// One embedded lexicon file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LexiconFile {
    /// Its file name under `lexicon/`.
    pub(crate) name: &'static str,
    /// Its bytes as embedded.
    pub(crate) bytes: &'static [u8],
}

macro_rules! lexicons {
    ($($name:literal),+ $(,)?) => {
        /// Every lexicon file, by name.
        pub(crate) const LEXICONS: &[LexiconFile] = &[
            $(LexiconFile { name: $name, bytes: include_bytes!(concat!("../lexicon/", $name)) }),+
        ];
    };
}

lexicons!(
    "actors.tsv",
    "common_words.txt.gz",
    "demonyms.tsv",
    "event_triggers.tsv",
    "given_names.txt",
    "name_continuations.txt",
    "place_words.tsv",
    "roles.txt",
    "speech_verbs.txt",
    "targets.tsv",
    "titles.txt",
);

/// A lexicon's bytes. Every name the engine asks for is in the table (a test reads each).
pub(crate) fn bytes(name: &str) -> &'static [u8] {
    LEXICONS
        .iter()
        .find(|l| l.name == name)
        .map_or(&[], |l| l.bytes)
}

/// A text lexicon (an invalid UTF-8 file reads as empty, and the test below fails on it).
pub(crate) fn text(name: &str) -> &'static str {
    std::str::from_utf8(bytes(name)).unwrap_or("")
}

/// Feeds every lexicon, name and bytes, to a fingerprint.
pub(crate) fn feed(f: &mut Fingerprint) {
    for l in LEXICONS {
        f.text(l.name).number(l.bytes.len() as u64).feed(l.bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_the_lexicon_folder_is_in_the_table_as_it_is_on_disk() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/lexicon");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "README.md")
            .collect();
        on_disk.sort();
        let table: Vec<&str> = LEXICONS.iter().map(|l| l.name).collect();
        assert_eq!(on_disk, table, "lexicon/ and the registry differ");
        for l in LEXICONS {
            let disk = std::fs::read(format!("{dir}/{}", l.name)).unwrap();
            assert_eq!(disk, l.bytes, "{}", l.name);
            if !l.name.ends_with(".gz") {
                assert!(!text(l.name).is_empty(), "{} is not UTF-8 text", l.name);
            }
        }
    }

    #[test]
    fn a_changed_lexicon_changes_the_fingerprint() {
        let mut all = Fingerprint::default();
        feed(&mut all);
        let mut one_less = Fingerprint::default();
        for l in &LEXICONS[1..] {
            one_less
                .text(l.name)
                .number(l.bytes.len() as u64)
                .feed(l.bytes);
        }
        assert_ne!(all, one_less);
    }
}
