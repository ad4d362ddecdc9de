"""A small Google Sheets API v4 emulator on 127.0.0.1, for tests.

It speaks the same JSON as the real API for what campaign-sheets uses: the OAuth
token endpoint, ``spreadsheets.get`` (with field masks), ``values:batchGet``,
``values:batchUpdate`` (RAW or USER_ENTERED), ``values:batchClear`` and
``spreadsheets:batchUpdate`` (addSheet, setDataValidation, addProtectedRange,
updateSheetProperties), with the real API's value shapes (ragged rows, trailing
blanks dropped, ``[]`` for an empty row inside data, no ``values`` key for an empty
range, dates as serial numbers) and its error bodies. Faults can be queued, and
every request is logged so tests can count them.

:func:`emulated_client` builds a real ``gspread.Client`` with real google-auth
service-account credentials whose traffic goes to the emulator.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import socketserver
import ssl
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, unquote, urlsplit

from requests.adapters import HTTPAdapter

from sheets_emulator_api import (
    ApiError,
    CellError,
    Formula,
    Sheet,
    Spreadsheet,
    apply_mask,
    batch_update,
    get_spreadsheet,
    parse_mask,
    serial,
    shape,
    values_ops,
)

__all__ = [
    "CellError", "Formula", "SheetsEmulator", "Spreadsheet", "emulated_client", "running", "serial",
    "service_account_info",
]


@dataclass(frozen=True)
class Fault:
    """An answer to give instead of the real one (``status`` None: only ``delay``)."""

    status: int | None = None
    message: str = "injected fault"
    status_text: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Logged:
    """One request the emulator answered: ``kind`` names the API method."""

    kind: str
    method: str
    path: str
    params: Mapping[str, list[str]]
    body: Any
    status: int


class SheetsEmulator:
    """The emulator: start it, add spreadsheets, point a client at :attr:`base_url`."""

    def __init__(self) -> None:
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.log: list[Logged] = []
        self.faults: list[Fault] = []
        self.always: Fault | None = None
        self.tokens: set[str] = set()
        self.token_emails: list[str] = []
        #: An OAuth error code (``invalid_grant`` …) the token endpoint answers with.
        self.token_error: str | None = None
        self._lock = threading.RLock()
        self._ids = itertools.count(1000)
        self._server: ThreadingHTTPServer | None = None
        #: Set by :meth:`serve_https_proxy`: CONNECT tunnels are answered, not refused.
        self.tls: ssl.SSLContext | None = None

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> SheetsEmulator:
        """Listen on a free port of 127.0.0.1 in a daemon thread."""
        emulator = self

        class Handler(_Handler):
            owner = emulator

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def serve_https_proxy(self, folder: Path) -> Path:
        """Answer HTTPS through the emulator as a proxy (``HTTPS_PROXY``): a CONNECT to
        any Google host is accepted and the tunnel served with a certificate signed by
        a certificate authority made for this run. Returns that authority's PEM file,
        for ``REQUESTS_CA_BUNDLE``; unchanged production code then reaches the emulator.
        """
        ca_pem, cert_pem, key_pem = _tls_files()
        paths = {name: folder / name for name in ("ca.pem", "host.pem", "host-key.pem")}
        for (_name, path), text in zip(paths.items(), (ca_pem, cert_pem, key_pem), strict=True):
            path.write_text(text, encoding="ascii")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(paths["host.pem"], paths["host-key.pem"])
        self.tls = context
        return paths["ca.pem"]

    # -- test set-up and inspection ----------------------------------------------

    def add_spreadsheet(
        self, key: str, tabs: Mapping[str, Sequence[Sequence[Any]]], **flags: bool
    ) -> Spreadsheet:
        """A spreadsheet with ``tabs`` (title → rows; ``None`` or ``""`` cells are empty)."""
        book = Spreadsheet(key, **flags)
        for title, rows in tabs.items():
            sheet = Sheet(next(self._ids), title)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if value is not None and value != "":
                        sheet.put(r, c, value)
            book.sheets.append(sheet)
        self.spreadsheets[key] = book
        return book

    def fail_next(self, status: int | None, *, count: int = 1, **kwargs: Any) -> None:
        """Answer the next ``count`` API requests with ``status`` (see :class:`Fault`)."""
        with self._lock:
            self.faults.extend([Fault(status, **kwargs)] * count)

    def requests(self, *kinds: str) -> list[Logged]:
        """Logged Sheets API requests (not token or IAM ones), of ``kinds`` if given."""
        api = [r for r in self.log if r.kind not in ("token", "iam", "connect")]
        return [r for r in api if not kinds or r.kind in kinds]

    def values(self, key: str, title: str) -> list[list[Any]]:
        """A tab's cells as the API would return them unformatted (formulas as Formula)."""
        sheet = self.spreadsheets[key].sheet(title)
        assert sheet is not None, title
        return shape([[v for v in row] for row in sheet.rows])

    # -- request handling ----------------------------------------------------------

    def handle(self, method: str, url: str, headers: Mapping[str, str], body: bytes) -> tuple[
        int, dict[str, str], Any
    ]:
        """Answer one request: ``(status, headers, JSON body)``."""
        parts = urlsplit(url)
        params = parse_qs(parts.query)
        path = unquote(parts.path)
        payload: Any = None
        if path == "/token" and self.token_error:
            self._record("token", method, path, params, None, 400)
            answer = {"error": self.token_error, "error_description": "Invalid JWT Signature."}
            return 400, {}, answer
        if path == "/token":
            return self._answer("token", method, path, params, body, self._token, body)
        if path.startswith("/v1/projects/"):
            return self._answer("iam", method, path, params, None, _no_boundary)
        if body:
            payload = json.loads(body)
        kind, key = _route(method, path)
        fault = self._take_fault()
        if fault is not None:
            time.sleep(fault.delay)
            if fault.status is not None:
                err = ApiError(fault.status, fault.message, fault.status_text)
                self._record(kind, method, path, params, payload, err.code)
                return err.code, dict(fault.headers), _error_body(err)

        def run() -> Any:
            self._authorize(headers)
            return self._dispatch(kind, self._book(key, kind), params, payload)

        return self._answer(kind, method, path, params, payload, run)

    def _answer(self, kind: str, method: str, path: str, params: Mapping[str, list[str]],
                payload: Any, run: Any, *args: Any) -> tuple[int, dict[str, str], Any]:
        try:
            with self._lock:
                result = run(*args)
        except ApiError as err:
            self._record(kind, method, path, params, payload, err.code)
            return err.code, {}, _error_body(err)
        self._record(kind, method, path, params, payload, 200)
        return 200, {}, result

    def _record(self, kind: str, method: str, path: str, params: Mapping[str, list[str]],
                payload: Any, status: int) -> None:
        with self._lock:
            self.log.append(Logged(kind, method, path, params, payload, status))

    def _take_fault(self) -> Fault | None:
        with self._lock:
            if self.faults:
                return self.faults.pop(0)
            return self.always

    def _token(self, body: bytes) -> dict[str, Any]:
        form = parse_qs(body.decode())
        assertion = form.get("assertion", [""])[0]
        try:
            claims = json.loads(_b64(assertion.split(".")[1]))
        except (IndexError, ValueError) as exc:
            raise ApiError(400, "invalid_grant") from exc
        # The JWT audience stays Google's token URL; only the issuer is kept.
        self.token_emails.append(str(claims.get("iss")))
        token = f"emulated-{len(self.tokens) + 1}"
        self.tokens.add(token)
        return {"access_token": token, "expires_in": 3600, "token_type": "Bearer"}

    def _authorize(self, headers: Mapping[str, str]) -> None:
        auth = headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
            raise ApiError(401, "Request had invalid authentication credentials.")

    def _book(self, key: str, kind: str) -> Spreadsheet:
        book = self.spreadsheets.get(key)
        if book is None:
            raise ApiError(404, "Requested entity was not found.")
        if not book.shared:
            raise ApiError(403, "The caller does not have permission")
        if not book.native:
            raise ApiError(
                400, "This operation is not supported for this document", "FAILED_PRECONDITION"
            )
        return book

    def _dispatch(self, kind: str, book: Spreadsheet, params: Mapping[str, list[str]],
                  payload: Any) -> Any:
        if kind == "get":
            mask = params.get("fields", [""])[0]
            sheets_mask = parse_mask(mask).get("sheets") if mask else None
            grid = isinstance(sheets_mask, dict) and "data" in sheets_mask
            if not mask and params.get("includeGridData", ["false"])[0] == "true":
                grid = True
            body = get_spreadsheet(book, grid=grid)
            return apply_mask(body, mask) if mask else body
        if kind == "batchUpdate":
            replies, new_book = batch_update(book, payload or {}, self._ids)
            self.spreadsheets[book.key] = new_book
            return {"spreadsheetId": book.key, "replies": replies}
        return values_ops(kind, book, params, payload or {})


