//! Turning bytes into text: byte-order marks, UTF-8, declared and guessed legacy encodings.

use encoding_rs::Encoding;

/// Bytes decoded to text, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The encoding used (`UTF-8`, `windows-1252`, ...).
    pub encoding: &'static str,
    /// Whether some bytes were invalid and replaced by U+FFFD.
    pub lossy: bool,
}

/// Decodes `bytes`: a byte-order mark wins; then valid UTF-8; then a `charset` declared in the
/// first KiB (HTML `<meta>`, XML prolog); then the encoding `chardetng` guesses.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, lossy) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Decoded {
            text: text.into_owned(),
            encoding: encoding.name(),
            lossy,
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: text.to_string(),
            encoding: "UTF-8",
            lossy: false,
        };
    }
    let encoding = declared_charset(bytes).unwrap_or_else(|| {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        detector.guess(None, chardetng::Utf8Detection::Allow)
    });
    let (text, lossy) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        lossy,
    }
}

/// A `charset=` or `encoding=` declaration in the first KiB, if it names a known encoding
/// other than UTF-8 (the input is already known not to be valid UTF-8).
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    for key in ["charset=", "encoding="] {
        if let Some(pos) = head.find(key) {
            let value: String = head[pos + key.len()..]
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'))
                .collect();
            if let Some(encoding) = Encoding::for_label(value.as_bytes())
                && encoding != encoding_rs::UTF_8
            {
                return Some(encoding);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_through() {
        let d = decode("Dayr az Zawr — Deir ez-Zor".as_bytes());
        assert_eq!(d.text, "Dayr az Zawr — Deir ez-Zor");
        assert_eq!(d.encoding, "UTF-8");
        assert!(!d.lossy);
    }

    #[test]
    fn windows_1252_is_guessed() {
        // "café “quoted”" in windows-1252.
        let d = decode(b"The caf\xe9 was hit, a \x93witness\x94 said, near the r\xe9sidence.");
        assert_eq!(
            d.text,
            "The café was hit, a “witness” said, near the résidence."
        );
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn bom_wins() {
        let d = decode(b"\xff\xfeA\0b\0");
        assert_eq!(d.text, "Ab");
        assert_eq!(d.encoding, "UTF-16LE");
    }

    #[test]
    fn declared_charset_is_used() {
        let d = decode(b"<meta charset=\"iso-8859-15\"><p>\xa4 10</p>");
        assert!(d.text.contains("€ 10"), "{}", d.text);
    }
}
