"""Admin pieces every app shares. The admin writes through ``apps.core.record.services`` only.

HackSoft's admin → service pattern: the form validates (the model's ``clean()``
names the field at fault), then ``save_related`` hands the whole save — fields,
links, citations, inline rows — to the services, which record one version. The
change form remembers the version it was opened at, and a save over a newer one
is refused with who changed it and when.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, JSON, XLSX
from import_export.forms import ExportForm

from apps.core.api.filters import MAX_Q_LENGTH, validate_search_terms
from apps.core.bulk.resources import resource_for
from apps.core.choices import ChangeReason
from apps.core.dates import EMPTY, display_date
from apps.core.query.search import search
from apps.core.record import services
from apps.core.record.versions import history_model, is_versioned, latest_version, version_data

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def shorten(text: str, length: int = 80) -> str:
    """Trim long text for a changelist column."""
    return text if len(text) <= length else text[: length - 1] + "…"


def changed_by(obj) -> str:
    """ "alice at 2026-01-17 12:00 UTC (version 4)": who made the current version of ``obj``."""
    latest = latest_version(type(obj), obj.pk)
    if latest is None:
        return f"version {obj.version}"
    who = latest.history_user.get_username() if latest.history_user else "an import"
    return f"{who} at {latest.history_date:%Y-%m-%d %H:%M} UTC (version {latest.version})"


def precise_date_column(model, name: str):
    """A changelist column showing ``name`` at its precision ("Aug 2025"), sortable by the date."""
    precision_field = model.precision_field

    @admin.display(description=model._meta.get_field(name).verbose_name, ordering=name)
    def column(obj):
        return display_date(getattr(obj, name), getattr(obj, precision_field))

    column.__name__ = f"{name}_shown"
    return column


def span_column(model):
    """One column for a (start, end) span at its precision: "since Aug 2025", "2024 – Mar 2025", "—"."""
    start_field, end_field = model.range_fields
    precision_field = model.precision_field

    @admin.display(description="valid", ordering=start_field)
    def column(obj):
        start, end, precision = getattr(obj, start_field), getattr(obj, end_field), getattr(obj, precision_field)
        if start and end:
            return f"{display_date(start, precision)} – {display_date(end, precision)}"
        if start:
            return f"since {display_date(start, precision)}"
        if end:
            return f"until {display_date(end, precision)}"
        return EMPTY

    column.__name__ = f"{start_field}_span"
    return column


def precision_column(model):
    """The precision as a column, empty when the row has no date (an undated statement is not "Day")."""
    precision_field = model.precision_field

    @admin.display(description=model._meta.get_field(precision_field).verbose_name, ordering=precision_field)
    def column(obj):
        if all(getattr(obj, name) is None for name in model.precision_fields):
            return EMPTY
        return getattr(obj, f"get_{precision_field}_display")()

    column.__name__ = f"{precision_field}_shown"
    return column


def shown(value, length: int = 32) -> str:
    """A field's value in a history line: a day date as "15 Jan 2026", long text shortened."""
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        return display_date(value, "day")
    return EMPTY if value in (None, "") else shorten(str(value), length)


def version_summary(model, version, previous) -> str:
    """What one version changed, in a line: "said on: Aug 2025 → 14 Jan 2026; text: … → …; citations".

    Compares the API data the two versions stored; dates governed by a precision read at it.
    """
    data, before = version_data(version), version_data(previous) if previous is not None else {}
    dated = set(getattr(model, "precision_fields", ()))
    precision = getattr(model, "precision_field", "date_precision")
    parts = []
    for name in version.changed_fields or []:
        label = name.replace("_", " ")
        old, new = before.get(name), data.get(name)
        if name in dated:
            parts.append(
                f"{label}: {display_date(old, before.get(precision))} → {display_date(new, data.get(precision))}"
            )
        elif isinstance(new, str | int | float | bool | None) and isinstance(old, str | int | float | bool | None):
            parts.append(f"{label}: {shown(old)} → {shown(new)}")
        else:  # links and citations: named, not spelled out
            parts.append(label)
    return "; ".join(parts)


