//! Building the gazetteer from its sources: GeoNames files, UCDP's Syrian places, and the
//! project's own lexicon files (`data/`).
//!
//! The default gazetteer shipped with truce is the output of [`build_default`] written with
//! [`crate::format::write_places`]; `scripts/build-gazetteer.sh` runs it. [`read_geonames_dump`]
//! reads a full GeoNames country dump (`SY.txt`) for `truce gazetteer import`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::normalize::exact_key;
use crate::{CountryCode, GeoError, Place, PlaceKind};

/// Where the sources are.
#[derive(Debug, Clone)]
pub struct Sources<'a> {
    /// The folder holding `geonames/` and `ucdp/` (the project's `../shared/data`).
    pub data_dir: &'a Path,
    /// The project's own lexicon files (`crates/truce-geo/data`).
    pub project_dir: &'a Path,
}

fn open(path: &Path) -> Result<Box<dyn BufRead>, GeoError> {
    let origin = path.display().to_string();
    let file = File::open(path).map_err(|e| GeoError::io(&origin, e))?;
    let mut reader = BufReader::new(file);
    let gzip = reader
        .fill_buf()
        .map_err(|e| GeoError::io(&origin, e))?
        .starts_with(&[0x1f, 0x8b]);
    Ok(if gzip {
        Box::new(BufReader::new(flate2::read::GzDecoder::new(reader)))
    } else {
        Box::new(reader)
    })
}

/// Rows of a tab-separated file, comments and blank lines skipped.
fn rows(path: &Path) -> Result<Vec<Vec<String>>, GeoError> {
    let origin = path.display().to_string();
    let mut out = Vec::new();
    for line in open(path)?.lines() {
        let line = line.map_err(|e| GeoError::io(&origin, e))?;
        let line = line.trim_start_matches('\u{feff}');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        out.push(line.split('\t').map(|f| f.trim().to_string()).collect());
    }
    Ok(out)
}

fn format_err(path: &Path, line: usize, detail: impl Into<String>) -> GeoError {
    GeoError::Format {
        origin: path.display().to_string(),
        line,
        detail: detail.into(),
    }
}

/// Whether an alternate name from GeoNames is worth matching in English text: Latin script,
/// with a capital letter, not an all-capitals code of 4 letters or fewer (airport codes such as
/// `ALV` would fire on acronyms), between 2 and 60 characters.
pub fn keep_alternate(name: &str) -> bool {
    let name = name.trim();
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    if !(2..=60).contains(&name.chars().count()) || letters < 2 {
        return false;
    }
    let latin = name.chars().all(|c| {
        !c.is_alphabetic() || (c as u32) < 0x0250 || (0x1E00..=0x1EFF).contains(&(c as u32))
    });
    let has_upper = name.chars().any(char::is_uppercase);
    let code_like = letters <= 4 && name.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
    latin && has_upper && !code_like
}

/// The latitudes and longitudes of the towns in an area, and their total population.
type Spread = (Vec<f64>, Vec<f64>, u64);

/// Each first-order area's centre, by country and admin1 code.
type Centres = HashMap<(CountryCode, String), (f64, f64)>;

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    Some(values[values.len() / 2])
}

/// The middle of the range covered by the central 94 % of the values: the middle of an area
/// from the towns in it, not pulled towards where most people live (the median would put Texas
/// in its populous east).
fn middle(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let lo = values[values.len() * 3 / 100];
    let hi = values[(values.len() * 97 / 100).min(values.len() - 1)];
    Some((lo + hi) / 2.0)
}

/// How far from every town of an area its point may lie and still be on its land.
const INHABITED_KM: f64 = 100.0;

