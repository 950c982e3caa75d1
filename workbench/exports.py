"""Exports: tables written for other programs, with spreadsheet formulas neutralised.

A CSV cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return)
is run as a formula when the file is opened in Excel, LibreOffice or Google Sheets; a quote
such as ``=HYPERLINK("http://...")`` in an interview would then act on the reader's machine.
Every CSV the project writes goes through :func:`write_table`, which prefixes such text cells
with a single quote (OWASP, "CSV Injection"), so the spreadsheet shows the text as text.
Numbers are left as they are: only text cells change, and text that is a plain number
(``-3.5``) is not a formula. Parquet keeps every value raw: it is not opened as a spreadsheet.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["FORMULA_STARTS", "neutralise_formulas", "write_table"]

#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV Injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"


def _neutralised(values: pd.Series) -> pd.Series:
    """Text values that start like a formula, with a ``'`` in front; other values as given."""
    text = values.map(lambda v: isinstance(v, str))
    risky = text & values.where(text, "").str.startswith(FORMULA_STARTS)
    risky &= ~values.where(text, "").str.fullmatch(_PLAIN_NUMBER)
    return values.mask(risky, "'" + values.where(risky, ""))


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells, index labels and column names cannot run as
    spreadsheet formulas.

    Returns
    -------
    DataFrame : the same shape (non-numeric columns as object); in text cells, index
        labels, index names and column names, each value starting with ``= + - @``, a tab or
        a carriage return gets a leading ``'``, unless it is a plain number such as ``-3.5``.

    References
    ----------
    .. [1] OWASP Foundation, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection

    Examples
    --------
    >>> neutralise_formulas(pd.DataFrame({"text": ["=1+1", "-3.5", "ok"], "n": [-1, 2, 3]}))
        text  n
    0  '=1+1 -1
    1   -3.5  2
    2     ok  3
    """
    out = frame.copy()
    for name in out.columns[[not pd.api.types.is_numeric_dtype(t) for t in out.dtypes]]:
        out[name] = _neutralised(out[name].astype(object))
    out.columns = _labels(out.columns)
    out.index = _labels(out.index)
    return out


def _labels(index: pd.Index) -> pd.Index:
    """An index (or MultiIndex) with its text labels neutralised."""
    names = list(_neutralised(pd.Series(index.names, dtype=object)))
    if isinstance(index, pd.MultiIndex):
        return index.set_levels([_labels(level) for level in index.levels]).set_names(names)
    if pd.api.types.is_numeric_dtype(index.dtype):
        return index.set_names(names)
    return pd.Index(_neutralised(pd.Series(index, dtype=object)).to_numpy(), name=names[0])


def write_table(frame: pd.DataFrame, path: str | Path, *, index: bool = True,
                safe: bool = True) -> Path:
    """Write ``frame`` as ``.parquet`` (raw) or, for any other name, CSV (formulas neutralised
    unless ``safe=False``); returns the path.

    CSV rows end in CRLF, as RFC 4180 (section 2) asks: pandas then quotes a cell holding a
    carriage return, which with ``\n`` endings it writes bare, splitting the row in readers.
    """
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        frame.to_parquet(path, index=index)
    else:
        (neutralise_formulas(frame) if safe else frame).to_csv(path, index=index,
                                                               lineterminator="\r\n")
    return path