def whole_value(name: str, value, data: dict) -> str:
    """A field's value in full, in words: a date at its precision, an embedded object by its name,
    a list one item a line, a citation as its excerpt and source."""
    if value in (None, "", [], {}):
        return EMPTY
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        return display_date(value, data.get("date_precision", "day"))
    if isinstance(value, list):
        return "\n".join(whole_value(name, item, data) for item in value)
    if isinstance(value, dict):
        if "excerpt" in value and "source" in value:  # a citation
            where = f" ({value['locator']})" if value.get("locator") else ""
            return f"“{value['excerpt']}” — {value['source'].get('title', '')}{where}"
        if "name" in value or "title" in value or "text" in value:  # an embedded brief
            return str(value.get("name") or value.get("title") or value.get("text"))
        return "\n".join(f"{key}: {whole_value(key, item, data)}" for key, item in value.items())
    return str(value)


def field_by_field(data: dict, before: dict | None, *, only_changed: bool = False) -> list[dict]:
    """One row per field of a version (today's representation) beside the same field in ``before``."""
    rows = []
    for name, value in data.items():
        old = before.get(name) if before is not None else None
        changed = before is not None and old != value and name not in ("updated_at", "version")
        if only_changed and not changed:
            continue
        rows.append(
            {
                "label": name.replace("_", " "),
                "new": whole_value(name, value, data),
                "old": whole_value(name, old, before) if before is not None else "",
                "changed": changed,
            }
        )
    return rows


class VersionedForm(forms.ModelForm):
    """A change form that knows the version it was opened at, and asks why the change is made."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_reason = forms.ChoiceField(
        label="Reason for this change",
        choices=[("", "By the rule (see help)"), *ChangeReason.choices],
        required=False,
        help_text="Update: the world changed. Correction: our record was wrong. Retraction: it should never "
        "have been published. Left to the rule: a new record is New; a change of a deadline's status, date or "
        "outcome (or a position's or role's end) is an Update; any other change a Correction.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        reason = cleaned.get("change_reason")
        if self.instance._state.adding and reason not in ("", None, ChangeReason.NEW):
            self.add_error("change_reason", "A first record is always New.")
        elif not self.instance._state.adding and reason == ChangeReason.NEW:
            self.add_error("change_reason", "New is for a first record: say Update, Correction or Retraction.")
        loaded = cleaned.get("loaded_version")
        if self.instance.pk is not None and loaded is not None and loaded != self.instance.version:
            raise ValidationError(
                f"This {self.instance._meta.verbose_name} was changed by {changed_by(self.instance)} after you "
                "opened it. Your changes were not saved: reload the page to see theirs, then make yours again.",
                code="stale",
            )
        return cleaned


class ImportExportAdmin(ImportExportMixin):
    """Import and export buttons on the changelist (django-import-export's screens, ``apps.core.bulk.resources``'
    work): CSV, JSON and XLSX, the rows as the API exports them; an import is previewed (a dry run: what
    would be created or changed), then confirmed, and written all or nothing through the services."""

    import_formats = [CSV, JSON, XLSX]
    export_formats = [CSV, JSON, XLSX]
    export_form_class = ExportForm

    def get_resource_classes(self, request):
        return [resource_for(self.model)]

    def has_import_permission(self, request):
        """Editors: an import creates and changes rows."""
        opts = self.model._meta
        return all(
            request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") for action in ("add", "change")
        )

    def has_export_permission(self, request):
        return self.has_view_or_change_permission(request)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        """JSON keeps the API's nesting; CSV and XLSX are flattened as the API's CSV export is."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = resource_for(self.model)().export(queryset, native=isinstance(file_format, JSON))
        return file_format.export_data(data)


