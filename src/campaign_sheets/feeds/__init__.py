"""Calendar feeds (RFC 5545) built from the validated actions."""
