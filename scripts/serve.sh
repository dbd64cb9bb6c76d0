#!/usr/bin/env bash
# Serves a folder of static files on localhost and prints the URL.
set -euo pipefail
dir=${1:-www}
port=${PORT:-8000}
echo "loginstorm is served at http://localhost:$port/  (Ctrl-C stops it)"
exec python3 -m http.server --bind 127.0.0.1 --directory "$dir" "$port"
