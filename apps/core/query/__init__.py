"""Lists as SQL: the orderings and their index keys (``ordering``), text search (``search``), the keyset
(``keyset``: cursors, the seek past one, pages and their links) and the list pipeline (``listing``: a
filter set hands its ``ListQuery`` — base queryset, date bounds, link targets — to one planner that
builds a page's SQL).

What the API's filters and pagination, the export, history and the timeline build on, and what the
models' indexes are declared with.

May import: ``apps.core.choices`` only at run time (the models import this package, not the other way
round), never a domain app: what it needs of them (a fact type's search vector) is declared on the models.
"""
