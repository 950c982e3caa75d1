"""Identifiers for things people create (codings, memos, suggestions): sortable and unique.

A ULID (Crockford base-32 of a 48-bit millisecond time and 80 random bits) sorts by creation
time and needs no coordination, so two coders' kernels never hand out the same id.
"""

from __future__ import annotations

import secrets
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_id(prefix: str) -> str:
    """A new ULID with a readable prefix, e.g. ``coding-01JD5X4M8Q3V6W2R9T0B7N1K4C``."""
    value = (time.time_ns() // 1_000_000) << 80 | secrets.randbits(80)
    chars = []
    for _ in range(26):
        value, digit = divmod(value, 32)
        chars.append(_ALPHABET[digit])
    return f"{prefix}-{''.join(reversed(chars))}"