class _Handler(BaseHTTPRequestHandler):
    owner: SheetsEmulator
    protocol_version = "HTTP/1.1"
    # Small writes of headers and body would otherwise wait on delayed ACKs (~40 ms each).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        # A proxied request carries the whole URL; a direct one only the path.
        url = self.path if self.path.startswith("http") else f"http://local{self.path}"
        status, headers, answer = self.owner.handle(
            self.command, url, {k.lower(): v for k, v in self.headers.items()}, body
        )
        data = json.dumps(answer, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = _serve

    def do_CONNECT(self) -> None:
        """A client using the emulator as an HTTPS proxy: log the target and refuse, or,
        after :meth:`SheetsEmulator.serve_https_proxy`, answer inside the tunnel."""
        tls = self.owner.tls
        self.owner._record("connect", "CONNECT", self.path, {}, None, 403 if tls is None else 200)
        if tls is None:
            self.send_response(403)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        secure = tls.wrap_socket(self.connection, server_side=True)
        self.connection = secure
        self.rfile = secure.makefile("rb", self.rbufsize)
        self.wfile = socketserver._SocketWriter(secure)  # type: ignore[attr-defined]
        self.close_connection = False
        while not self.close_connection:
            self.handle_one_request()


def _route(method: str, path: str) -> tuple[str, str]:
    """``(kind, key)`` of an API path."""
    found = re.fullmatch(r"/v4/spreadsheets/([^/:]+)(?:(/values:|:|/values/)(.*))?", path)
    if not found:
        raise ApiError(404, f"Unknown path {path}")
    key, sep, rest = found.groups()
    if sep is None:
        return "get", key
    if sep == ":" and rest == "batchUpdate":
        return "batchUpdate", key
    if sep == "/values:" and rest in ("batchGet", "batchUpdate", "batchClear"):
        return rest if rest != "batchUpdate" else "values.batchUpdate", key
    return f"unsupported:{method}:{sep}{rest}", key


def _no_boundary() -> dict[str, Any]:
    """google-auth's background region lookup: no restriction."""
    return {"locations": [], "encodedLocations": "0x0"}


def _error_body(err: ApiError) -> dict[str, Any]:
    return {"error": {"code": err.code, "message": err.message, "status": err.status}}


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# -- a real client wired to the emulator ------------------------------------------


@cache
def _private_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@cache
def _tls_files() -> tuple[str, str, str]:
    """PEM texts of a certificate authority, and of a certificate it signed for
    ``*.googleapis.com`` with that certificate's key (made once per test run)."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(text: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    now = dt.datetime.now(dt.UTC)
    ca_key, host_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(
        ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name("Sheets emulator test CA"))
          .issuer_name(name("Sheets emulator test CA")).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                       False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                         critical=False)
          .sign(ca_key, hashes.SHA256()))
    host = (x509.CertificateBuilder().subject_name(name("*.googleapis.com"))
            .issuer_name(ca.subject).public_key(host_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("*.googleapis.com")]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    key_pem = host_key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
    return (ca.public_bytes(pem).decode(), host.public_bytes(pem).decode(), key_pem.decode())


def service_account_info(token_uri: str, email: str = "sync@campaign-test.iam.gserviceaccount.com"
                         ) -> dict[str, str]:
    """A service-account key file's content, with a key made for this test run."""
    return {
        "type": "service_account",
        "project_id": "campaign-test",
        "private_key_id": "test-key",
        "private_key": _private_key_pem(),
        "client_email": email,
        "client_id": "1",
        "token_uri": token_uri,
    }


def emulated_client(emulator: SheetsEmulator, info: Mapping[str, str] | None = None) -> Any:
    """A ``gspread.Client`` with real service-account credentials, talking to ``emulator``."""
    import gspread
    import requests
    from google.auth.transport.requests import AuthorizedSession, Request
    from google.oauth2 import service_account

    info = info or service_account_info(emulator.base_url + "/token")
    creds = service_account.Credentials.from_service_account_info(
        dict(info), scopes=["https://www.googleapis.com/auth/spreadsheets"]
    )
    token_session = requests.Session()
    token_session.trust_env = False
    token_session.mount("https://", RewriteAdapter(emulator.base_url))
    session = AuthorizedSession(creds, auth_request=Request(token_session))
    session.trust_env = False
    session.mount("https://", RewriteAdapter(emulator.base_url))
    return gspread.Client(auth=creds, session=session)


class RewriteAdapter(HTTPAdapter):
    """Sends ``https://<any Google host>/path`` to ``<target>/path``."""

    # google-auth deep-copies the token session for a background lookup; the copy
    # is rebuilt from __attrs__, so the target must be listed to survive.
    __attrs__: ClassVar[list[str]] = [*HTTPAdapter.__attrs__, "target"]

    def __init__(self, target: str, **kwargs: Any) -> None:
        self.target = target
        super().__init__(**kwargs)

    def send(self, request: Any, **kwargs: Any) -> Any:
        """Rewrite the scheme and host, keep path and query."""
        parts = urlsplit(request.url)
        request.url = self.target + parts.path + (f"?{parts.query}" if parts.query else "")
        return super().send(request, **kwargs)


@contextmanager
def running() -> Iterator[SheetsEmulator]:
    """An emulator for the length of a ``with`` block."""
    emulator = SheetsEmulator().start()
    try:
        yield emulator
    finally:
        emulator.stop()