/// The point of a country from its towns: the [`middle`] of their spread, unless that falls far
/// from all of them (an archipelago's middle is at sea: Portugal's, between the mainland and
/// the Azores); then their median, unless that is at sea too; then the town nearest the median.
/// Not for provinces: a province's middle far from its towns is more often desert or forest
/// (Bolivia's Chaco) than sea, and the median would pull it to where people live.
fn inhabited_middle(lats: &mut [f64], lons: &mut [f64]) -> Option<(f64, f64)> {
    let towns: Vec<(f64, f64)> = lats.iter().copied().zip(lons.iter().copied()).collect();
    let km =
        |(lat, lon): (f64, f64), t: &(f64, f64)| crate::distance::haversine_km(lat, lon, t.0, t.1);
    let inhabited = |p: (f64, f64)| towns.iter().any(|t| km(p, t) <= INHABITED_KM);
    let mid = (middle(lats)?, middle(lons)?);
    if inhabited(mid) {
        return Some(mid);
    }
    let med = (median(lats)?, median(lons)?);
    if inhabited(med) {
        return Some(med);
    }
    towns
        .iter()
        .min_by(|a, b| km(med, a).total_cmp(&km(med, b)))
        .copied()
}

fn alternates(main: &str, names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::from([exact_key(main)]);
    let mut out = Vec::new();
    for n in names {
        let n = n.trim().to_string();
        if !n.is_empty() && seen.insert(exact_key(&n)) {
            out.push(n);
        }
    }
    out
}

/// The name without a trailing administrative word, when it has one ("Hall County" -> "Hall").
fn without_admin_suffix(name: &str) -> Option<String> {
    const SUFFIXES: [&str; 10] = [
        " County",
        " District",
        " Parish",
        " Borough",
        " Governorate",
        " Province",
        " Region",
        " Municipality",
        " Department",
        " Prefecture",
    ];
    SUFFIXES
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .map(str::to_string)
        .filter(|n| n.len() >= 3)
}

/// Builds the default gazetteer from its sources.
pub fn build_default(sources: &Sources<'_>) -> Result<Vec<Place>, GeoError> {
    let geonames = sources.data_dir.join("geonames");
    let project = sources.project_dir;
    let big = big_cities(&geonames)?;
    let (mut places, mut points) = cities(&geonames, &big)?;
    places.extend(countries(project, &geonames, &mut points.country)?);
    let (areas, admin1_centre) = first_order_areas(project, &geonames, &mut points.admin1)?;
    places.extend(areas);
    // UCDP's Syrian places; their districts also place the Syrian admin2 areas.
    let ucdp = read_ucdp(
        &sources
            .data_dir
            .join("ucdp")
            .join("syria-places-2017-2019.tsv"),
        &places,
    )?;
    let mut district_points: HashMap<String, (Vec<f64>, Vec<f64>)> = HashMap::new();
    for (place, district) in &ucdp {
        let e = district_points
            .entry(crate::normalize::skeleton_key(district))
            .or_default();
        e.0.push(place.lat);
        e.1.push(place.lon);
    }

    places.extend(second_order_areas(
        &geonames,
        &mut points.admin2,
        &mut district_points,
        &admin1_centre,
    )?);
    merge_ucdp(&mut places, ucdp.into_iter().map(|(p, _)| p).collect());
    places.extend(written_areas(project)?);
    Ok(places)
}

/// The names in Arabic script (Arabic, Persian, Urdu) GeoNames gives the populated places of
/// 500 or more inhabitants, by GeoNames id (ids in order): the file of
/// [`crate::native::NativeNames`]. Kept apart from the places' alternate names, which the
/// extractor matches in English text.
pub fn native_names(sources: &Sources<'_>) -> Result<Vec<(u32, Vec<String>)>, GeoError> {
    let path = sources.data_dir.join("geonames").join("cities500.tsv.gz");
    let mut out = Vec::new();
    for (i, r) in rows(&path)?.into_iter().enumerate() {
        if r[0] == "geonameid" {
            continue;
        }
        if r.len() < 9 {
            return Err(format_err(&path, i + 1, "expected 9 columns"));
        }
        let Ok(id) = r[0].parse::<u32>() else {
            return Err(format_err(&path, i + 1, "bad id"));
        };
        let mut names: Vec<String> = Vec::new();
        for n in r[8].split('|').map(str::trim) {
            if crate::native::has_arabic(n)
                && n.chars().count() <= 60
                && !names.iter().any(|m| m == n)
            {
                names.push(n.to_string());
            }
        }
        if !names.is_empty() {
            out.push((id, names));
        }
    }
    out.sort_by_key(|(id, _)| *id);
    Ok(out)
}

