"""``python -m cv``."""

from cv.cli import main

main()
