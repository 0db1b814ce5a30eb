"""The kernel every app stands on. It names no domain app: what it needs of them (a resource's
serializer, its search vector, its upcasters) is declared on their models and serializers and collected.

At the top, the app's usual shape: ``models`` (abstract bases, the changes feed, sorted link tables),
``choices``, ``dates`` (dates at their precision), ``constraints``, ``permissions`` (the Editors group),
``admin``, ``filtersets`` and ``feeds`` (of the changes feed), ``migration_ops`` (SQL Django does not write).
Below, one sub-package per concern, each saying what lives there and what it may import:

- ``query``   orderings, index keys and text search: what lists are built from;
- ``record``  the one write path and the versions (``services``, ``versions``, ``history``);
- ``bulk``    export and import of whole lists;
- ``api``     DRF's pieces: the resource viewset, pagination, filters, reader, errors, schema hooks;
- ``http``    around the API: CORS, gzip, replicas, static files, health checks.

The direction (lower never imports higher: ``http``, ``query`` < the kernel's models < ``record`` <
``bulk`` < ``api`` < ``admin``, ``feeds``, ``filtersets``) is enforced by ``tests/core/test_layers.py``.
"""
