//! Place names in Arabic script (Arabic, Persian, Urdu), as GeoNames gives them: for a person
//! who types "أريحا" in a filter or a lookup.
//!
//! They are kept apart from the names the extractor matches in English text (the Latin-script
//! alternates of [`crate::Place`]): an Arabic name folded to Latin letters is a consonant
//! skeleton ("حلب" is "hlb") that could meet an English word, and the engine does not need them
//! to read English. The names live in their own file (`data/native_names.tsv.gz`: a GeoNames id
//! and its names, `|`-separated, one place a line), read the first time a name in Arabic script
//! is looked up.
//!
//! Two spellings of one name meet when their [`native_key`]s do: short vowels and other marks
//! removed, the forms of alef, of yeh and of teh marbuta unified, Persian letters read as their
//! Arabic counterparts.

use std::io::{Read, Write};
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::GeoError;

/// The names shipped with truce (built with the gazetteer by `truce gazetteer build`).
const EMBEDDED: &[u8] = include_bytes!("../data/native_names.tsv.gz");

/// The first line of every file written by [`write`].
pub const HEADER: &str = "# truce native place names v1";

/// Whether a character is an Arabic-script letter (tatweel, a mere stretch, is not).
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c as u32, 0x0620..=0x064A | 0x066E..=0x06D3 | 0x06D5 | 0x06FA..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08C9)
        && c.is_alphabetic()
        && c != '\u{0640}'
}

/// Whether a name has a letter in Arabic script.
pub fn has_arabic(name: &str) -> bool {
    name.chars().any(is_arabic_letter)
}

/// The key two spellings of an Arabic-script name meet by: its words, marks removed (harakat,
/// shadda, tatweel, Quranic marks), alef with hamza or madda as plain alef, alef maqsura and
/// yeh with hamza as yeh, teh marbuta as heh, waw with hamza as waw, Persian yeh and keheh as
/// Arabic yeh and kaf; words of other scripts and punctuation dropped; single spaces.
pub fn native_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.chars() {
        let c = match c {
            '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' | '\u{0672}' | '\u{0673}' => {
                '\u{0627}'
            }
            '\u{0649}' | '\u{0626}' | '\u{06CC}' | '\u{06D2}' => '\u{064A}',
            '\u{0629}' | '\u{06C0}' | '\u{06C1}' | '\u{06BE}' => '\u{0647}',
            '\u{0624}' => '\u{0648}',
            '\u{06A9}' | '\u{06AA}' => '\u{0643}',
            other => other,
        };
        if is_mark(c) {
            continue;
        }
        if is_arabic_letter(c) {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            // A space, a hyphen, a letter of another script: a word boundary.
            space = true;
        }
    }
    out
}

/// Marks that do not separate words: harakat, shadda, sukun, superscript alef, Quranic
/// annotation, tatweel, and joiners.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED | 0x0640 | 0x200C | 0x200D | 0x08CA..=0x08FF)
}

/// Names in Arabic script by [`native_key`], each with the GeoNames ids of the places it names.
#[derive(Debug, Default)]
pub struct NativeNames {
    by_key: FxHashMap<Box<str>, Vec<u32>>,
    places: usize,
}

