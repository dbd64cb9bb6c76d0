#!/usr/bin/env bash
# Builds the release wasm and its JS glue into www/pkg (an ES module, no bundler), and copies the
# chart library from node_modules into www/vendor so the site serves everything itself.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --profile web --lib --target wasm32-unknown-unknown
wasm-bindgen --target web --no-typescript --out-dir www/pkg \
  target/wasm32-unknown-unknown/web/loginstorm.wasm
# The exploring engine for the background workers (switch table, stability map), in a target
# directory of its own so the two builds do not undo each other's features.
CARGO_TARGET_DIR=target/explore cargo build --quiet --profile web --lib --target wasm32-unknown-unknown --features explore
wasm-bindgen --target web --no-typescript --out-dir www/pkg-explore \
  target/explore/wasm32-unknown-unknown/web/loginstorm.wasm
mkdir -p www/vendor
cp -u node_modules/uplot/dist/uPlot.esm.js node_modules/uplot/dist/uPlot.min.css www/vendor/