/// Feature codes and admin2 codes of the larger cities (raw GeoNames format), by GeoNames id.
fn big_cities(geonames: &Path) -> Result<HashMap<u32, (String, String)>, GeoError> {
    let big_path = geonames.join("cities15000.txt");
    let mut big: HashMap<u32, (String, String)> = HashMap::new();
    for (i, r) in rows(&big_path)?.into_iter().enumerate() {
        if r.len() < 12 {
            return Err(format_err(&big_path, i + 1, "expected 19 GeoNames columns"));
        }
        if let Ok(id) = r[0].parse::<u32>() {
            big.insert(id, (r[7].clone(), r[11].clone()));
        }
    }
    Ok(big)
}

/// Where the cities of each area and country lie, and how many live in them: what places the
/// areas that GeoNames gives no point.
#[derive(Default)]
struct CityPoints {
    admin1: HashMap<(CountryCode, String), Spread>,
    admin2: HashMap<(CountryCode, String, String), Spread>,
    country: HashMap<CountryCode, (Vec<f64>, Vec<f64>)>,
}

/// Cities of 500+ inhabitants, with the points of their areas and countries.
fn cities(
    geonames: &Path,
    big: &HashMap<u32, (String, String)>,
) -> Result<(Vec<Place>, CityPoints), GeoError> {
    let cities_path = geonames.join("cities500.tsv.gz");
    let mut places = Vec::new();
    let mut points = CityPoints::default();
    let (admin1_points, admin2_points, country_points) =
        (&mut points.admin1, &mut points.admin2, &mut points.country);
    for (i, r) in rows(&cities_path)?.into_iter().enumerate() {
        if r[0] == "geonameid" {
            continue;
        }
        if r.len() < 9 {
            return Err(format_err(&cities_path, i + 1, "expected 9 columns"));
        }
        let (Ok(id), Ok(lat), Ok(lon)) = (
            r[0].parse::<u32>(),
            r[2].parse::<f64>(),
            r[3].parse::<f64>(),
        ) else {
            return Err(format_err(&cities_path, i + 1, "bad id or coordinates"));
        };
        let Some(cc) = CountryCode::parse(&r[4]) else {
            continue;
        };
        let population = r[6].parse::<u64>().unwrap_or(0);
        let (fcode, admin2) = big.get(&id).cloned().unwrap_or_default();
        let kind = if fcode == "PPLC" {
            PlaceKind::Capital
        } else {
            PlaceKind::City
        };
        let admin1 = Some(r[5].clone()).filter(|a| !a.is_empty() && a != "00");
        if let Some(a1) = &admin1 {
            let e = admin1_points.entry((cc, a1.clone())).or_default();
            e.0.push(lat);
            e.1.push(lon);
            e.2 += population;
            if !admin2.is_empty() {
                let e = admin2_points
                    .entry((cc, a1.clone(), admin2.clone()))
                    .or_default();
                e.0.push(lat);
                e.1.push(lon);
                e.2 += population;
            }
        }
        let c = country_points.entry(cc).or_default();
        c.0.push(lat);
        c.1.push(lon);
        let alts = r[8]
            .split('|')
            .filter(|n| keep_alternate(n))
            .map(str::to_string);
        places.push(Place {
            geonameid: Some(id),
            kind,
            alternate_names: alternates(&r[1], alts),
            name: r[1].clone(),
            lat,
            lon,
            country: Some(cc),
            admin1,
            population,
        });
    }
    Ok((places, points))
}

