"""Compare two versions of a codebook: what a changelog entry should say."""

from __future__ import annotations

import pandas as pd

from workbench.codebook.model import Codebook

__all__ = ["diff", "CHANGES"]

CHANGES = ("added", "removed", "renamed", "moved", "redefined")
DEFINING_FIELDS = ("definition", "when_to_use", "when_not_to_use")


def diff(old: Codebook, new: Codebook) -> pd.DataFrame:
    """List how the codes changed from ``old`` to ``new``, matching codes by id.

    A code is *added* or *removed* when its id appears in only one version; *renamed* when its
    name changed; *moved* when its parent changed; *redefined* when its definition,
    ``when_to_use`` or ``when_not_to_use`` changed (one row per field). One code can change in
    several ways at once. Changes to examples, colour, references, patterns and the order of
    codes are not listed.

    Parameters
    ----------
    old, new : Codebook

    Returns
    -------
    pandas.DataFrame
        One row per change, ordered by kind (in the order above) and then by the codes' order
        in the codebook. Columns: ``change`` (ordered categorical of the five kinds), ``id``,
        ``field`` (the field compared: ``name``, ``parent`` or a defining field), ``old`` and
        ``new`` (its value before and after; missing where the code or parent does not exist).

    Examples
    --------
    >>> from workbench.codebook.model import Code
    >>> v1 = Codebook("Demo", 1, codes=(Code("trust", "Trust", definition="Reliance."),))
    >>> v2 = Codebook("Demo", 2, codes=(Code("trust", "Trust in the score",
    ...                                      definition="Reliance."),))
    >>> diff(v1, v2)[["change", "id", "old", "new"]].to_dict("records")
    [{'change': 'renamed', 'id': 'trust', 'old': 'Trust', 'new': 'Trust in the score'}]
    """
    old_codes = {code.id: code for code in old.codes}
    new_codes = {code.id: code for code in new.codes}
    rows = [
        ("removed", code.id, "name", code.name, None)
        for code in old.codes
        if code.id not in new_codes
    ]
    rows += [
        ("added", code.id, "name", None, code.name)
        for code in new.codes
        if code.id not in old_codes
    ]
    for code in new.codes:
        before = old_codes.get(code.id)
        if before is None:
            continue
        if before.name != code.name:
            rows.append(("renamed", code.id, "name", before.name, code.name))
        if before.parent != code.parent:
            rows.append(("moved", code.id, "parent", before.parent, code.parent))
        rows += [
            ("redefined", code.id, field, getattr(before, field), getattr(code, field))
            for field in DEFINING_FIELDS
            if getattr(before, field) != getattr(code, field)
        ]
    frame = pd.DataFrame(rows, columns=["change", "id", "field", "old", "new"], dtype=object)
    frame["change"] = pd.Categorical(frame["change"], categories=CHANGES, ordered=True)
    # A stable sort keeps codebook order within each kind.
    return frame.sort_values("change", kind="stable", ignore_index=True)
