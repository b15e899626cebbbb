#!/usr/bin/env bash
# Regenerate the README's picture of page 1 of the example CV (needs pdftoppm: poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1764547200} python -m cv build --data data --out "$out" --only cv
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$out/cv.pdf" docs/classic-page1
rm -rf "$out"
echo "wrote docs/classic-page1.png"
