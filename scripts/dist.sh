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
  for pkg in dist/pkg dist/pkg-explore; do
    node_modules/.bin/wasm-opt -O3 --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals $pkg/loginstorm_bg.wasm -o $pkg/loginstorm_bg.opt.wasm
    mv $pkg/loginstorm_bg.opt.wasm $pkg/loginstorm_bg.wasm
  done
else
  echo "dist.sh: node_modules/binaryen not installed (npm install); wasm left unoptimised" >&2
fi

# Bundled and minified by esbuild from npm: the page's and the worker's module graphs become one
# file each (the charts stay a chunk loaded when wanted), so a first visit does not wait on a
# chain of imports. The entry files keep their paths: boot.js finds app.js and the wasm, and
# engine.js the worker, relative to themselves. The modules' own copies are removed.
if [[ -x node_modules/.bin/esbuild ]]; then
  rm -rf dist/js dist/pkg/*.js dist/pkg-explore/*.js dist/vendor/*.js
  node_modules/.bin/esbuild www/js/app.js www/js/sim-worker.js www/js/background-worker.js www/js/bench.js www/js/article.js --bundle --splitting \
    --format=esm --minify --outdir=dist/js --chunk-names='chunk-[hash]' --log-level=warning
  # boot.js on its own, told the chunks app.js imports so it fetches them beside app.js.
  chunks=$(grep -o 'from"./chunk-[A-Za-z0-9]*\.js"' dist/js/app.js | sed 's|from"\(.*\)"|"\1"|' | sort -u | paste -sd, -)
  node_modules/.bin/esbuild www/js/boot.js --bundle --format=esm --minify --external:./app.js \
    "--define:globalThis.loginstormChunks=[$chunks]" --outdir=dist/js --log-level=warning
  node_modules/.bin/esbuild dist/*.css --minify --outdir=dist --allow-overwrite --log-level=warning
  # The custom element stays one file at the site's root, where articles load it from.
  node_modules/.bin/esbuild www/loginstorm.js --minify --format=esm --outfile=dist/loginstorm.js --allow-overwrite --log-level=warning
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
