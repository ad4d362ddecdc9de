"""Writing a workbook so that nobody ever sees half of it: the bytes go to a temporary
file in the same folder, reach the disk, and only then take the file's place."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def synced_temp_file(
    folder: Path, write: Callable[[BinaryIO], object], mode: int, suffix: str = ".xlsx"
) -> Iterator[Path]:
    """A hidden temporary file in ``folder`` holding what ``write`` wrote, on disk, with
    permissions ``mode``; it is removed on leaving the block unless it was moved away.

    The file is in the same folder as its destination so that ``os.replace`` (or a hard
    link) of it is a single atomic step on one file system.
    """
    fd, temp_name = tempfile.mkstemp(prefix=".~", suffix=suffix, dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        yield temp
    finally:
        temp.unlink(missing_ok=True)