/// Countries: at the project's centre for them, else in the middle of their cities.
fn countries(
    project: &Path,
    geonames: &Path,
    country_points: &mut HashMap<CountryCode, (Vec<f64>, Vec<f64>)>,
) -> Result<Vec<Place>, GeoError> {
    let mut places = Vec::new();
    let centers: HashMap<CountryCode, (f64, f64)> = rows(&project.join("country_centers.tsv"))?
        .into_iter()
        .filter_map(|r| {
            Some((
                CountryCode::parse(&r[0])?,
                (r.get(1)?.parse().ok()?, r.get(2)?.parse().ok()?),
            ))
        })
        .collect();
    let mut country_aliases: HashMap<CountryCode, Vec<String>> = HashMap::new();
    for r in rows(&project.join("country_aliases.tsv"))? {
        if let (Some(cc), Some(names)) = (CountryCode::parse(&r[0]), r.get(1)) {
            country_aliases
                .entry(cc)
                .or_default()
                .extend(names.split('|').map(str::to_string));
        }
    }
    let info_path = geonames.join("countryInfo.txt");
    for r in rows(&info_path)? {
        if r.len() < 17 {
            continue;
        }
        let Some(cc) = CountryCode::parse(&r[0]) else {
            continue;
        };
        let point = centers.get(&cc).copied().or_else(|| {
            let (lats, lons) = country_points.get_mut(&cc)?;
            inhabited_middle(lats, lons)
        });
        let Some((lat, lon)) = point else { continue };
        places.push(Place {
            geonameid: r[16].parse().ok(),
            kind: PlaceKind::Country,
            alternate_names: alternates(&r[4], country_aliases.remove(&cc).unwrap_or_default()),
            name: r[4].clone(),
            lat,
            lon,
            country: Some(cc),
            admin1: None,
            population: r[7].parse().unwrap_or(0),
        });
    }
    Ok(places)
}

/// First-order areas: at the project's centre for them, else in the middle of their cities;
/// with each one's centre, which places the second-order areas that have no point of their own.
fn first_order_areas(
    project: &Path,
    geonames: &Path,
    admin1_points: &mut HashMap<(CountryCode, String), Spread>,
) -> Result<(Vec<Place>, Centres), GeoError> {
    let mut places = Vec::new();
    let mut admin1_aliases: HashMap<(CountryCode, String), Vec<String>> = HashMap::new();
    for r in rows(&project.join("admin1_aliases.tsv"))? {
        if let (Some(cc), Some(code), Some(names)) = (CountryCode::parse(&r[0]), r.get(1), r.get(2))
        {
            admin1_aliases
                .entry((cc, code.clone()))
                .or_default()
                .extend(names.split('|').map(str::to_string));
        }
    }
    let admin1_overrides: HashMap<(CountryCode, String), (f64, f64)> =
        rows(&project.join("admin1_centers.tsv"))?
            .into_iter()
            .filter_map(|r| {
                let cc = CountryCode::parse(&r[0])?;
                Some((
                    (cc, r.get(1)?.clone()),
                    (r.get(2)?.parse().ok()?, r.get(3)?.parse().ok()?),
                ))
            })
            .collect();
    let mut admin1_centre: Centres = HashMap::new();
    for r in rows(&geonames.join("admin1CodesASCII.txt"))? {
        let Some((cc, code)) = r[0].split_once('.') else {
            continue;
        };
        let Some(cc) = CountryCode::parse(cc) else {
            continue;
        };
        let key = (cc, code.to_string());
        let Some((lats, lons, pop)) = admin1_points.get_mut(&key) else {
            continue;
        };
        let Some((lat, lon)) = admin1_overrides
            .get(&key)
            .copied()
            .or_else(|| Some((middle(lats)?, middle(lons)?)))
        else {
            continue;
        };
        admin1_centre.insert(key.clone(), (lat, lon));
        let mut names = vec![r[2].clone()];
        names.extend(without_admin_suffix(&r[1]));
        names.extend(admin1_aliases.remove(&key).unwrap_or_default());
        places.push(Place {
            geonameid: r.get(3).and_then(|g| g.parse().ok()),
            kind: PlaceKind::Admin1,
            alternate_names: alternates(&r[1], names),
            name: r[1].clone(),
            lat,
            lon,
            country: Some(cc),
            admin1: Some(code.to_string()),
            population: *pop,
        });
    }
    Ok((places, admin1_centre))
}

