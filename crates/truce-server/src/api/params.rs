//! Query parameters as every route reads them: a day, a `0`/`1` switch, and a page size.

use chrono::NaiveDate;

use truce_app::map::View;

use crate::error::ApiError;

/// An optional `YYYY-MM-DD` parameter (empty is none); `what` names it in the error.
pub fn day(s: &Option<String>, what: &str) -> Result<Option<NaiveDate>, ApiError> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                ApiError::bad_request(format!("{what}: {d:?} is not a date (YYYY-MM-DD)"))
            }),
    }
}

/// [`day`] as the store's queries take it (`YYYY-MM-DD` text).
pub fn day_text(s: &Option<String>, what: &str) -> Result<Option<String>, ApiError> {
    Ok(day(s, what)?.map(|d| d.to_string()))
}

/// A `0`/`1` switch; anything else is refused rather than read as off.
pub fn switch(value: Option<u8>, name: &str) -> Result<bool, ApiError> {
    match value {
        None | Some(0) => Ok(false),
        Some(1) => Ok(true),
        Some(v) => Err(ApiError::bad_request(format!("{name}: {v} is not 0 or 1"))),
    }
}

/// A page size: `default` when absent; one outside 1 to `max` is refused (never read as
/// something else).
pub fn limit(value: Option<u32>, default: u32, max: u32) -> Result<u32, ApiError> {
    count(value, default, 1, max, "limit")
}

/// A count asked for in parameter `name`: `default` when absent; one outside `min` to `max` is
/// refused (never read as something else).
pub fn count(
    value: Option<u32>,
    default: u32,
    min: u32,
    max: u32,
    name: &str,
) -> Result<u32, ApiError> {
    match value {
        None => Ok(default),
        Some(n) if (min..=max).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::bad_request(format!(
            "{name}: {n} is not between {min} and {max}"
        ))),
    }
}

/// A box of the map, `bbox=south,north,west,east` in degrees, as every route of the API reads
/// it: four numbers, south not above north; a box reaching past the poles or the antimeridian
/// is read as reaching them. A box across the antimeridian has its west greater than its east
/// (only the routes that say so accept one).
pub fn view(bbox: Option<&str>) -> Result<View, ApiError> {
    let bbox = bbox
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .ok_or_else(|| ApiError::bad_request("bbox: name the box as south,north,west,east"))?;
    let numbers: Vec<f64> = bbox
        .split(',')
        .map(|p| p.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect::<Option<_>>()
        .filter(|n: &Vec<f64>| n.len() == 4)
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "bbox: {bbox:?} is not four numbers south,north,west,east"
            ))
        })?;
    let lat = |v: f64| v.clamp(-90.0, 90.0);
    let lon = |v: f64| v.clamp(-180.0, 180.0);
    let (south, north) = (lat(numbers[0]), lat(numbers[1]));
    if south > north {
        return Err(ApiError::bad_request(format!(
            "bbox: {bbox:?} has its south above its north (south,north,west,east)"
        )));
    }
    Ok(View {
        west: lon(numbers[2]),
        south,
        east: lon(numbers[3]),
        north,
    })
}
