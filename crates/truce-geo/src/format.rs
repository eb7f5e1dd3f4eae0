//! truce's gazetteer file format: gzip-compressed TSV, one place a line.
//!
//! ```text
//! # truce gazetteer v1
//! kind  geonameid  name  lat  lon  country  admin1  population  alternate|names
//! city  170063     Aleppo  36.20124  37.16117  SY  09  1602264  Halab|Alep|Haleb
//! ```
//!
//! Empty fields are empty strings. Lines starting with `#` are comments. The same columns, not
//! compressed, are what `truce gazetteer import --format tsv` reads for a user's own places
//! (`geonameid` may then be empty).

use std::io::{BufRead, BufReader, Read, Write};

use crate::{CountryCode, GeoError, Place, PlaceKind};

/// The first line of every file written by [`write_places`].
pub const HEADER: &str = "# truce gazetteer v1";

/// The whole text of an input, gzip-compressed or not (recognised by its magic bytes).
/// `origin` names the input in errors.
pub(crate) fn read_text(input: impl Read, origin: &str) -> Result<String, GeoError> {
    let mut reader = BufReader::new(input);
    let gzip = reader
        .fill_buf()
        .map_err(|e| GeoError::io(origin, e))?
        .starts_with(&[0x1f, 0x8b]);
    let mut text = String::new();
    if gzip {
        flate2::read::GzDecoder::new(reader).read_to_string(&mut text)
    } else {
        reader.read_to_string(&mut text)
    }
    .map_err(|e| GeoError::io(origin, e))?;
    Ok(text)
}

/// Reads places from TSV text (compressed or not: gzip is recognised by its magic bytes).
/// `origin` names the input in errors.
pub fn read_places(input: impl Read, origin: &str) -> Result<Vec<Place>, GeoError> {
    use rayon::prelude::*;
    let text = read_text(input, origin)?;
    // Lines parse independently: on every core.
    let lines: Vec<&str> = text.lines().collect();
    lines
        .par_iter()
        .enumerate()
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(number, line)| {
            parse_line(line).map_err(|detail| GeoError::Format {
                origin: origin.to_string(),
                line: number + 1,
                detail,
            })
        })
        .collect()
}

fn parse_line(line: &str) -> Result<Place, String> {
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() < 8 {
        return Err(format!(
            "expected at least 8 tab-separated columns, found {}",
            f.len()
        ));
    }
    let kind = PlaceKind::parse(f[0]).ok_or_else(|| format!("unknown kind {:?}", f[0]))?;
    let number = |i: usize, what: &str| -> Result<f64, String> {
        f[i].parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("{what} {:?} is not a number", f[i]))
    };
    let lat = number(3, "latitude")?;
    let lon = number(4, "longitude")?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!("coordinates {lat},{lon} are off the globe"));
    }
    let name = f[2].trim();
    if name.is_empty() {
        return Err("empty name".into());
    }
    Ok(Place {
        kind,
        geonameid: if f[1].is_empty() {
            None
        } else {
            Some(
                f[1].parse()
                    .map_err(|_| format!("geonameid {:?} is not a number", f[1]))?,
            )
        },
        name: name.to_string(),
        lat,
        lon,
        country: if f[5].is_empty() {
            None
        } else {
            Some(
                CountryCode::parse(f[5])
                    .ok_or_else(|| format!("country {:?} is not a 2-letter code", f[5]))?,
            )
        },
        admin1: Some(f[6].to_string()).filter(|a| !a.is_empty()),
        population: if f[7].is_empty() {
            0
        } else {
            f[7].parse()
                .map_err(|_| format!("population {:?} is not a number", f[7]))?
        },
        alternate_names: f
            .get(8)
            .map(|names| {
                names
                    .split('|')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// Writes places as gzip-compressed TSV.
pub fn write_places(places: &[Place], output: impl Write) -> std::io::Result<()> {
    let mut out = flate2::write::GzEncoder::new(output, flate2::Compression::best());
    writeln!(out, "{HEADER}")?;
    for p in places {
        let clean = |s: &str| s.replace(['\t', '\n', '\r', '|'], " ");
        let alternates: Vec<String> = p.alternate_names.iter().map(|n| clean(n)).collect();
        writeln!(
            out,
            "{}\t{}\t{}\t{:.5}\t{:.5}\t{}\t{}\t{}\t{}",
            p.kind.as_str(),
            p.geonameid.map(|g| g.to_string()).unwrap_or_default(),
            clean(&p.name),
            p.lat,
            p.lon,
            p.country.map(|c| c.to_string()).unwrap_or_default(),
            p.admin1.as_deref().map(clean).unwrap_or_default(),
            p.population,
            alternates.join("|"),
        )?;
    }
    out.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_gzip() {
        let places = vec![Place {
            geonameid: Some(170063),
            kind: PlaceKind::City,
            name: "Aleppo".into(),
            lat: 36.20124,
            lon: 37.16117,
            country: CountryCode::parse("SY"),
            admin1: Some("09".into()),
            population: 1_602_264,
            alternate_names: vec!["Halab".into(), "Alep".into()],
        }];
        let mut bytes = Vec::new();
        write_places(&places, &mut bytes).unwrap();
        assert_eq!(read_places(&bytes[..], "test").unwrap(), places);
    }

    #[test]
    fn bad_lines_name_their_line_and_problem() {
        let text = "# comment\ncity\t\tX\t91\t0\t\t\t0\n";
        let err = read_places(text.as_bytes(), "mine.tsv")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("mine.tsv line 2") && err.contains("off the globe"),
            "{err}"
        );
        let err = read_places("planet\t\tX\t1\t1\t\t\t0\n".as_bytes(), "f")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown kind"), "{err}");
        let err = read_places("city\t\tX\t1\n".as_bytes(), "f")
            .unwrap_err()
            .to_string();
        assert!(err.contains("columns"), "{err}");
    }
}