/// Second-order areas: placed by their big cities, else (Syria) by UCDP villages, else at the
/// centre of their first-order area.
fn second_order_areas(
    geonames: &Path,
    admin2_points: &mut HashMap<(CountryCode, String, String), Spread>,
    district_points: &mut HashMap<String, (Vec<f64>, Vec<f64>)>,
    admin1_centre: &Centres,
) -> Result<Vec<Place>, GeoError> {
    let mut places = Vec::new();
    for r in rows(&geonames.join("admin2Codes.txt"))? {
        let parts: Vec<&str> = r[0].split('.').collect();
        let [cc, a1, a2] = parts[..] else { continue };
        let Some(cc) = CountryCode::parse(cc) else {
            continue;
        };
        let point = admin2_points
            .get_mut(&(cc, a1.to_string(), a2.to_string()))
            .and_then(|(lats, lons, _)| Some((median(lats)?, median(lons)?)))
            .or_else(|| {
                let (lats, lons) =
                    district_points.get_mut(&crate::normalize::skeleton_key(&r[1]))?;
                Some((median(lats)?, median(lons)?))
            })
            .or_else(|| admin1_centre.get(&(cc, a1.to_string())).copied());
        let Some((lat, lon)) = point else { continue };
        let population = admin2_points
            .get(&(cc, a1.to_string(), a2.to_string()))
            .map_or(0, |p| p.2);
        let mut names = vec![r[2].clone()];
        names.extend(without_admin_suffix(&r[1]));
        places.push(Place {
            geonameid: r.get(3).and_then(|g| g.parse().ok()),
            kind: PlaceKind::Admin2,
            alternate_names: alternates(&r[1], names),
            name: r[1].clone(),
            lat,
            lon,
            country: Some(cc),
            admin1: Some(a1.to_string()),
            population,
        });
    }
    Ok(places)
}

/// Continents and regions written by the project.
fn written_areas(project: &Path) -> Result<Vec<Place>, GeoError> {
    let mut places = Vec::new();
    for r in rows(&project.join("continents.tsv"))? {
        if let (Some(lat), Some(lon)) = (
            r.get(1).and_then(|v| v.parse().ok()),
            r.get(2).and_then(|v| v.parse().ok()),
        ) {
            let names = r
                .get(3)
                .map(|n| n.split('|').map(str::to_string).collect::<Vec<_>>())
                .unwrap_or_default();
            places.push(Place {
                geonameid: None,
                kind: PlaceKind::Continent,
                alternate_names: alternates(&r[0], names),
                name: r[0].clone(),
                lat,
                lon,
                country: None,
                admin1: None,
                population: 0,
            });
        }
    }
    for r in rows(&project.join("regions.tsv"))? {
        if let (Some(lat), Some(lon)) = (
            r.get(1).and_then(|v| v.parse().ok()),
            r.get(2).and_then(|v| v.parse().ok()),
        ) {
            let names = r
                .get(4)
                .map(|n| n.split('|').map(str::to_string).collect::<Vec<_>>())
                .unwrap_or_default();
            places.push(Place {
                geonameid: None,
                kind: PlaceKind::Region,
                alternate_names: alternates(&r[0], names),
                name: r[0].clone(),
                lat,
                lon,
                country: r.get(3).and_then(|c| CountryCode::parse(c)),
                admin1: None,
                population: 0,
            });
        }
    }
    Ok(places)
}

/// Adds UCDP's places, folding each one that GeoNames already has (same spelling or
/// transliteration, within 10 km) into the GeoNames entry as alternate names.
fn merge_ucdp(places: &mut Vec<Place>, ucdp: Vec<Place>) {
    use crate::normalize::skeleton_key;
    let sy = CountryCode::parse("SY");
    let mut by_skeleton: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in places.iter().enumerate() {
        if p.country == sy && !p.kind.is_area() {
            for n in std::iter::once(&p.name).chain(&p.alternate_names) {
                by_skeleton.entry(skeleton_key(n)).or_default().push(i);
            }
        }
    }
    for u in ucdp {
        let skeletons: Vec<String> = std::iter::once(&u.name)
            .chain(&u.alternate_names)
            .map(|n| skeleton_key(n))
            .collect();
        let same = skeletons
            .iter()
            .flat_map(|s| by_skeleton.get(s).into_iter().flatten())
            .copied()
            .find(|&i| {
                crate::distance::haversine_km(places[i].lat, places[i].lon, u.lat, u.lon) < 10.0
            });
        match same {
            Some(i) => {
                let target = &mut places[i];
                let mut names = std::mem::take(&mut target.alternate_names);
                names.push(u.name);
                names.extend(u.alternate_names);
                target.alternate_names = alternates(&target.name, names);
            }
            None => {
                let i = places.len();
                for s in skeletons {
                    by_skeleton.entry(s).or_default().push(i);
                }
                places.push(u);
            }
        }
    }
}

