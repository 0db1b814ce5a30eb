"""The record: every write and every version.

``services`` is the one write path (create, update, delete, revert); ``versions`` records one version
of a whole resource per change, in the changes feed's commit order, and reads versions back in today's
representation (upcasters); ``history`` is the simple-history tables that hold them.

May import: ``apps.core`` (models, choices) and ``apps.core.query``. Never the API, bulk or HTTP layers
(a resource's serializer is reached by its dotted path, ``api_serializer``), never a domain app.
"""
