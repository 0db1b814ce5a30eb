"""DRF's shared pieces: the resource viewset (as_of, history, revert, export, ETags), keyset pagination,
the filter set base and its filters, the row reader, problem errors, renderers, parsers, throttles, the
OpenAPI hooks and docs.

May import every other part of ``apps.core``; never a domain app.
"""
