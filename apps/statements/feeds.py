from apps.core.feeds import FilteredAtomFeed
from apps.statements.api.views import StatementViewSet
from apps.statements.filtersets import StatementFilterSet


class StatementFeed(FilteredAtomFeed):
    """Newest statements first (by when said; undated last), as the list orders them."""

    title = "Factsapi: statements"
    description = "What actors said, newest first, with the list's filters."
    resource = "statements"
    queryset = StatementViewSet.queryset
    filterset_class = StatementFilterSet

    def item_title(self, statement):
        text = statement.text if len(statement.text) <= 120 else statement.text[:119] + "…"
        quoted = f"“{text}”" if statement.kind == "direct_quote" else text
        return f"{statement.speaker.name}: {quoted}"

    def item_description(self, statement):
        said = statement.said_on.isoformat() if statement.said_on else "undated"
        parts = [f"Said {said} ({statement.date_precision} precision); certainty: {statement.certainty}."]
        if statement.medium:
            parts.append(statement.medium)
        if statement.assessment:
            parts.append(statement.assessment)
        return " ".join(parts)

    def item_author_name(self, statement):
        return statement.speaker.name
