#!/usr/bin/env bash
# Rebuilds the default gazetteer shipped inside truce (crates/truce-geo/data/gazetteer.tsv.gz)
# from the GeoNames and UCDP source files in ../shared/data and the project's own lexicon files
# in crates/truce-geo/data, with the places' names in Arabic script beside it
# (native_names.tsv.gz). Run it after editing those files; commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-../shared/data}"
cargo run --release -q -p truce-cli -- gazetteer build --from "$DATA" --project crates/truce-geo/data --out crates/truce-geo/data/gazetteer.tsv.gz
