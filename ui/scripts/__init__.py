"""Situation scripts: the panel next to the card and the supervisor's editor (issue 3)."""
