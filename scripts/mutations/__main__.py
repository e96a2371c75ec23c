"""`python -m scripts.mutations`."""

import sys

from scripts.mutations import main

sys.exit(main())
