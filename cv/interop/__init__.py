"""Bringing a record in and taking it out: AcadHomepage and JSON Resume.

Importers return an :class:`cv.interop.files.Imported` (the cv.yaml data, BibTeX entries and
notices) and never print; :func:`cv.interop.files.write_import` writes it into a data folder.
Exporters return text or data.

The modules are imported by name (``cv.interop.jsonresume``), not from here: the section
modules of :mod:`cv.sections` use this package's Markdown helpers while :mod:`cv.model` is
first imported, before an importer could be.
"""