class HistoryAdmin(ImportExportAdmin, admin.ModelAdmin):
    """Every versioned model's admin: saves through the services, one version per save, history with revert."""

    form = VersionedForm
    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) over big tables on every changelist
    readonly_fields = ["version", "created_at", "updated_at"]
    history_template = "admin/core/versions.html"
    # The API list's FilterSet: the search box (and autocomplete) searches as its ``q`` does.
    search_filterset: type | None = None

    class Media:
        css = {"all": ["core/admin.css"]}  # dates and their precision side by side

    # -- search ---------------------------------------------------------------------------

    def get_search_results(self, request, queryset, search_term):
        """The API's ``q`` (``apps.core.query.search``): web search syntax, full text where the model has it.

        A search beyond the API's bounds finds nothing and says why, as the API's 400 would.
        """
        if self.search_filterset is None or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        try:
            if len(search_term) > MAX_Q_LENGTH:
                raise ValidationError(f"Search for at most {MAX_Q_LENGTH} characters.")
            validate_search_terms(search_term)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return queryset.none(), False
        filterset = self.search_filterset(queryset=queryset, request=request)
        return search(queryset, search_term, filterset.term_condition), False

    # -- dates at their precision -----------------------------------------------------

    def has_precise_dates(self) -> bool:
        return is_versioned(self.model) and bool(self.model.precision_fields)

    def get_list_display(self, request):
        """Dates shown as precisely as they are known, the precision empty for an undated row."""
        columns = list(super().get_list_display(request))
        if not self.has_precise_dates():
            return columns
        dates, precision = self.model.precision_fields, self.model.precision_field
        return [
            precise_date_column(self.model, c) if c in dates else precision_column(self.model) if c == precision else c
            for c in columns
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self.has_precise_dates() and obj is not None and "reads_as" not in fields:
            fields.append("reads_as")
        return fields

    @admin.display(description="shown as")
    def reads_as(self, obj):
        """The saved date(s) as readers see them: "Aug 2025", not "1 Aug 2025"."""
        precision = getattr(obj, self.model.precision_field)
        dates = [getattr(obj, name) for name in self.model.precision_fields]
        return " – ".join(display_date(d, precision) for d in dates) if any(dates) else EMPTY

    def get_fieldsets(self, request, obj=None):
        """The precision control on the same line as the date(s) it governs (errors stay beside each field)."""
        fieldsets = super().get_fieldsets(request, obj)
        if self.fieldsets or not self.has_precise_dates():
            return fieldsets
        fields = list(fieldsets[0][1]["fields"])
        dates = [name for name in self.model.precision_fields if name in fields]
        if not dates or self.model.precision_field not in fields:
            return fieldsets
        line = (*dates, self.model.precision_field, *(["reads_as"] if "reads_as" in fields else []))
        at = fields.index(dates[0])
        rest = [name for name in fields if name not in line]
        rest.insert(min(at, len(rest)), line)
        return [(None, {"fields": rest})]

    # -- saving through the services ------------------------------------------------

    def save_model(self, request, obj, form, change):
        """Nothing yet: the whole save, inlines included, is one service call in ``save_related``."""

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        names = [n for n in form.cleaned_data if n in {f.name for f in obj._meta.get_fields()}]
        if change:
            names = [n for n in names if n in form.changed_data]
        data = {name: form.cleaned_data[name] for name in names}
        citations = None
        inline_rows = []
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            if hasattr(type(obj), "citations") and formset.model is type(obj).citations.rel.related_model:
                if not change or formset.has_changed():
                    citations = [
                        {k: f.cleaned_data[k] for k in ("source", "excerpt", "locator", "note")}
                        for f in formset.forms
                        if f.cleaned_data and not f.cleaned_data.get("DELETE")
                    ]
            elif is_versioned(formset.model):
                inline_rows.append(formset)
        expected = form.cleaned_data.get("loaded_version")
        with transaction.atomic():
            reason = form.cleaned_data.get("change_reason") or None
            if change:
                saved = services.update(
                    obj, data=data, citations=citations, user=request.user, expected_version=expected, reason=reason
                )
            else:
                if obj._meta.pk.name in {f.name for f in obj._meta.concrete_fields} and obj.pk is not None:
                    data["pk"] = obj.pk
                saved = services.create(type(obj), data=data, citations=citations, user=request.user)
            obj.pk, obj.version = saved.pk, saved.version
            obj._state.adding = False
            for formset in inline_rows:
                self.save_inline_rows(request, formset, saved)

    def save_inline_rows(self, request, formset, parent):
        """Rows with versions of their own (an actor's roles): each through the services."""
        for form in formset.forms:
            if not form.cleaned_data:
                continue
            row = form.instance
            if form.cleaned_data.get("DELETE"):
                if row.pk is not None and not row._state.adding:
                    services.delete(row, user=request.user)
                continue
            fields = [n for n in form.changed_data if n in form.fields and n not in {"id", "DELETE"}]
            data = {name: form.cleaned_data[name] for name in fields}
            data[formset.fk.name] = parent
            if row._state.adding:
                if form.has_changed():
                    services.create(formset.model, data=data, user=request.user)
            elif fields:
                services.update(row, data=data, user=request.user)

    def delete_model(self, request, obj):
        services.delete(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                services.delete(obj, user=request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.VersionConflict as exc:
            # Lost the race between the form's check and the row lock: the same refusal as a stale form.
            self.message_user(
                request,
                f"Not saved: this {exc.current._meta.verbose_name} was just changed by {changed_by(exc.current)}.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)

    # -- history and revert ------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/history/<int:number>/revert/",
                self.admin_site.admin_view(self.revert_view),
                name="{}_{}_revert".format(*info),
            ),
            path(
                "<path:object_id>/history/<int:number>/",
                self.admin_site.admin_view(self.version_view),
                name="{}_{}_version".format(*info),
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = list(
            history_model(self.model)
            .objects.filter(id=obj.pk)
            .select_related("history_user")
            .order_by("-version")[:201]
        )
        can_revert = self.has_change_permission(request, obj)
        info = self.opts.app_label, self.opts.model_name
        rows = [
            {
                "version": v,
                "kind": v.get_change_display(),
                "reason": v.get_reason_display() if v.reason else "",
                "summary": version_summary(self.model, v, versions[i + 1] if i + 1 < len(versions) else None),
                "url": reverse("admin:{}_{}_version".format(*info), args=[obj.pk, v.version]),
                "revert_url": reverse("admin:{}_{}_revert".format(*info), args=[obj.pk, v.version])
                if can_revert and v.version != obj.version and v.change != "deleted"
                else None,
            }
            for i, v in enumerate(versions[:200])
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {obj}",
            "opts": self.opts,
            "object": obj,
            "rows": rows,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.history_template, context)

    def version_view(self, request, object_id, number):
        """One version whole, field by field beside the version before it."""
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = history_model(self.model).objects.filter(id=obj.pk).select_related("history_user")
        version = versions.filter(version=number).first()
        if version is None:
            raise Http404
        previous = versions.filter(version__lt=number).order_by("-version").first()
        return self.version_page(
            request,
            obj,
            version,
            title=f"Version {number} of {obj}",
            rows=field_by_field(version_data(version), version_data(previous) if previous else None),
            compared_with=previous.version if previous else None,
        )

    def version_page(self, request, obj, version, **context):
        info = self.opts.app_label, self.opts.model_name
        return TemplateResponse(
            request,
            "admin/core/version.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "object": obj,
                "version": version,
                "history_url": reverse("admin:{}_{}_history".format(*info), args=[obj.pk]),
                **context,
            },
        )

    def revert_view(self, request, object_id, number):
        """GET: what a revert to version ``number`` would change, and a button to confirm; POST: revert."""
        obj = get_object_or_404(self.model, pk=object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        if request.method != "POST":
            target = history_model(self.model).objects.filter(id=obj.pk, version=number).first()
            if target is None:
                raise Http404
            current = latest_version(self.model, obj.pk)
            rows = field_by_field(version_data(target), version_data(current) if current else {}, only_changed=True)
            return self.version_page(
                request,
                obj,
                target,
                title=f"Revert {obj} to version {number}?",
                rows=rows,
                compared_with=current.version if current else None,
                confirm=True,
            )
        try:
            services.revert(self.model, obj.pk, version=number, user=request.user)
        except ObjectDoesNotExist:
            raise Http404 from None
        except ValidationError as exc:
            self.message_user(
                request, f"Version {number} cannot be restored: {'; '.join(exc.messages)}", messages.ERROR
            )
        else:
            self.message_user(request, f"Reverted to version {number}; that is now a new version.", messages.SUCCESS)
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        )


class FactAdmin(HistoryAdmin):
    """Events, statements, positions and deadlines: certainty and precision up front."""

    list_filter = ["certainty", "date_precision"]
    readonly_fields = ["id", "version", "created_at", "updated_at"]
    save_on_top = True


class MinOneInlineMixin:
    """An inline that must keep at least one row (a fact needs a citation)."""

    min_num: int | None = 1

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["validate_min"] = True
        return super().get_formset(request, obj, **kwargs)


class ProtectedLinksAdminMixin:
    """Show facts that still list an actor or topic as protected on the admin's delete page."""

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = [f"{o._meta.verbose_name.capitalize()}: {o}" for obj in objs for o in obj.linked_objects()]
        return to_delete, model_count, perms_needed, [*protected, *links]
