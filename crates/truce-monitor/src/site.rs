//! The register of protected sites: hospitals, schools, water stations and aid warehouses whose
//! coordinates were notified to the parties (humanitarian deconfliction), read from CSV or
//! GeoJSON.
//!
//! CSV: a header row, then one site a row:
//!
//! ```text
//! name,type,lat,lon,operator,notified,acknowledged
//! Ariha Surgical Hospital,hospital,35.8126,36.6086,Syrian American Medical Society,"Military Forces of Syria=2026-03-01; Military Forces of Russia=2026-03-01","Military Forces of Russia=2026-03-03"
//! ```
//!
//! `notified` and `acknowledged` list `party=YYYY-MM-DD` pairs separated by `;`. GeoJSON: Point
//! features whose properties carry `name`, `type`, `operator` and the same two lists (as text,
//! or as objects `{party: date}`).

use chrono::NaiveDate;
use serde_json::Value;
pub use truce_model::{Notification, ProtectedSite, SiteKind};

/// Why a register file was refused.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// A row or feature that is not a site; `at` names it (`line 4`, `feature 2`).
    #[error("{at}: {problem}")]
    Bad {
        /// Where.
        at: String,
        /// What is wrong.
        problem: String,
    },
    /// The file itself is unreadable as CSV or JSON.
    #[error("{0}")]
    Format(String),
}

fn bad(at: impl Into<String>, problem: impl Into<String>) -> SiteError {
    SiteError::Bad {
        at: at.into(),
        problem: problem.into(),
    }
}

fn coordinate(at: &str, what: &str, text: &str, limit: f64) -> Result<f64, SiteError> {
    let v: f64 = text
        .trim()
        .parse()
        .map_err(|_| bad(at, format!("{what} {text:?} is not a number")))?;
    if !v.is_finite() || v.abs() > limit {
        return Err(bad(at, format!("{what} {v} is out of range")));
    }
    Ok(v)
}

/// Reads `party=YYYY-MM-DD; party=YYYY-MM-DD` (or a party alone, date unknown).
fn pairs(at: &str, text: &str) -> Result<Vec<(String, Option<NaiveDate>)>, SiteError> {
    text.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| match p.rsplit_once('=') {
            Some((party, date)) => {
                let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
                    .map_err(|_| bad(at, format!("{date:?} is not a date (YYYY-MM-DD)")))?;
                Ok((party.trim().to_string(), Some(date)))
            }
            None => Ok((p.to_string(), None)),
        })
        .collect()
}

fn notifications(
    at: &str,
    notified: &str,
    acknowledged: &str,
) -> Result<Vec<Notification>, SiteError> {
    let mut out: Vec<Notification> = pairs(at, notified)?
        .into_iter()
        .map(|(party, notified)| Notification {
            party,
            notified,
            acknowledged: None,
        })
        .collect();
    for (party, date) in pairs(at, acknowledged)? {
        match out.iter_mut().find(|n| n.party == party) {
            Some(n) => n.acknowledged = date,
            None => out.push(Notification {
                party,
                notified: None,
                acknowledged: date,
            }),
        }
    }
    Ok(out)
}

fn site(
    at: &str,
    name: &str,
    kind: &str,
    lat: &str,
    lon: &str,
    operator: Option<&str>,
    notifications: Vec<Notification>,
) -> Result<ProtectedSite, SiteError> {
    if name.trim().is_empty() {
        return Err(bad(at, "the site has no name"));
    }
    let kind = SiteKind::parse(kind).ok_or_else(|| {
        bad(
            at,
            format!("{kind:?} is not a site type (hospital, school, water station, aid warehouse)"),
        )
    })?;
    Ok(ProtectedSite {
        name: name.trim().to_string(),
        kind,
        lat: coordinate(at, "latitude", lat, 90.0)?,
        lon: coordinate(at, "longitude", lon, 180.0)?,
        operator: operator
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_string),
        notifications,
    })
}

/// Reads a CSV register (columns by header name: `name`, `type`, `lat`, `lon`, and optional
/// `operator`, `notified`, `acknowledged`).
pub fn from_csv(text: &str) -> Result<Vec<ProtectedSite>, SiteError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| SiteError::Format(format!("not a CSV register: {e}")))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let need = |name: &str| {
        column(name).ok_or_else(|| SiteError::Format(format!("the header has no {name:?} column")))
    };
    let (name, kind, lat, lon) = (need("name")?, need("type")?, need("lat")?, need("lon")?);
    let (operator, notified, acknowledged) = (
        column("operator"),
        column("notified"),
        column("acknowledged"),
    );
    let mut sites = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let at = format!("line {}", i + 2);
        let row = row.map_err(|e| bad(&at, e.to_string()))?;
        let get = |c: Option<usize>| c.and_then(|c| row.get(c)).unwrap_or("");
        let n = notifications(&at, get(notified), get(acknowledged))?;
        sites.push(site(
            &at,
            get(Some(name)),
            get(Some(kind)),
            get(Some(lat)),
            get(Some(lon)),
            operator.and_then(|c| row.get(c)),
            n,
        )?);
    }
    Ok(sites)
}

