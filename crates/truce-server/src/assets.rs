//! The dashboard's static files, embedded in the binary: nothing is fetched from anywhere at run
//! time.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

macro_rules! embed {
    ($($path:literal),* ; $($other:literal => $bytes:expr),* $(,)?) => {
        /// Every embedded file: its path under `/assets/` and its bytes.
        pub const FILES: &[(&str, &[u8])] = &[
            $( ($path, include_bytes!(concat!("../assets/", $path))), )*
            $( ($other, $bytes), )*
        ];
    };
}

embed!(
    "app/style.css",
    "app/dashboard.js",
    "app/incident.js",
    "app/common.js",
    "app/sources.js",
    "vendor/leaflet.js",
    "vendor/leaflet.css",
    "vendor/leaflet.markercluster.js",
    "vendor/MarkerCluster.css",
    "vendor/MarkerCluster.Default.css",
    "vendor/topojson-client.min.js",
    "vendor/uPlot.iife.min.js",
    "vendor/uPlot.min.css",
    "vendor/images/layers.png",
    "vendor/images/layers-2x.png",
    "vendor/images/marker-icon.png",
    "vendor/images/marker-icon-2x.png",
    "vendor/images/marker-shadow.png",
    "vendor/README.txt";
    // The borders the reports draw too, kept once, by the crate that draws them.
    "vendor/countries-50m.json" => truce_report::borders::COUNTRIES_TOPOJSON,
);

/// A file kept gzipped: its path under `/assets/`, its gzipped bytes, and its bytes unzipped
/// for a client that does not take gzip.
type Gzipped = (&'static str, &'static [u8], fn() -> &'static [u8]);

/// The files kept gzipped.
const GZIPPED: &[Gzipped] = &[(
    "vendor/basemap-50m.json",
    truce_report::borders::BASEMAP_TOPOJSON_GZ,
    truce_report::borders::basemap_topojson,
)];

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("png") => "image/png",
        _ => "text/plain; charset=utf-8",
    }
}

/// Whether a request's `Accept-Encoding` takes gzip (named, or `*`, with a weight above 0).
fn takes_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    == Some(0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// `GET /assets/{*path}`: a file as embedded, or one kept gzipped as it is to a client that
/// takes gzip and unzipped to one that does not.
pub async fn asset(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let kept_gzipped = GZIPPED.iter().find(|(p, _, _)| *p == path);
    let (bytes, gzip) = match kept_gzipped {
        Some((_, gz, _)) if takes_gzip(&headers) => (*gz, true),
        Some((_, _, plain)) => (plain(), false),
        None => match FILES.iter().find(|(p, _)| *p == path) {
            Some((_, bytes)) => (*bytes, false),
            None => return (StatusCode::NOT_FOUND, "no such asset").into_response(),
        },
    };
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&path)),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    if kept_gzipped.is_some() {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if gzip {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        h
    }

    #[test]
    fn gzip_is_sent_only_to_a_client_that_takes_it() {
        assert!(takes_gzip(&with("gzip, deflate, br")));
        assert!(takes_gzip(&with("br;q=1.0, GZIP;q=0.5")));
        assert!(takes_gzip(&with("*")));
        assert!(!takes_gzip(&with("gzip;q=0")));
        assert!(!takes_gzip(&with("identity")));
        assert!(!takes_gzip(&with("")));
        assert!(!takes_gzip(&HeaderMap::new()));
    }

    #[tokio::test]
    async fn the_base_map_is_sent_gzipped_or_plain() {
        let path = || Path("vendor/basemap-50m.json".to_string());
        let body = |r: Response| axum::body::to_bytes(r.into_body(), usize::MAX);
        let gz = asset(path(), with("gzip, br")).await;
        assert_eq!(gz.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(gz.headers()[header::VARY], "accept-encoding");
        assert!(body(gz).await.unwrap().starts_with(&[0x1f, 0x8b]));
        let plain = asset(path(), HeaderMap::new()).await;
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        let topo: serde_json::Value = serde_json::from_slice(&body(plain).await.unwrap()).unwrap();
        assert_eq!(topo["type"], "Topology");
        assert!(topo["objects"]["provinces"]["geometries"].is_array());
        let missing = asset(Path("vendor/none.json".into()), with("gzip")).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    }
}
