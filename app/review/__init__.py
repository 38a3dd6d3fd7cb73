"""Review and training (issue 6): roles, audit, library, tags, scorecards, case review, reports.

Everything here is plain Python over SQLAlchemy; no Qt. Every service method that reads or
changes review data takes a :class:`~app.review.access.Principal` and checks its role first.
"""
