"""A progress line on stderr (``Checked 120/800 files``) for long runs at a terminal; silent when
stderr is a file or a pipe (CI logs, editors, pre-commit), or for a few files."""

from __future__ import annotations

import sys
import time
from typing import Optional, TextIO

MIN_FILES = 50  # fewer files than this finish before a progress line would help
INTERVAL = 0.1  # seconds between redraws


class Progress:
    def __init__(self, total: int, stream: Optional[TextIO] = None, min_files: int = MIN_FILES):
        self.stream = stream if stream is not None else sys.stderr
        self.total = total
        self.done = 0
        self.enabled = total >= min_files and _is_terminal(self.stream)
        self._last = 0.0

    def advance(self, path: str = "") -> None:
        self.done += 1
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < INTERVAL and self.done < self.total:
            return
        self._last = now
        self.stream.write(f"\r\x1b[KChecked {self.done}/{self.total} files")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