impl NativeNames {
    /// The names shipped with truce, read the first time they are asked for (empty, were the
    /// embedded file unreadable: the tests read it).
    pub fn embedded() -> &'static NativeNames {
        static NAMES: OnceLock<NativeNames> = OnceLock::new();
        NAMES.get_or_init(|| Self::read(EMBEDDED, "the embedded native names").unwrap_or_default())
    }

    /// Reads names from their file (gzip-compressed or not). `origin` names it in errors.
    pub fn read(input: impl Read, origin: &str) -> Result<Self, GeoError> {
        let text = crate::format::read_text(input, origin)?;
        let mut names = Self::default();
        for (number, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (id, list) = line.split_once('\t').ok_or_else(|| GeoError::Format {
                origin: origin.to_string(),
                line: number + 1,
                detail: "expected a GeoNames id, a tab and names".into(),
            })?;
            let id: u32 = id.trim().parse().map_err(|_| GeoError::Format {
                origin: origin.to_string(),
                line: number + 1,
                detail: format!("GeoNames id {id:?} is not a number"),
            })?;
            names.add(id, list.split('|'));
        }
        Ok(names)
    }

    /// Adds a place's names.
    pub fn add<'a>(&mut self, geonameid: u32, names: impl IntoIterator<Item = &'a str>) {
        self.places += 1;
        for name in names {
            let key = native_key(name);
            if key.is_empty() {
                continue;
            }
            // A name with its article ("الباب") is also found without it ("باب").
            let bare = key
                .strip_prefix("ال")
                .filter(|rest| rest.chars().count() >= 2);
            for k in std::iter::once(key.as_str()).chain(bare) {
                let ids = self.by_key.entry(k.into()).or_default();
                if !ids.contains(&geonameid) {
                    ids.push(geonameid);
                }
            }
        }
    }

    /// The GeoNames ids of the places a name in Arabic script names (none for a name in
    /// another script).
    pub fn lookup(&self, name: &str) -> &[u32] {
        self.by_key
            .get(native_key(name).as_str())
            .map_or(&[], Vec::as_slice)
    }

    /// How many places have names here.
    pub fn places(&self) -> usize {
        self.places
    }
}

/// Writes places' names in Arabic script (GeoNames id, names) as gzip-compressed TSV.
pub fn write(entries: &[(u32, Vec<String>)], output: impl Write) -> std::io::Result<()> {
    let mut out = flate2::write::GzEncoder::new(output, flate2::Compression::best());
    writeln!(out, "{HEADER}")?;
    for (id, names) in entries {
        let names: Vec<String> = names
            .iter()
            .map(|n| n.replace(['\t', '\n', '\r', '|'], " "))
            .collect();
        writeln!(out, "{id}\t{}", names.join("|"))?;
    }
    out.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_name_meet() {
        // Hamza on the alef or not, vowel marks or not, tatweel.
        assert_eq!(native_key("أريحا"), native_key("اريحا"));
        assert_eq!(native_key("أَرِيحَا"), native_key("أريحا"));
        assert_eq!(native_key("حـلـب"), "حلب");
        // Teh marbuta and heh, alef maqsura and yeh, Persian yeh.
        assert_eq!(native_key("الرقة"), native_key("الرقه"));
        assert_eq!(native_key("عيسى"), native_key("عيسي"));
        assert_eq!(native_key("ایران"), native_key("ايران"));
        // Words of other scripts and punctuation separate words; spaces collapse.
        assert_eq!(native_key("  معرة  النعمان - Syria "), "معره النعمان");
        assert_eq!(native_key("Ariha"), "");
        assert!(has_arabic("قرية أريحا") && !has_arabic("Arīḩā"));
    }

    #[test]
    fn names_are_found_with_and_without_their_article() {
        let mut n = NativeNames::default();
        n.add(1, ["الباب"]);
        n.add(2, ["أريحا", "اريحا", ""]);
        assert_eq!(n.lookup("الباب"), [1]);
        assert_eq!(n.lookup("باب"), [1]);
        assert_eq!(n.lookup("اريحا"), [2]);
        assert!(n.lookup("Ariha").is_empty());
        assert_eq!(n.places(), 2);
    }

    #[test]
    fn the_file_is_read_as_written_and_refused_when_malformed() {
        let mut bytes = Vec::new();
        write(&[(172994, vec!["أريحا".into(), "a|b".into()])], &mut bytes).unwrap();
        let n = NativeNames::read(bytes.as_slice(), "t").unwrap();
        assert_eq!(n.lookup("أريحا"), [172994]);
        assert!(NativeNames::read(&b"12 no tab\n"[..], "t").is_err());
        assert!(NativeNames::read(&b"x\tname\n"[..], "t").is_err());
        assert!(NativeNames::read(&b"\x1f\x8b\x00"[..], "t").is_err());
        assert_eq!(
            NativeNames::read(&b"# only a comment\n"[..], "t")
                .unwrap()
                .places(),
            0
        );
    }

    #[test]
    fn the_shipped_names_hold_the_levant() {
        let n = NativeNames::embedded();
        assert!(n.places() > 10_000, "{} places", n.places());
        // Arīḩā (Idlib) is 172994 in GeoNames.
        assert!(n.lookup("أريحا").contains(&172994));
    }
}
