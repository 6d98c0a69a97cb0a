"""Frozen entry point of `zicha`, the command line (and the text-extraction child process)."""

from desktop.cli import main

raise SystemExit(main())
