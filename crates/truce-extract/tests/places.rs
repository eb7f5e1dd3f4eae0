//! The geoparser on short reports written for these tests, one behaviour a case.

use std::sync::LazyLock;

use truce_extract::{ExtractInput, Extractor};
use truce_model::PlaceMention;

static ENGINE: LazyLock<Extractor> = LazyLock::new(|| Extractor::new().expect("engine builds"));

fn places(text: &str) -> Vec<PlaceMention> {
    ENGINE
        .extract(&ExtractInput {
            id: "t".into(),
            text: text.into(),
            published: None,
        })
        .places
}

/// (name as written, country) of each place, in order.
fn found(text: &str) -> Vec<(String, Option<String>)> {
    places(text)
        .into_iter()
        .filter(|p| p.role.is_none())
        .map(|p| (p.name, p.country))
        .collect()
}

fn has(text: &str, name: &str, country: &str) {
    let f = found(text);
    assert!(
        f.iter()
            .any(|(n, c)| n == name && c.as_deref() == Some(country)),
        "{name} ({country}) in {text:?}: {f:?}"
    );
}

fn lacks(text: &str, name: &str) {
    let f = found(text);
    assert!(
        !f.iter().any(|(n, _)| n == name),
        "{name} must not be a place in {text:?}: {f:?}"
    );
}

#[test]
fn single_and_multi_word_names() {
    has(
        "Shelling hit Deir ez-Zor and Ras al-Ain on Monday.",
        "Deir ez-Zor",
        "SY",
    );
    has(
        "Shelling hit Deir ez-Zor and Ras al-Ain on Monday.",
        "Ras al-Ain",
        "SY",
    );
    has(
        "Aid reached New York and Kuala Lumpur.",
        "Kuala Lumpur",
        "MY",
    );
    // A particle joins a name, it never ends one: "Nyeri on" reads like an Iranian village.
    has(
        "Students burned a dormitory in Nyeri on Monday.",
        "Nyeri",
        "KE",
    );
    has(
        "Fighting broke out in Rostov-on-Don.",
        "Rostov-on-Don",
        "RU",
    );
    // A possessive inside a name the gazetteer holds with it; outside one, it ends the name.
    has(
        "Two men were shot dead in Cox's Bazar town on Friday.",
        "Cox's Bazar",
        "BD",
    );
    assert_eq!(
        found("Syria's Al Bab was shelled."),
        vec![
            ("Syria".to_string(), Some("SY".to_string())),
            ("Al Bab".to_string(), Some("SY".to_string())),
        ]
    );
}

#[test]
fn transliteration_variants_resolve_to_one_place() {
    for spelling in [
        "Maarat al-Numan",
        "Ma'arrat al-Nu'man",
        "Marat Alnuman",
        "Maaret al-Numan",
    ] {
        let text = format!("Warplanes struck {spelling} in Idlib province, Syria.");
        let p = places(&text);
        let first = p
            .iter()
            .find(|p| p.name == spelling)
            .unwrap_or_else(|| panic!("{spelling}: {p:?}"));
        assert_eq!(first.country.as_deref(), Some("SY"), "{spelling}");
        let (lat, lon) = (first.lat.unwrap(), first.lon.unwrap());
        assert!(
            (lat - 35.64).abs() < 0.1 && (lon - 36.67).abs() < 0.1,
            "{spelling}: {lat},{lon}"
        );
    }
    has("Fighting near Dayr az Zawr.", "Dayr az Zawr", "SY");
    has("Fighting near Idleb and Halab.", "Idleb", "SY");
    has("Fighting near Idleb and Halab.", "Halab", "SY");
    has("A strike on Kfar Nabl and on Kafr Nabl.", "Kafr Nabl", "SY");
}

#[test]
fn ordinary_words_are_not_places() {
    let novel = "One morning, as Gregor woke from troubled dreams, he found himself changed. But he could not make sense of it. Nice weather, his sister said. Reading was out of the question, and Most of the day he lay still.";
    let f = found(novel);
    assert!(f.is_empty(), "a novel must not light up with places: {f:?}");
}

