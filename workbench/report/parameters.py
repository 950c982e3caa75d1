"""The analysis choices a project keeps for its reports: ``report.yaml``, read by
:func:`read_parameters`.

A project (and the Riverside example) sets once which coder, codes and event each notebook
reads, and every report run uses them::

    all:                        # every notebook whose parameters cell defines the name
      CODER: ana
    05_triangulation:           # one notebook, by the name of its .py file
      CODES: [manual-verification, workarounds]
      EVENT: threshold-change

A notebook's own entry wins over ``all``. Names are checked against the assignments of each
notebook's ``parameters`` cell; ``PROJECT`` and ``CORPUS`` are the report's to set; values
are scalars or lists of scalars, written into the notebook as Python literals. Anything else
is refused, naming the file and line, before a notebook runs.
"""

from __future__ import annotations

import ast
import datetime
import math
from collections.abc import Mapping
from pathlib import Path

import jupytext
import yaml

from workbench.errors import ReportError
from workbench.safe_input import load_yaml

__all__ = ["ALL", "PARAMETERS_FILE", "RESERVED", "defined_parameters", "notebook_parameters",
           "read_parameters"]

#: The file in a project folder that ``workbench report DIR`` reads when not given one.
PARAMETERS_FILE = "report.yaml"
#: The top-level key whose parameters go to every notebook that defines them.
ALL = "all"
#: Parameters the report itself sets (the project copy and the example corpus).
RESERVED = ("PROJECT", "CORPUS")
_SCALARS = (str, int, float, bool, type(None))


def defined_parameters(path: Path) -> tuple[str, ...]:
    """The names assigned in the ``parameters`` cell of the jupytext notebook at ``path``
    (``NAME = value`` and ``A, B = ...``), in order; empty without such a cell."""
    notebook = jupytext.read(path)
    cell = next((c for c in notebook.cells
                 if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        return ()
    try:
        tree = ast.parse(cell.source)
    except SyntaxError as err:
        raise ReportError(50, f"{path.name}, parameters cell line {err.lineno}: {err.msg}. "
                          "Fix the cell so that it is valid Python.") from None
    targets = [t for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign)
               for t in (node.targets if isinstance(node, ast.Assign) else [node.target])]
    names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
    return tuple(dict.fromkeys(names))


def read_parameters(source: str | Path | Mapping | None,
                    defined: Mapping[str, tuple[str, ...]]) -> dict[str, dict]:
    """Read and check a parameters file (or mapping) against the notebooks it may set.

    Parameters
    ----------
    source : the path of a YAML file, a mapping of the same shape, or None (no parameters).
    defined : every notebook of the folder, name (``05_triangulation``) -> the names its
        parameters cell defines (:func:`defined_parameters`).

    Returns
    -------
    dict
        The checked file: ``all`` and notebook names -> {parameter name: value}.

    Raises
    ------
    ReportError
        ``WB-REPORT-051`` the file is missing, unreadable or not YAML of that shape;
        ``052`` an unknown notebook; ``053`` a name no parameters cell defines; ``054``
        ``PROJECT`` or ``CORPUS``; ``055`` a value that is not a scalar or list of scalars.
    """
    if source is None:
        return {}
    where, data, lines = _load(source)
    if not isinstance(data, Mapping):
        raise ReportError(51, f"{where} must map notebook names (or 'all') to parameters, "
                          f"not hold a {type(data).__name__}. Write e.g. '05_triangulation:' "
                          "followed by indented 'CODES: [code-a, code-b]'.")
    for notebook, values in data.items():
        at = _at(where, lines, (notebook,))
        if notebook != ALL and notebook not in defined:
            raise ReportError(52, f"{at}: no notebook named '{notebook}'; the notebooks are "
                              f"{', '.join(defined)} (or '{ALL}' for every notebook). Fix "
                              "the name or remove the entry.")
        if not isinstance(values, Mapping):
            raise ReportError(51, f"{at}: '{notebook}' must map parameter names to values. "
                              "Write each parameter on its own indented line, 'NAME: value'.")
        known = set().union(*defined.values()) if notebook == ALL else set(defined[notebook])
        for name, value in values.items():
            _check(name, value, notebook, known, _at(where, lines, (notebook, name)))
    return {str(k): dict(v) for k, v in data.items()}


def notebook_parameters(checked: Mapping[str, dict], notebook: str,
                        defined: tuple[str, ...]) -> dict:
    """The parameters ``checked`` (from :func:`read_parameters`) gives ``notebook``: those of
    ``all`` its parameters cell ``defined``, then its own entry, which wins."""
    shared = {k: v for k, v in checked.get(ALL, {}).items() if k in defined}
    return {**shared, **checked.get(notebook, {})}


def _load(source: str | Path | Mapping) -> tuple[str, object, dict]:
    """``(name for messages, data, {key path: line})`` of a parameters file or mapping."""
    if isinstance(source, Mapping):
        return "the parameters given", source, {}
    path = Path(source)
    if not path.is_file():
        raise ReportError(51, f"{path}: no such parameters file. Pass the path of a YAML "
                          f"file (see README, Executed reports) or leave it out.")
    try:
        text = path.read_text(encoding="utf-8")
        data = load_yaml(text)
    except UnicodeDecodeError:
        raise ReportError(51, f"{path} is not UTF-8 text. Save it as UTF-8.") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        why = getattr(err, "problem", None) or err
        raise ReportError(51, f"{path}{line}: not valid YAML ({why}). Fix the file and run "
                          "the report again.") from None
    return str(path), {} if data is None else data, _key_lines(text)


def _key_lines(text: str) -> dict[tuple, int]:
    """The line (from 1) of each key of the first two levels of a YAML mapping."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    lines: dict[tuple, int] = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        lines[(key.value,)] = key.start_mark.line + 1
        if isinstance(value, yaml.MappingNode):
            for inner, _ in value.value:
                lines[(key.value, inner.value)] = inner.start_mark.line + 1
    return lines


def _at(where: str, lines: dict[tuple, int], keys: tuple) -> str:
    """``where`` with the line of ``keys`` when known (a file)."""
    line = lines.get(tuple(str(k) for k in keys))
    return f"{where} line {line}" if line else where


def _check(name: object, value: object, notebook: str, known: set[str], at: str) -> None:
    """Refuse a reserved or undefined parameter name, or a value that is not plain data."""
    if name in RESERVED:
        raise ReportError(54, f"{at}: {name} is set by the report itself (the project copy "
                          "and the example corpus it runs on). Remove it from the file.")
    if name not in known:
        scope = "any notebook's" if notebook == ALL else f"{notebook}'s"
        settable = ", ".join(sorted(known - set(RESERVED))) or "none"
        raise ReportError(53, f"{at}: '{name}' is not defined in {scope} parameters cell; "
                          f"the parameters are: {settable}. Fix the name (they are "
                          "case-sensitive) or remove it.")
    items = value if isinstance(value, list) else [value]
    bad = next((v for v in items if not _plain(v)), None)
    if bad is not None:
        hint = (" Write the date in quotes ('2025-04-21')."
                if isinstance(bad, datetime.date) else "")
        raise ReportError(55, f"{at}: {name} is {bad!r}; a parameter is a text, a number, "
                          f"true/false, null, or a list of these.{hint}")


def _plain(value: object) -> bool:
    """Whether ``value`` is a scalar a notebook can read back from its Python literal."""
    return (isinstance(value, _SCALARS)
            and not (isinstance(value, float) and not math.isfinite(value)))
