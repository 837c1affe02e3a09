"""``python -m newscrawl``: the command-line interface."""

import sys

from newscrawl.cli import main

sys.exit(main())
