"""Marsad (مرصد): an Arabic-first open-source intelligence workbench."""

__version__ = "0.1.0"