#[test]
fn demonyms_and_metonyms_are_kept_apart() {
    lacks("Syrian forces and Russian jets pounded the town.", "Syrian");
    lacks(
        "Syrian forces and Russian jets pounded the town.",
        "Russian",
    );
    let p = places("Moscow said the strike did not happen. The strike hit Aleppo.");
    let moscow = p
        .iter()
        .find(|p| p.name == "Moscow")
        .expect("Moscow is named");
    assert_eq!(moscow.role.as_deref(), Some("metonym"));
    assert!(p.iter().any(|p| p.name == "Aleppo" && p.role.is_none()));
}

#[test]
fn people_and_organisations_are_not_places() {
    lacks(
        "Secretary of State John Kerry said the strike was deliberate. Kerry added more.",
        "Kerry",
    );
    lacks("The Washington Post reported the strike.", "Washington");
    lacks("Spokesman Josh Earnest said so.", "Earnest");
}

#[test]
fn disambiguation_a_reader_would_agree_with() {
    has(
        "Clashes in Tripoli, Lebanon, left two dead near the port of Beirut.",
        "Tripoli",
        "LB",
    );
    has(
        "Clashes in Tripoli left two dead; Benghazi and Misrata were calm, Libyan officials said.",
        "Tripoli",
        "LY",
    );
    has(
        "Officials in Washington said the talks would go on.",
        "Washington",
        "US",
    );
    // Homs the city, unless the text says the province.
    let city = places("Shelling hit Homs on Monday, residents of the Syrian city said.");
    assert_eq!(city[0].geo_precision, Some(1), "{city:?}");
    let province = places("Shelling hit villages in Homs province.");
    assert_eq!(province[0].geo_precision, Some(3), "{province:?}");
}

#[test]
fn x_comma_province_ties_the_town_to_the_area() {
    has(
        "Clashes in Afes, Idlib province, killed four.",
        "Afes",
        "SY",
    );
}

#[test]
fn dateline_places_are_found() {
    has(
        "ALEPPO, Syria (Reuters) - Shelling resumed on Friday.",
        "ALEPPO",
        "SY",
    );
}

#[test]
fn places_the_gazetteer_lacks_are_reported_at_their_area() {
    let p = places("An air strike hit the rebel-held al-Kalasa neighbourhood of Aleppo.");
    let kalasa = p
        .iter()
        .find(|p| p.name == "al-Kalasa")
        .expect("al-Kalasa is reported");
    assert_eq!(kalasa.geonameid, None);
    assert_eq!(kalasa.country.as_deref(), Some("SY"));
    assert_eq!(
        kalasa.geo_precision,
        Some(2),
        "reported at Aleppo, not pretending to be precise"
    );
}

#[test]
fn offsets_are_char_offsets() {
    let text = "Frappes aériennes près de Ḩamāh et de Homs.";
    for p in places(text) {
        let slice: String = text.chars().skip(p.start).take(p.end - p.start).collect();
        assert_eq!(slice, p.name);
    }
}

/// Regions a ceasefire is drawn around, though no administration has them: contested
/// territories, historical provinces, the basins and mountains armed groups hold.
#[test]
fn contested_and_historical_regions_are_places() {
    has(
        "Fighting resumed in Nagorno-Karabakh on Tuesday, killing four soldiers.",
        "Nagorno-Karabakh",
        "AZ",
    );
    has(
        "Shelling was reported across the line in South Ossetia overnight.",
        "South Ossetia",
        "GE",
    );
    has(
        "Clan militias clashed near Burao in Somaliland last week.",
        "Somaliland",
        "SO",
    );
    has(
        "Villages in the Nuba Mountains were bombed again, residents said.",
        "Nuba Mountains",
        "SD",
    );
    has(
        "Floods in northern Bohemia closed the border crossing.",
        "Bohemia",
        "CZ",
    );
}
