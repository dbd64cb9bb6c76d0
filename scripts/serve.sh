#!/usr/bin/env bash
# Serves a folder of static files on localhost and prints the URL; scripts/serve.py adds the
# headers of the folder's _headers file (www/_headers).
set -euo pipefail
dir=${1:-www}
port=${PORT:-8000}
echo "loginstorm is served at http://localhost:$port/  (Ctrl-C stops it)"
exec python3 "$(dirname "$0")/serve.py" --bind 127.0.0.1 --directory "$dir" "$port"
