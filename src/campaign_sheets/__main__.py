"""``python -m campaign_sheets``."""

import sys

from .cli import main

sys.exit(main())
