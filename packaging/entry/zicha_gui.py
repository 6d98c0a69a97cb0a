"""Frozen entry point of `zicha-gui`: the window, as `zicha gui ARGS` would open it."""

import sys

from desktop.cli import main

# main() calls multiprocessing.freeze_support() first, so a spawned extraction child started
# from this executable becomes that child, whatever argv says here.
raise SystemExit(main(["gui", *sys.argv[1:]]))
