"""Outbound call lists page (issue 3)."""
