//! Language identification of a document's text.

/// The ISO 639-3 code of the text's language (`eng`, `ara`, `rus`), when the detector is
/// confident; short or mixed texts give `None`.
pub fn detect_language(text: &str) -> Option<String> {
    // whatlang is unreliable on a few words (it calls "Gaza" Turkmen) and slow on long texts for
    // no gain: judge on the first 2,000 characters of at least 40.
    let sample: String = text.chars().take(2000).collect();
    if sample.chars().filter(|c| c.is_alphabetic()).count() < 40 {
        return None;
    }
    let info = whatlang::detect(&sample)?;
    (info.is_reliable() || info.confidence() >= 0.3).then(|| info.lang().code().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_long_enough_texts() {
        let en = "An airstrike hit the main hospital in the city overnight, killing at least twenty people, medical staff said on Thursday.";
        assert_eq!(detect_language(en).as_deref(), Some("eng"));
        let ar = "قصفت طائرات حربية مستشفى في مدينة حلب الليلة الماضية مما أسفر عن مقتل عشرين شخصا على الأقل";
        assert_eq!(detect_language(ar).as_deref(), Some("ara"));
        assert_eq!(detect_language("Gaza"), None);
    }
}
