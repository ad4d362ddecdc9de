"""Report sentences kept parsed between syncs, by their text.

Reading the 参加報告 sentences is most of a validation's cost once the sheet is read
(about 3 ms a sentence), and a sync after one edit finds all the others as they were.
What a sentence says depends only on its text, the home prefecture and the code that
reads it (the grammar, its data tables and the municipality register), so the parses
are kept in the cache folder, one file per home prefecture, under a stamp of exactly
those: a changed module, data table or ``japancode`` release reads every sentence
again. Only the sentences of the last sync are kept.

The file is a pickle: the parses are the grammar's own frozen values, and the cache
folder is the tool's own, beside the state store (whoever can write there can write
the state store too). A file that cannot be read back, or holds anything but parses,
is a miss like any other.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

from ..cache import keep_file
from ..publish.fingerprint import code_stamp
from ..report.records import ParsedReport

#: The kept parses' file names: ``sentences-<home>.pickle``.
_PREFIX = "sentences-"


def parses_of(
    texts: Iterable[str], home: str | None, kept: Mapping[str, ParsedReport]
) -> dict[str, ParsedReport]:
    """Each non-blank sentence of ``texts`` parsed in ``home``: ``kept``'s parse where it
    has one (:func:`read_parses`), else the grammar's."""
    from ..report.sentence import parse_report

    out: dict[str, ParsedReport] = {}
    for text in texts:
        if text.strip() and text not in out:
            found = kept.get(text)
            out[text] = found if found is not None else parse_report(text, home)
    return out


def read_parses(cache_dir: Path, home: str | None) -> dict[str, ParsedReport]:
    """The parses kept in ``cache_dir`` for ``home`` by the same code (none otherwise)."""
    try:
        stamp, parses = pickle.loads(_path(cache_dir, home).read_bytes())
    except Exception:  # a file missing or damaged is only a miss
        return {}
    if stamp != _stamp(home) or not isinstance(parses, dict):
        return {}
    if not all(isinstance(k, str) and type(v) is ParsedReport for k, v in parses.items()):
        return {}
    return parses


def write_parses(
    cache_dir: Path, home: str | None, parses: Mapping[str, ParsedReport],
    kept: Mapping[str, ParsedReport],
) -> None:
    """Keep ``parses`` (this sync's) in ``cache_dir`` in place of ``kept`` (what was read),
    unless they are the same sentences."""
    if parses.keys() == kept.keys():
        return
    path = _path(cache_dir, home)
    data = pickle.dumps((_stamp(home), dict(parses)), protocol=pickle.HIGHEST_PROTOCOL)
    keep_file(path, data)


def _path(cache_dir: Path, home: str | None) -> Path:
    return cache_dir / f"{_PREFIX}{home or 'none'}.pickle"


def _stamp(home: str | None) -> str:
    """What a parse depends on besides its text: the package's code and data, the
    municipality register's release, the pickle's Python, and the home prefecture."""
    try:
        register = metadata.version("japancode")
    except metadata.PackageNotFoundError:
        register = "none"
    return "\n".join([code_stamp(), f"japancode={register}",
                      f"python={sys.version_info[:2]}", f"home={home}"])
