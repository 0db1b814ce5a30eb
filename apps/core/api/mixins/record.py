"""What every part of the resource viewset reads: its model, the URL's id, and why a write is made."""

from rest_framework import exceptions, permissions, viewsets

from apps.core.choices import ChangeReason

# The request header a write names its reason in (README "What kind of change").
REASON_HEADER = "Change-Reason"


class RecordViewMixin(viewsets.GenericViewSet):
    """The model behind the viewset and the id its URL names, on live and version rows alike."""

    @property
    def model(self):
        return self.queryset.model

    def history_lookup(self) -> str:
        """The column the URL's id is matched against, on live and version rows alike."""
        return "id" if self.lookup_field == "pk" else self.lookup_field

    def lookup_value(self) -> str:
        return self.kwargs[self.lookup_url_kwarg or self.lookup_field]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in permissions.SAFE_METHODS:
            # Before the item is looked up: a malformed header is a 400 whatever the item's state (even 410).
            self.change_reason()

    def change_reason(self) -> str | None:
        """The ``Change-Reason`` header: why this write is made (``ChangeReason``); absent: the default rule.
        Sent empty, it is refused like any value that is not a reason."""
        if REASON_HEADER not in self.request.headers:
            return None
        header = self.request.headers[REASON_HEADER].strip().lower()
        if header not in ChangeReason.values:
            raise exceptions.ValidationError(
                {REASON_HEADER: [f"Use one of {', '.join(ChangeReason.values)}."]}, code="invalid"
            )
        return header
