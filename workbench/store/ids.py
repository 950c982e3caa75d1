"""Identifiers for things people create (codings, memos, suggestions): sortable and unique.

Each id is a ULID-like string: Crockford base-32 of a 48-bit millisecond time followed by 80
random bits. Ids sort by creation time and need no coordination, so two coders' kernels never
hand out the same one.
"""

from __future__ import annotations

import base64
import os
import time

# RFC 4648 base-32 digits, re-lettered in Crockford's alphabet so that text order is value order.
_CROCKFORD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
                           "0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def new_ids(prefix: str, n: int) -> list[str]:
    """``n`` new ids with a readable prefix, e.g. ``coding-01JD5X4M8Q3V6W2R9T0B7N1K4C``.

    Within one call the random part counts up from a random start (as monotonic ULIDs do), so
    a batch's ids are in order: stored in one go, they extend the index instead of scattering.
    """
    stamp = (time.time_ns() // 1_000_000).to_bytes(6, "big")
    first = int.from_bytes(os.urandom(10), "big") % (2**80 - n)
    return [
        f"{prefix}-" + base64.b32encode(stamp + (first + i).to_bytes(10, "big")).decode()[:26]
        .translate(_CROCKFORD)
        for i in range(n)
    ]


def new_id(prefix: str) -> str:
    """One new id (see :func:`new_ids`)."""
    return new_ids(prefix, 1)[0]
