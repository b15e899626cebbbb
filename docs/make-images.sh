#!/usr/bin/env bash
# Regenerate the README's pictures: page 1 of the example CV in every theme `cv themes` lists
# (needs pdftoppm: poppler-utils). Writes docs/<theme>-page1.png.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for theme in $("$python" -m cv themes | awk '{print $1}'); do
  SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1764547200} "$python" -m cv build --data data --out "$out/$theme" \
    --only cv --theme "$theme" --quiet
  pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$out/$theme/cv.pdf" "docs/$theme-page1"
  echo "wrote docs/$theme-page1.png"
done
