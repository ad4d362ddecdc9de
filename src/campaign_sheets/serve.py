"""Serving the output tree over HTTP, the way calendar clients need it.

``text/calendar; charset=utf-8`` for feeds, a strong ETag (a hash of the bytes)
and Last-Modified on every file, 304 answers to If-None-Match and
If-Modified-Since, and HEAD. There is never a directory listing (a folder is
served through its ``index.html`` or not at all, so ``members/`` cannot be
browsed for tokens), and no path can leave the tree: ``..`` (also percent-encoded),
hidden names and symbolic links that point outside are all 404.

The tree is resolved again on every request, so an atomic publish (which swaps
the ``out`` link) is picked up at once without restarting.
"""

from __future__ import annotations

import hashlib
import threading
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

CONTENT_TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}
DEFAULT_TYPE = "application/octet-stream"

_ETAGS: dict[tuple[str, int, int, int], str] = {}
_ETAG_LOCK = threading.Lock()


def content_type(path: Path) -> str:
    """The Content-Type of a file by its extension."""
    return CONTENT_TYPES.get(path.suffix.lower(), DEFAULT_TYPE)


def resolve_request(out: Path, raw_path: str) -> Path | None:
    """The file a request path names inside ``out``, or ``None`` (→ 404).

    Directories answer with their ``index.html`` only.
    """
    path = unquote(urlsplit(raw_path).path, errors="strict")
    if "\x00" in path or "\\" in path or not path.startswith("/"):
        return None
    parts = [p for p in path.split("/") if p]
    if any(p.startswith(".") for p in parts):
        return None  # "..", ".", and hidden names (the generations folder)
    root = out.resolve()
    candidate = root.joinpath(*parts)
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if resolved != root and root not in resolved.parents:
        return None  # a symbolic link that leads out of the tree
    if resolved.is_dir():
        index = resolved / "index.html"
        return index if index.is_file() and not index.is_symlink() else None
    return resolved if resolved.is_file() else None


def etag_of(path: Path, data: bytes) -> str:
    """A strong ETag: the hash of the bytes (cached by inode, size and mtime)."""
    stat = path.stat()
    key = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns)
    with _ETAG_LOCK:
        tag = _ETAGS.get(key)
    if tag is None:
        tag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        with _ETAG_LOCK:
            if len(_ETAGS) > 50_000:
                _ETAGS.clear()
            _ETAGS[key] = tag
    return tag


class TreeHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the output tree in ``server.out``."""

    server: TreeServer
    server_version = "campaign-sheets"

    def version_string(self) -> str:
        """The Server header: no Python version to fingerprint."""
        return self.server_version

    def do_GET(self) -> None:
        """Send the file with its headers."""
        self._answer(body=True)

    def do_HEAD(self) -> None:
        """Send the headers GET would send."""
        self._answer(body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Log to stderr unless the server is quiet."""
        if not self.server.quiet:
            super().log_message(format, *args)

    def _answer(self, body: bool) -> None:
        try:
            target = resolve_request(self.server.out, self.path)
        except UnicodeDecodeError:
            target = None
        if target is None:
            self._not_found(body)
            return
        url_path = urlsplit(self.path).path
        if target.name == "index.html" and not url_path.endswith(("/", "index.html")):
            # a folder named without the slash: the relative links of its page need it
            self._redirect(url_path + "/", body)
            return
        data = target.read_bytes()
        tag = etag_of(target, data)
        mtime = int(target.stat().st_mtime)
        headers = {
            "ETag": tag,
            "Last-Modified": formatdate(mtime, usegmt=True),
            "Cache-Control": "no-cache",
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
        }
        if self._not_modified(tag, mtime):
            self._send(HTTPStatus.NOT_MODIFIED, headers, b"", body=False)
            return
        headers["Content-Type"] = content_type(target)
        self._send(HTTPStatus.OK, headers, data, body)

    def _not_modified(self, tag: str, mtime: int) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)
            tags = {t.strip().removeprefix("W/") for t in match.split(",")}
            return "*" in tags or tag in tags
        since = self.headers.get("If-Modified-Since")
        if since is None:
            return False
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        return when.tzinfo is not None and mtime <= when.timestamp()

    def _not_found(self, body: bool) -> None:
        self._send(HTTPStatus.NOT_FOUND, {"Content-Type": "text/plain; charset=utf-8"},
                   b"404 Not Found\n", body)

    def _redirect(self, location: str, body: bool) -> None:
        self._send(HTTPStatus.MOVED_PERMANENTLY, {"Location": location}, b"", body)

    def _send(self, status: HTTPStatus, headers: dict[str, str], data: bytes, body: bool) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status is not HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body and data:
            self.wfile.write(data)


class TreeServer(ThreadingHTTPServer):
    """A threading HTTP server over one output tree."""

    daemon_threads = True

    def __init__(self, out: Path, host: str, port: int, *, quiet: bool = False) -> None:
        self.out = out.absolute()
        self.quiet = quiet
        super().__init__((host, port), TreeHandler)

    @property
    def url(self) -> str:
        """``http://host:port/`` of the running server."""
        host, port = self.server_address[:2]
        shown = f"[{host!s}]" if ":" in str(host) else str(host)
        return f"http://{shown}:{port}/"


def start_server(out: Path, host: str = "127.0.0.1", port: int = 0) -> tuple[TreeServer, str]:
    """Serve ``out`` from a background thread (for tests); stop with ``server.shutdown()``."""
    server = TreeServer(out, host, port, quiet=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    return server, server.url
