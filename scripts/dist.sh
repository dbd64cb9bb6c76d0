#!/usr/bin/env bash
# Builds the deployable static site in dist/ from www/ (run scripts/build-web.sh first).
set -euo pipefail
cd "$(dirname "$0")/.."

wasm=www/pkg/loginstorm_bg.wasm
if [[ ! -f $wasm ]]; then
  echo "dist.sh: $wasm is missing; build it first with scripts/build-web.sh (or make build)" >&2
  exit 1
fi

rm -rf dist
cp -R www dist

# npm's binaryen, not Debian's /usr/bin/wasm-opt (which fails on this toolchain's wasm).
if [[ -d node_modules/binaryen ]]; then
  node_modules/.bin/wasm-opt -O3 --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals dist/pkg/loginstorm_bg.wasm -o dist/pkg/loginstorm_bg.opt.wasm
  mv dist/pkg/loginstorm_bg.opt.wasm dist/pkg/loginstorm_bg.wasm
else
  echo "dist.sh: node_modules/binaryen not installed (npm install); wasm left unoptimised" >&2
fi

# Bundled and minified by esbuild from npm: the page's and the worker's module graphs become one
# file each (the charts stay a chunk loaded when wanted), so a first visit does not wait on a
# chain of imports. The entry files keep their paths: engine.js finds the worker, and app.js
# the wasm, relative to themselves. The modules' own copies are then unused and removed.
if [[ -x node_modules/.bin/esbuild ]]; then
  rm -rf dist/js dist/pkg/*.js dist/vendor/*.js
  node_modules/.bin/esbuild www/js/app.js www/js/sim-worker.js www/js/bench.js --bundle --splitting \
    --format=esm --minify --outdir=dist/js --chunk-names='chunk-[hash]' --log-level=warning
  node_modules/.bin/esbuild dist/*.css --minify --outdir=dist --allow-overwrite --log-level=warning
  # The pages preloaded the glue module, which the bundles now carry: preload instead the chunks
  # app.js imports, so they load beside it, not after it.
  links=$(grep -o 'from"./chunk-[A-Za-z0-9]*\.js"' dist/js/app.js | sed 's|from"./\(.*\)"|  <link rel="modulepreload" href="js/\1">|' | sort -u || true)
  for page in dist/index.html dist/embed.html; do
    awk -v links="$links" '/rel="modulepreload"/ { if (links != "") print links; next } { print }' "$page" > "$page.new"
    mv "$page.new" "$page"
  done
else
  echo "dist.sh: node_modules/esbuild not installed (npm install); scripts left as they are" >&2
fi

files=0 bytes=0 gz=0
while IFS= read -r -d '' f; do
  files=$((files + 1))
  bytes=$((bytes + $(stat -c %s "$f")))
  gz=$((gz + $(gzip -c "$f" | wc -c)))
done < <(find dist -type f -print0)
echo "dist/: $files files, $bytes bytes ($((bytes / 1024)) KiB), gzipped $gz bytes ($((gz / 1024)) KiB); wasm $(stat -c %s dist/pkg/loginstorm_bg.wasm) bytes"
