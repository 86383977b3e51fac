"""Handing freed memory back to the OS, for the run's main process and for spaCy's parse worker."""

from __future__ import annotations

import ctypes


def malloc_trim() -> None:
    """``malloc_trim(0)``: glibc keeps what a process freed in its arenas and gives back only what
    sits at the top of a heap; this returns the free pages of every arena. Costs a few ms."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim this way
        pass
