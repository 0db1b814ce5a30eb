"""Bulk: the streamed NDJSON/CSV export of every list (``export``), the all-or-nothing import through
the write path (``imports``), and the admin's import/export formats on top of both (``resources``).

May import: ``apps.core`` (models, choices), ``apps.core.record``, ``apps.core.query`` and the API's
fields and pagination (an export is a list read to its end); never a domain app.
"""
