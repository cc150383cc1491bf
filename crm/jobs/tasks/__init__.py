"""The scheduled jobs' bodies: each takes `today` and `now`, makes its rows and returns how many."""


class Skipped(Exception):  # an outcome rather than an error: the run is recorded as "skipped"
    """Raised when a job has nothing it can do (a missing module, no SMTP settings)."""