/// The governorate column of UCDP ("Deir ez Zor Governorate") to a Syrian admin1 code, through
/// the names of the admin1 places already built.
fn syrian_admin1_codes(places: &[Place]) -> BTreeMap<String, String> {
    let sy = CountryCode::parse("SY");
    let mut out = BTreeMap::new();
    for p in places
        .iter()
        .filter(|p| p.kind == PlaceKind::Admin1 && p.country == sy)
    {
        for n in std::iter::once(&p.name).chain(&p.alternate_names) {
            out.insert(
                crate::normalize::skeleton_key(n),
                p.admin1.clone().unwrap_or_default(),
            );
        }
    }
    out
}

/// Reads UCDP's Syrian place list: `name lat lon adm_1 adm_2 where_prec events`, names such as
/// `Kashmah village`, `Al Eis/Ash Shaykh Isa town`, `Tiyas Military Airbase (T4)`. Returns each
/// place with its district name.
fn read_ucdp(path: &Path, built: &[Place]) -> Result<Vec<(Place, String)>, GeoError> {
    let codes = syrian_admin1_codes(built);
    let mut out = Vec::new();
    for (i, r) in rows(path)?.into_iter().enumerate() {
        if r[0] == "name" {
            continue;
        }
        if r.len() < 5 {
            return Err(format_err(path, i + 1, "expected 7 columns"));
        }
        let (Ok(lat), Ok(lon)) = (r[1].parse::<f64>(), r[2].parse::<f64>()) else {
            return Err(format_err(path, i + 1, "bad coordinates"));
        };
        let full = r[0].as_str();
        if full.ends_with("Governorate") {
            continue;
        }
        let (stem, kind) = [
            (" village", PlaceKind::Village),
            (" town", PlaceKind::City),
            (" city", PlaceKind::City),
            (" suburb", PlaceKind::Sector),
            (" neighbourhood", PlaceKind::Sector),
            (" neighborhood", PlaceKind::Sector),
            (" area", PlaceKind::Sector),
            (" locality", PlaceKind::Village),
        ]
        .iter()
        .find_map(|(suffix, kind)| full.strip_suffix(suffix).map(|s| (s, *kind)))
        .unwrap_or((full, PlaceKind::Village));
        let (stem, alias) = match stem.split_once(" (") {
            Some((s, rest)) => (s, Some(rest.trim_end_matches(')').to_string())),
            None => (stem, None),
        };
        let mut names: Vec<String> = stem
            .split('/')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if names.is_empty() {
            continue;
        }
        let name = names.remove(0);
        names.extend(alias.filter(|a| a.len() > 2));
        let governorate = r[3].trim_end_matches(" Governorate");
        out.push((
            Place {
                geonameid: None,
                kind,
                alternate_names: alternates(&name, names),
                name,
                lat,
                lon,
                country: CountryCode::parse("SY"),
                admin1: codes
                    .get(&crate::normalize::skeleton_key(governorate))
                    .cloned(),
                population: 0,
            },
            r[4].trim_end_matches(" district").to_string(),
        ));
    }
    Ok(out)
}

