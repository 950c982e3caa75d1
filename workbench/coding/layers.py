"""Layers: whose codings a listing or a count reads, and the coder names kept for layers.

Every coder's codings are a layer, and so is the consensus layer that reconciling writes
(coder ``"consensus"``). A passage two people coded is stored twice, once per layer, so a
count over several layers at once would count it twice. Every function that counts codings
therefore reads through :func:`counting_layer`, one rule for all of them:

- ``coder="ana"`` reads ana's codings; ``coder="consensus"`` the consensus layer;
- ``coder="all"`` (or ``"*"``) reads every layer side by side: each count is per coder;
- ``coder=None`` (the default) reads the consensus layer in the documents it covers and,
  elsewhere, the one coder who coded there; when more than one coder did, it refuses and
  lists them, so a choice is made on purpose.

Each counting table has a ``coder`` column naming the layer each count comes from.
"""

from __future__ import annotations

import sqlite3

from workbench.errors import CodingError

#: The reconciled layer's coder name (written by ``reliability.reconcile`` only).
CONSENSUS = "consensus"
#: ``coder=`` values that read every layer side by side.
ALL_CODERS = ("all", "*")
#: The name under which agreement compares coders with the rule-based suggester.
SUGGESTER = "suggestions"
#: Names that stand for a layer, not for a person, and cannot be a coder's or author's name.
RESERVED = (CONSENSUS, *ALL_CODERS, SUGGESTER)

# Documents whose codings a default read takes from the consensus layer.
_CONSENSUS_DOCS = ("SELECT doc_id FROM codings WHERE coder = 'consensus' "
                   "AND status = 'active'")
_DEFAULT = f"(c.coder = 'consensus' OR c.doc_id NOT IN ({_CONSENSUS_DOCS}))"


def check_person(name: object, *, role: str = "coder", origin: str | None = None) -> None:
    """Refuse a coder or memo author name that is empty or kept for a layer.

    ``"consensus"`` is accepted only with ``origin="consensus"``: that is how
    ``reliability.reconcile`` writes the consensus layer (through ``code_many``).
    """
    if not isinstance(name, str) or not name.strip():
        raise CodingError(15, f"{role} name {name!r} is empty. Give the person's name, "
                          "e.g. coder=\"ana\".")
    if name == CONSENSUS and origin == CONSENSUS:
        return
    if name.strip().lower() in RESERVED:
        raise CodingError(15, f"{role} name {name!r} is reserved for a layer "
                          f"({', '.join(repr(r) for r in RESERVED)}): 'consensus' is the "
                          "reconciled layer that project.reconcile() writes and replaces. "
                          "Choose another name.")
    if origin == CONSENSUS:
        raise CodingError(16, f"origin 'consensus' belongs to the reconciled layer, not to "
                          f"{role} {name!r}. Use origin 'manual' or 'imported'; "
                          "project.reconcile() writes the consensus layer.")


def listing_layer(coder: str | None) -> tuple[str, tuple]:
    """SQL condition on codings ``c`` for a listing (every row names its coder).

    A name reads that coder; ``"all"``/``"*"`` every layer; None the consensus layer where it
    exists and every coder elsewhere. A listing never adds rows up, so None needs no choice.
    """
    if coder in ALL_CODERS:
        return "1", ()
    if coder is not None:
        return "c.coder = ?", (coder,)
    return _DEFAULT, ()


def counting_layer(conn: sqlite3.Connection, coder: str | None) -> tuple[str, tuple]:
    """SQL condition on codings ``c`` for a count, by the rule in this module's docstring.

    Raises CodingError 17 when the default would mix coders, 18 when ``coder`` names nobody
    who has coded.
    """
    if coder in ALL_CODERS:
        return "1", ()
    present = _coders(conn, "1")
    if coder is not None:
        if present and coder not in present:
            raise CodingError(18, f"coder={coder!r} has no codings. Coders with codings: "
                              f"{', '.join(present)}; or coder=\"all\" for every layer "
                              "side by side.")
        return "c.coder = ?", (coder,)
    mixed = [c for c in _coders(conn, _DEFAULT) if c != CONSENSUS]
    if len(mixed) > 1:
        raise CodingError(17, f"{len(mixed)} coders have coded ({', '.join(mixed)}) and no "
                          "consensus layer covers their documents, so a count would add "
                          "their codings up. Choose one: "
                          f"coder={mixed[0]!r}, coder=\"consensus\" after project.reconcile(), "
                          "or coder=\"all\" for every coder side by side.")
    return _DEFAULT, ()


def _coders(conn: sqlite3.Connection, layer: str) -> list[str]:
    """Coders with active codings in active documents under ``layer``, by name."""
    rows = conn.execute(
        f"SELECT DISTINCT c.coder FROM codings c JOIN documents d USING (doc_id) "
        f"WHERE c.status = 'active' AND d.status = 'active' AND {layer} ORDER BY c.coder")
    return [r[0] for r in rows]
