# The two commands a newcomer needs: `make serve` and `make test`.
PORT ?= 8000
WASM_RUNNER := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner

.PHONY: setup build serve test lint test-native test-js test-wasm test-e2e dist bench bench-page lighthouse

setup:
	@scripts/setup.sh

build: setup
	@scripts/build-web.sh

## Install what is missing, build, and serve the site on http://localhost:$(PORT)
serve: build
	@PORT=$(PORT) scripts/serve.sh www

## Every check: format, lints (Rust native and wasm32, JS), native tests, the page's modules
## without a browser, browser tests, end-to-end tests
test: build lint test-native test-js test-wasm test-e2e

lint:
	cargo fmt --check
	cargo clippy --quiet --all-targets -- -D warnings
	cargo clippy --quiet --all-targets --features browser-tests,explore --target wasm32-unknown-unknown -- -D warnings
	node_modules/.bin/eslint .

test-native:
	cargo test --quiet

test-js:
	node --test tests/js/

test-wasm:
	$(WASM_RUNNER) cargo test --target wasm32-unknown-unknown --features browser-tests --test web

test-e2e:
	scripts/build-panic-site.sh
	node --test tests/e2e/

## A deployable static site in dist/
dist: build
	@scripts/dist.sh

## Engine benchmarks natively, wasm against native over the same minutes, a two-week soak at 1M
bench: dist
	cargo bench --bench engine
	cargo build --quiet --release --example speed
	node scripts/bench-wasm.mjs --dist
	target/release/examples/speed soak 1000000

## Frame times of the page's own calls in headless Chromium, as JSON lines
bench-page: dist
	node scripts/bench-page.mjs

## Lighthouse's performance audit of dist/ (three mobile runs and one desktop), as JSON lines
lighthouse: dist
	node scripts/lighthouse.mjs 3
