//! The dashboard's static files, embedded in the binary: nothing is fetched from anywhere at run
//! time.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
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

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("png") => "image/png",
        _ => "text/plain; charset=utf-8",
    }
}

/// `GET /assets/{*path}`.
pub async fn asset(Path(path): Path<String>) -> Response {
    match FILES.iter().find(|(p, _)| *p == path) {
        Some((p, bytes)) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(content_type(p)),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=3600"),
                ),
            ],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}
