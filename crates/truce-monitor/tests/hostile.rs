//! Agreement files and registers of any shape: an answer or a clear error, never a panic.

use proptest::prelude::*;
use truce_monitor::{Agreement, Zone, site};

fn no_files(_: &str) -> Result<String, String> {
    Err("no files here".into())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn any_text_is_read_or_refused(text in ".{0,300}") {
        let _ = Agreement::from_toml(&text, &no_files);
        let _ = site::from_csv(&text);
        let _ = site::from_geojson(&text);
        let _ = Zone::from_geojson("z", &text);
    }

    #[test]
    fn near_valid_agreements_never_panic(version in any::<i64>(), start in "[0-9-]{0,12}",
                                         lon in any::<f64>(), lat in any::<f64>()) {
        let text = format!(
            "name = \"x\"\nversion = {version}\nstart = \"{start}\"\nparties = [\"a\"]\n\
             [[zones]]\nname = \"z\"\npolygon = [[{lon:?}, {lat:?}], [1, 1], [2, 0]]\n"
        );
        let _ = Agreement::from_toml(&text, &no_files);
    }

    #[test]
    fn zones_contain_or_not_without_panicking(lat in any::<f64>(), lon in any::<f64>()) {
        let z = Zone::from_geojson("z", r#"{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}"#).unwrap();
        let _ = z.contains(lat, lon);
    }
}
