"""What can go wrong with a recording, told to a person (importable without the store's audio
libraries: the review area catches these)."""


class RecordingError(Exception):
    """A recording problem explained for a person."""


class RecordingNotFound(RecordingError):
    pass


class RecordingUnavailable(RecordingError):
    """Deleted, or nothing survived."""


class RecordingCorrupt(RecordingError):
    """The file was altered, truncated after completion, or is not a recording."""
