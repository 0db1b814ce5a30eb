"""Lists as SQL: the orderings and their index keys (``ordering``) and text search (``search``).

What the list pipeline (``apps.core.api.filters`` and ``apps.core.api.pagination``) builds on, and
what the models' indexes are declared with.

May import: ``apps.core.choices`` only (the models import this package, not the other way round),
never a domain app: what it needs of them (a fact type's search vector) is declared on the models.
"""
