"""Offline transcription (issue 4): a job queue in the database, a worker, speech engines,
encrypted transcript storage and full-text search over keyed hashes. See docs/transcription.md.
"""
