"""Executed reports as evidence: the analysis notebooks run against a project, kept with the
digests of what went in and what came out (``provenance.json``).

* :mod:`.execute` - ``run_report``: each notebook run on its own copy of the project, written
  as ``.ipynb`` and HTML;
* :mod:`.parameters` - a project's analysis choices per notebook (``report.yaml``), checked
  before anything runs;
* :mod:`.provenance` - the digests of inputs and output cells, the environment, the git state;
* :mod:`.manifest` - ``provenance.json`` and the "Provenance" cell of each notebook;
* :mod:`.pages` - each notebook's standalone HTML page, charts interactive, nothing fetched;
* :mod:`.crate` - the same run as an RO-Crate (``ro-crate-metadata.json``, Process Run Crate);
* :mod:`.verification` - ``verify``: a run checked against its signature, its files, its
  project, its stored notebooks and a re-run;
* :mod:`.signing` - Ed25519 key pairs and the detached signature ``provenance.json.sig``;
* :mod:`.progress` - a bar on a terminal, one line per notebook in a pipe;
* :mod:`.cli` - the ``workbench report``, ``workbench verify`` and ``workbench keygen``
  commands.

Names are imported on first use, so that ``workbench --help`` does not load Jupyter's
notebook machinery (issue 17).
"""

from importlib import import_module

__all__ = ["CODING_COLUMNS", "CRATE_METADATA", "MANIFEST", "NOTEBOOKS", "SIGNATURE",
           "VOLATILE_OUTPUT_FIELDS", "Run", "Verification", "canonical_json", "generate_keys",
           "input_digests", "output_digests", "run_id", "run_report", "verify"]

_HOMES = {"CRATE_METADATA": "crate", "NOTEBOOKS": "execute", "run_id": "execute",
          "run_report": "execute",
          "MANIFEST": "manifest", "Run": "manifest", "CODING_COLUMNS": "provenance",
          "VOLATILE_OUTPUT_FIELDS": "provenance", "canonical_json": "provenance",
          "input_digests": "provenance", "output_digests": "provenance",
          "SIGNATURE": "signing", "generate_keys": "signing",
          "Verification": "verification", "verify": "verification"}


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'workbench.report' has no attribute {name!r}")
    return getattr(import_module(f"workbench.report.{_HOMES[name]}"), name)
