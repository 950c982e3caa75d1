"""Tests of workbench.codebook and workbench.interop.safe_xml."""
