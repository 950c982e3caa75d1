"""Exchanging projects and codebooks with other QDA programs in the REFI-QDA formats.

``.qdc`` codebook files: ``export_qdc`` and ``import_qdc``. ``.qdpx`` project files:
``export_qdpx``, and ``check_qdpx``, ``new_project_folder`` and ``store_qdpx``, which
``Project.import_qdpx`` runs in turn. Every function works on a project's store (a
``sqlite3.Connection``) through the corpus, codebook and coding packages; the XML is parsed
by :mod:`workbench.safe_input`.
"""

from workbench.refi_qda.qdc_read import import_qdc
from workbench.refi_qda.qdc_write import code_guid, export_qdc, write_codebook
from workbench.refi_qda.qdpx import (
    POSITION_UNITS,
    CheckedQdpx,
    QdpxReport,
    check_qdpx,
    export_qdpx,
    new_project_folder,
    store_qdpx,
)

__all__ = [
    "POSITION_UNITS",
    "CheckedQdpx",
    "QdpxReport",
    "check_qdpx",
    "code_guid",
    "export_qdc",
    "write_codebook",
    "export_qdpx",
    "import_qdc",
    "new_project_folder",
    "store_qdpx",
]
