"""STIX 2.1 export and import of a Marsad store (issue 7).

>>> bundle = export_bundle(store, viewer)          # doctest: +SKIP
>>> report = import_bundle(other_store, bundle)    # doctest: +SKIP

The mapping (Marsad record → STIX object/property), the TLP 2.0 markings and the rules for
armed groups and unresolved places are documented in docs/stix-taxii.md; the pieces live in
``stix_model`` (ids, markings, custom types), ``stix_export`` and ``stix_import``.
"""

from __future__ import annotations

from .stix_export import bundle_objects, export_bundle, make_bundle, select_documents
from .stix_import import ImportReport, StixImportError, bundle_analyses, import_bundle, parse_objects
from .stix_model import TLP2_IDS, tlp_marking

__all__ = [
    "ImportReport", "StixImportError", "TLP2_IDS", "bundle_analyses", "bundle_objects",
    "export_bundle", "import_bundle", "make_bundle", "parse_objects", "select_documents",
    "tlp_marking",
]
