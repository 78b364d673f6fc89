"""`python -m panjere_client`: the `panjere` command, from a copy of this folder."""

import sys

from .cli import main

sys.exit(main())
