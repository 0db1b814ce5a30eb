"""The resource viewset's parts, one concern a module, composed by ``apps.core.api.views.VersionedViewSet``
the way NetBox builds its views from mixins:

- ``record``       what every part reads: the model, the URL's id on live and version rows, the write's reason;
- ``as_of``        reads of the record as it stood at a moment (``?as_of=``), and the 404 saying why not;
- ``history``      ``…/history/``, one version, revert, and the 410 of a deleted item;
- ``export``       ``export/<resource>.ndjson|csv``: the filtered list streamed whole;
- ``conditional``  ETags from the changes feed, 304s, the shared page cache, ``If-Match``.

May import every lower part of ``apps.core`` (``record``, ``bulk``, ``api``); never a domain app.
"""
