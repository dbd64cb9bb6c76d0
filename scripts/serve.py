#!/usr/bin/env python3
"""Serves a folder of static files as `python3 -m http.server` does, with the HTTP headers its
`_headers` file (the Netlify / Cloudflare Pages format, www/_headers) gives each path: the same
headers under `make serve`, the end-to-end tests and a host that reads the file.

Usage: serve.py [--bind ADDRESS] [--directory DIR] [PORT]   (PORT 0: a free port)

Only the standard library. A folder without a `_headers` file is served without extra headers
(a test's other site, an article that embeds ours, must not be given our policy).
"""
import argparse
import contextlib
import functools
import http.server
import os
import re
import socket
import sys
import urllib.parse

# Text is UTF-8 (a script opened as a page shows its quotes and arrows right).
TYPES = {'.wasm': 'application/wasm', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
         '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8'}


def parse_headers(text):
    """The rules of a `_headers` file: [(path regex, [(name, value), ...]), ...], in file order."""
    rules = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith('#'):
            continue
        if not line[0].isspace():
            # `*` matches anything, `:name` one path segment; the rest is literal.
            parts = re.split(r'(\*|:[A-Za-z_]\w*)', line.strip())
            pattern = ''.join('.*' if p == '*' else '[^/]+' if p.startswith(':') else re.escape(p)
                              for p in parts)
            rules.append((re.compile(pattern + r'\Z'), []))
            continue
        name, sep, value = line.strip().partition(':')
        if not rules or not sep or not name.strip():
            raise ValueError(f'_headers line {number}: expected "Name: value" under a path: {line!r}')
        rules[-1][1].append((name.strip(), value.strip()))
    return rules


def headers_for(rules, path):
    """The headers of `path` (decoded, no query): every matching rule's, a name's values joined."""
    merged = {}
    for pattern, headers in rules:
        if pattern.match(path):
            for name, value in headers:
                key = name.lower()
                merged[key] = (name, f'{merged[key][1]}, {value}' if key in merged else value)
    return list(merged.values())


class Handler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler plus the `_headers` rules, wasm's type and CORS preflights."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def __init__(self, *args, rules=(), **kwargs):
        self.rules = rules
        super().__init__(*args, **kwargs)

    def end_headers(self):
        # (A request line too bad to parse is answered with an error before it has a path.)
        path = urllib.parse.unquote(urllib.parse.urlsplit(getattr(self, 'path', '/')).path)
        for name, value in headers_for(self.rules, path):
            self.send_header(name, value)
        super().end_headers()

    def do_OPTIONS(self):
        """A CORS preflight (or a plain OPTIONS): what may be asked of a static file."""
        self.send_response(204)
        self.send_header('Allow', 'GET, HEAD, OPTIONS')
        if self.headers.get('Origin') and self.headers.get('Access-Control-Request-Method'):
            self.send_header('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS')
            asked = self.headers.get('Access-Control-Request-Headers')
            if asked:
                self.send_header('Access-Control-Allow-Headers', asked)
            self.send_header('Access-Control-Max-Age', '86400')
        self.send_header('Content-Length', '0')
        self.end_headers()


class DualStackServer(http.server.ThreadingHTTPServer):
    """As `python3 -m http.server`'s: IPv4 and IPv6 both, when bound to an IPv6 address."""

    def server_bind(self):
        with contextlib.suppress(Exception):
            self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        return super().server_bind()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('-b', '--bind', metavar='ADDRESS', help='bind to this address (default: all interfaces)')
    parser.add_argument('-d', '--directory', default=os.getcwd(), help='serve this directory (default: the current one)')
    parser.add_argument('port', default=8000, type=int, nargs='?', help='bind to this port (default: %(default)s; 0: a free one)')
    args = parser.parse_args()

    rules = []
    source = os.path.join(args.directory, '_headers')
    if os.path.isfile(source):
        with open(source, encoding='utf-8') as f:
            rules = parse_headers(f.read())
    else:
        print(f'serve.py: no {source}: serving without extra headers', file=sys.stderr, flush=True)

    # The "Serving HTTP on ..." line must reach a pipe at once: a test waits on it for the port.
    sys.stdout.reconfigure(line_buffering=True)
    handler = functools.partial(Handler, directory=args.directory, rules=rules)
    http.server.test(HandlerClass=handler, ServerClass=DualStackServer, port=args.port, bind=args.bind)


if __name__ == '__main__':
    main()
