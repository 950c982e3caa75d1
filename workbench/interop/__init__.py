"""Reading and writing files that other research software makes (REFI-QDA, XML).

``export_qdpx`` and ``import_qdpx`` exchange whole projects as REFI-QDA ``.qdpx`` files;
``parse_xml`` reads XML from unknown senders safely.
"""

from workbench.interop.safe_xml import parse_xml

__all__ = ["POSITION_UNITS", "QdpxReport", "export_qdpx", "import_qdpx", "parse_xml"]

_QDPX = ("POSITION_UNITS", "QdpxReport", "export_qdpx", "import_qdpx")


def __getattr__(name: str):
    # Loaded on first use: workbench.codebook imports parse_xml from this package, and the
    # .qdpx module builds on workbench.codebook, so importing it here would be circular.
    if name in _QDPX:
        from workbench.interop import qdpx

        return getattr(qdpx, name)
    raise AttributeError(f"module 'workbench.interop' has no attribute {name!r}")
