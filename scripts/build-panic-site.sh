#!/usr/bin/env bash
# Builds target/panic-site/: the site of www/ with an engine that can be made to panic (the
# `panic-test` feature), for the end-to-end test of the page recovering from a panic. Its own
# target directory keeps the normal build untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO_TARGET_DIR=target/panic-test cargo build --quiet --profile web --lib --target wasm32-unknown-unknown --features panic-test
rm -rf target/panic-site
mkdir -p target/panic-site
cp -R www/. target/panic-site/
rm -rf target/panic-site/pkg
wasm-bindgen --target web --no-typescript --out-dir target/panic-site/pkg \
  target/panic-test/wasm32-unknown-unknown/web/loginstorm.wasm
