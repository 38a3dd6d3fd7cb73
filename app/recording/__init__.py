"""Call recording (issue 4): capture, crash-safe encrypted storage, consent policy.

See docs/recording.md.
"""
