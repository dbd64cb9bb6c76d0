#!/usr/bin/env bash
# Builds the release wasm and its JS glue into www/pkg (an ES module, no bundler).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release --lib --target wasm32-unknown-unknown
wasm-bindgen --target web --no-typescript --out-dir www/pkg \
  target/wasm32-unknown-unknown/release/loginstorm.wasm