/// Reads a GeoJSON register (a FeatureCollection of Point features).
pub fn from_geojson(text: &str) -> Result<Vec<ProtectedSite>, SiteError> {
    let v: Value =
        serde_json::from_str(text).map_err(|e| SiteError::Format(format!("not GeoJSON: {e}")))?;
    let features = v
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| SiteError::Format("not a GeoJSON FeatureCollection".into()))?;
    let list = |p: &Value, key: &str| -> String {
        match p.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                .collect::<Vec<_>>()
                .join(";"),
            _ => String::new(),
        }
    };
    features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let at = format!("feature {}", i + 1);
            let geometry = f.get("geometry").unwrap_or(&Value::Null);
            if geometry.get("type").and_then(Value::as_str) != Some("Point") {
                return Err(bad(&at, "its geometry is not a Point"));
            }
            let c = geometry.get("coordinates").and_then(Value::as_array);
            let number = |k: usize| {
                c.and_then(|c| c.get(k))
                    .and_then(Value::as_f64)
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            };
            let p = f.get("properties").unwrap_or(&Value::Null);
            let text = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("");
            let n = notifications(&at, &list(p, "notified"), &list(p, "acknowledged"))?;
            site(
                &at,
                text("name"),
                text("type"),
                &number(1),
                &number(0),
                p.get("operator").and_then(Value::as_str),
                n,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "name,type,lat,lon,operator,notified,acknowledged\n\
        Ariha Hospital,hospital,35.81,36.61,SAMS,\"Military Forces of Syria=2026-03-01; Military Forces of Russia=2026-03-02\",Military Forces of Russia=2026-03-04\n\
        Saraqib School 4,school,35.86,36.80,,,\n";

    #[test]
    fn a_csv_register_is_read_with_its_notifications() {
        let sites = from_csv(CSV).unwrap();
        assert_eq!(sites.len(), 2);
        let h = &sites[0];
        assert_eq!(h.kind, SiteKind::Hospital);
        assert_eq!(h.notifications.len(), 2);
        assert_eq!(
            h.notifications[1].acknowledged,
            NaiveDate::from_ymd_opt(2026, 3, 4)
        );
        assert!(h.notified_before(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()));
        assert!(!h.notified_before(NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()));
        assert!(sites[1].notifications.is_empty() && sites[1].operator.is_none());
    }

    #[test]
    fn a_geojson_register_is_read() {
        let text = r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
            "geometry": {"type": "Point", "coordinates": [36.61, 35.81]},
            "properties": {"name": "Ariha Hospital", "type": "clinic",
                           "notified": {"Military Forces of Syria": "2026-03-01"}}}]}"#;
        let sites = from_geojson(text).unwrap();
        assert_eq!(sites[0].kind, SiteKind::Hospital);
        assert_eq!((sites[0].lat, sites[0].lon), (35.81, 36.61));
        assert_eq!(sites[0].notifications[0].party, "Military Forces of Syria");
    }

    #[test]
    fn bad_registers_name_the_row_and_the_problem() {
        let cases: [(&str, &str); 8] = [
            ("", "no \"name\" column"),
            ("name,type,lat\nA,school,1\n", "no \"lon\" column"),
            (
                "name,type,lat,lon\nA,castle,1,2\n",
                "line 2: \"castle\" is not a site type",
            ),
            (
                "name,type,lat,lon\nA,school,north,2\n",
                "line 2: latitude \"north\" is not a number",
            ),
            (
                "name,type,lat,lon\nA,school,91,2\n",
                "latitude 91 is out of range",
            ),
            ("name,type,lat,lon\n,school,1,2\n", "has no name"),
            ("name,type,lat,lon\nA,school,1,2,extra\n", "line 2"),
            (
                "name,type,lat,lon,notified\nA,school,1,2,X=March\n",
                "\"March\" is not a date",
            ),
        ];
        for (text, expected) in cases {
            let e = from_csv(text).unwrap_err().to_string();
            assert!(e.contains(expected), "{text:?} gave {e:?}");
        }
        assert!(
            from_geojson("{")
                .unwrap_err()
                .to_string()
                .contains("not GeoJSON")
        );
        assert!(
            from_geojson("[]")
                .unwrap_err()
                .to_string()
                .contains("FeatureCollection")
        );
        let line = r#"{"features": [{"geometry": {"type": "LineString"}}]}"#;
        assert!(
            from_geojson(line)
                .unwrap_err()
                .to_string()
                .contains("feature 1")
        );
        assert!(from_csv("\u{0}\u{1}binary").is_err());
    }
}
