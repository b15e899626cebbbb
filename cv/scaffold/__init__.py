"""Files `cv init` writes: a commented record, a small .bib, a .gitignore and a release workflow."""
