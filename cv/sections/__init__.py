"""The sections of the CV: one module each, declared as a :class:`~cv.sections.base.SectionKind`.

:mod:`cv.sections.registry` lists them in their default order; everything that renders, shortens,
imports or exports sections loops over it. How to add one: ``docs/contributing.md``.
"""