/// Reads a full GeoNames dump (`allCountries.txt`, `SY.txt`: 19 tab-separated columns) and keeps
/// populated places, administrative areas and countries.
pub fn read_geonames_dump(input: impl Read, origin: &str) -> Result<Vec<Place>, GeoError> {
    let mut places = Vec::new();
    for (i, line) in BufReader::new(input).lines().enumerate() {
        let line = line.map_err(|e| GeoError::io(origin, e))?;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 15 {
            return Err(GeoError::Format {
                origin: origin.to_string(),
                line: i + 1,
                detail: format!("expected 19 GeoNames columns, found {}", f.len()),
            });
        }
        let kind = match (f[6], f[7]) {
            ("P", "PPLC") => PlaceKind::Capital,
            ("P", "PPLX") => PlaceKind::Sector,
            ("P", _) => PlaceKind::City,
            ("A", "ADM1") => PlaceKind::Admin1,
            ("A", "ADM2") => PlaceKind::Admin2,
            ("A", "PCLI" | "PCLD" | "PCLF" | "PCLS" | "TERR") => PlaceKind::Country,
            ("L", "RGN" | "AREA") => PlaceKind::Region,
            _ => continue,
        };
        let (Ok(lat), Ok(lon)) = (f[4].parse::<f64>(), f[5].parse::<f64>()) else {
            return Err(GeoError::Format {
                origin: origin.to_string(),
                line: i + 1,
                detail: "bad coordinates".into(),
            });
        };
        let alts = f[3]
            .split(',')
            .filter(|n| keep_alternate(n))
            .map(str::to_string);
        let mut names: Vec<String> = vec![f[2].to_string()];
        names.extend(alts);
        places.push(Place {
            geonameid: f[0].parse().ok(),
            kind,
            alternate_names: alternates(f[1], names),
            name: f[1].to_string(),
            lat,
            lon,
            country: CountryCode::parse(f[8]),
            admin1: Some(f[10].to_string()).filter(|a| !a.is_empty() && a != "00"),
            population: f[14].parse().unwrap_or(0),
        });
    }
    Ok(places)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Towns on a made-up mainland and on islands far out at sea, as Portugal's are.
    #[test]
    fn an_archipelagos_point_is_on_land() {
        let mut towns: Vec<(f64, f64)> = Vec::new();
        for i in 0..60 {
            let k = f64::from(i);
            towns.push((37.0 + (k % 12.0) * 0.4, -9.0 + (k % 7.0) * 0.3));
        }
        for i in 0..45 {
            let k = f64::from(i);
            towns.push((37.5 + (k % 5.0) * 0.3, -28.0 - (k % 9.0) * 0.3));
        }
        let (mut lats, mut lons): (Vec<f64>, Vec<f64>) = towns.iter().copied().unzip();
        // The middle of the spread lies at sea, between the two.
        let at_sea = middle(&mut lons.clone()).unwrap();
        assert!(at_sea < -15.0 && at_sea > -22.0, "{at_sea}");
        let (lat, lon) = inhabited_middle(&mut lats, &mut lons).unwrap();
        assert!(
            towns
                .iter()
                .any(|t| crate::distance::haversine_km(lat, lon, t.0, t.1) <= INHABITED_KM),
            "{lat},{lon}"
        );
        assert!(lon > -10.0, "on the mainland, where most towns are: {lon}");
        // A country in one piece keeps the middle of its spread.
        let (mut lats, mut lons): (Vec<f64>, Vec<f64>) = towns[..60].iter().copied().unzip();
        let mid = (
            middle(&mut lats.clone()).unwrap(),
            middle(&mut lons.clone()).unwrap(),
        );
        assert_eq!(inhabited_middle(&mut lats, &mut lons), Some(mid));
    }

    #[test]
    fn alternate_names_filter() {
        for keep in [
            "Halab",
            "Alep",
            "Ma‘arrat an Nu‘man",
            "New York City",
            "Al Bab",
        ] {
            assert!(keep_alternate(keep), "{keep}");
        }
        for drop in ["ALV", "NYC", "حلب", "Алеппо", "mwh hsn", "x", "A", "12"] {
            assert!(!keep_alternate(drop), "{drop}");
        }
    }

    #[test]
    fn a_geonames_dump_line_is_read() {
        let line = "170063\tAleppo\tAleppo\tALP,Alep,Halab,حلب\t36.20124\t37.16117\tP\tPPLA\tSY\t\t09\t\t\t\t1602264\t\t390\tAsia/Damascus\t2019-01-01\n";
        let places = read_geonames_dump(line.as_bytes(), "SY.txt").unwrap();
        assert_eq!(places.len(), 1);
        assert_eq!(places[0].kind, PlaceKind::City);
        assert_eq!(
            places[0].alternate_names,
            vec!["Alep".to_string(), "Halab".to_string()]
        );
        assert_eq!(places[0].admin1.as_deref(), Some("09"));
        let err = read_geonames_dump("1\tx\n".as_bytes(), "SY.txt")
            .unwrap_err()
            .to_string();
        assert!(err.contains("SY.txt line 1"), "{err}");
    }
}
