"""Reading and writing files that other research software makes (REFI-QDA, XML)."""

from workbench.interop.safe_xml import parse_xml

__all__ = ["parse_xml"]
