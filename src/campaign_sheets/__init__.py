"""campaign-sheets: a coalition's shared schedule sheet turned into calendar feeds,
registration QR codes, flyers and participation reports."""

__version__ = "0.1.0"
