"""Bringing a record in and taking it out: AcadHomepage and JSON Resume.

Importers return an :class:`Imported` (the cv.yaml data, BibTeX entries and notices) and never
print; :func:`write_import` writes it into a data folder. Exporters return text or data.
"""

from __future__ import annotations

from cv.interop.acadhomepage import import_acadhomepage, read_acadhomepage
from cv.interop.acadhomepage_export import export_acadhomepage, render_about
from cv.interop.files import Imported, Notice, write_import
from cv.interop.jsonresume import export_jsonresume, import_jsonresume, read_jsonresume, resume_from

__all__ = [
    "Imported",
    "Notice",
    "export_acadhomepage",
    "export_jsonresume",
    "import_acadhomepage",
    "import_jsonresume",
    "read_acadhomepage",
    "read_jsonresume",
    "render_about",
    "resume_from",
    "write_import",
]
