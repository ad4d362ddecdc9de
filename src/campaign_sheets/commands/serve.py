"""``campaign-sheets serve``: serve the output tree with the headers calendar clients need."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.problems import render_message
from ..serve import TreeServer
from .common import add_config_options, config_from_args


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``serve``."""
    parser = sub.add_parser(
        "serve",
        help="serve the output tree (feeds, pages) over HTTP",
        description="Serve the published output tree on this machine to try it before "
        "publishing: calendar feeds as text/calendar, strong ETags, Last-Modified and 304 "
        "answers, no directory listings. Stop it with Ctrl-C.",
    )
    add_config_options(parser)
    parser.add_argument("--out", help="the output tree to serve (default: the configured one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (0: any)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; 2 when there is no tree to serve."""
    config = config_from_args(args)
    # absolute(), not resolve(): ``out`` is a link that each publish swaps to a new
    # generation, and the server must follow it
    out = Path(args.out).absolute() if args.out else Path(config.out)
    if not out.is_dir():
        print(render_message("serve.no_tree", {"out": str(out)}, config.lang), file=sys.stderr)
        return 2
    server = TreeServer(out, args.host, args.port)
    print(render_message("serve.listening", {"url": server.url, "out": str(out)}, config.lang),
          file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        return 0
    finally:
        server.server_close()
    return 0
