"""Tests of workbench.codebook."""
