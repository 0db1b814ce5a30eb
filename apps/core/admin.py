"""Admin pieces every fact app shares."""

from simple_history.admin import SimpleHistoryAdmin


def shorten(text: str, length: int = 80) -> str:
    """Trim long text for a changelist column."""
    return text if len(text) <= length else text[: length - 1] + "…"


class HistoryAdmin(SimpleHistoryAdmin):
    """Every model's admin: the history view with revert, and sane paging."""

    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) over big tables on every changelist


class FactAdmin(HistoryAdmin):
    """Events, statements, positions and deadlines: certainty and precision up front."""

    list_filter = ["certainty", "date_precision"]
    readonly_fields = ["id", "created_at", "updated_at"]
    save_on_top = True


class MinOneInlineMixin:
    """An inline that must keep at least one row (a fact needs a citation)."""

    min_num = 1

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["validate_min"] = True
        return super().get_formset(request, obj, **kwargs)


class ProtectedLinksAdminMixin:
    """Show facts that still list an actor or topic as protected on the admin's delete page."""

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = [f"{o._meta.verbose_name.capitalize()}: {o}" for obj in objs for o in obj.linked_objects()]
        return to_delete, model_count, perms_needed, [*protected, *links]
