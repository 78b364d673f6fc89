"""`python -m panjere_verify`: the panjere-verify command."""

import sys

from .cli import main

sys.exit(main())
