"""The admin's import and export (django-import-export), on the API's rows and the one write path.

django-import-export's own ``ModelResource`` saves each row with ``instance.save()``
and its links separately, which would step around ``apps.core.record.services`` (no
version, no citations). So each resource here keeps the package's admin screens,
formats and dry-run preview, and replaces the work: ``export`` writes the API's
items (flattened as the CSV export is, or nested in JSON), ``import_data`` hands
the rows to ``apps.core.bulk.imports`` – the API's serializer, then the services,
in one transaction, all or nothing – and reports each row as new, update (with
the fields that change) or skip (unchanged).
"""

import json

from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from import_export import fields, resources
from import_export.results import Result, RowResult

from apps.core.bulk.export import api_queryset, flatten_item, plain, stream_rows
from apps.core.bulk.imports import ImportFailed, cell_text, import_rows

CHANGES_COLUMN = "changes"
ROW_TYPES = {"created": RowResult.IMPORT_TYPE_NEW, "changed": RowResult.IMPORT_TYPE_UPDATE}


class ApiResource(resources.Resource):
    """One API resource's rows; ``facts_model`` is set per model by ``resource_for``."""

    facts_model: type

    @classmethod
    def get_display_name(cls):
        return str(cls.facts_model._meta.verbose_name_plural)

    @classmethod
    def serializer(cls):
        return import_string(cls.facts_model.api_serializer)()

    def export(self, queryset=None, *args, native: bool = False, **kwargs):
        """The rows of ``queryset`` as the API exports them: flat cells, or (``native``) nested JSON values."""
        import tablib

        serializer = self.serializer()
        dataset = tablib.Dataset(headers=list(serializer.fields))
        model = self.facts_model
        rows = api_queryset(model) if queryset is None else api_queryset(model).filter(pk__in=queryset.values("pk"))
        for batch in stream_rows(rows):
            for item in type(serializer)(batch, many=True).data:
                row = plain(item) if native else flatten_item(item, serializer)
                dataset.append([row[name] for name in dataset.headers])
        return dataset

    def import_data(self, dataset, dry_run=False, raise_errors=False, *args, **kwargs):
        headers = [str(h) for h in (dataset.headers or [])]
        rows = [
            {
                name: value if isinstance(value, str | list | dict) else cell_text(value)
                for name, value in zip(headers, row, strict=False)
                if name
            }
            for row in dataset
        ]
        result = Result()
        result.diff_headers = [CHANGES_COLUMN, *headers]
        try:
            outcomes = import_rows([(self.facts_model.api_resource, rows)], user=kwargs.get("user"), dry_run=dry_run)
        except ImportFailed as exc:
            if raise_errors:
                raise
            for error in exc.errors:
                row = rows[error.number - 1] if 0 < error.number <= len(rows) else {}
                result.append_invalid_row(error.number, row, ValidationError(error.errors))
            return result
        result.total_rows = len(rows)
        for outcome in sorted(outcomes, key=lambda o: o.number):
            row_result = RowResult()
            row_result.import_type = ROW_TYPES.get(outcome.change, RowResult.IMPORT_TYPE_SKIP)
            changes = "new" if outcome.change == "created" else ", ".join(outcome.changed_fields) or "none"
            row_result.diff = [changes, *(_shown(rows[outcome.number - 1].get(h, "")) for h in headers)]
            row_result.add_instance_info(outcome.instance)
            row_result.instance = outcome.instance
            result.increment_row_result_total(row_result)
            result.append_row_result(row_result)
        return result


def _shown(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


_resources: dict[type, type[ApiResource]] = {}


def resource_for(model) -> type[ApiResource]:
    """The import/export resource of ``model``: one column per API field."""
    if model not in _resources:
        columns = import_string(model.api_serializer)().fields
        attrs = {
            name: fields.Field(attribute=name, column_name=name, readonly=field.read_only)
            for name, field in columns.items()
        }
        _resources[model] = type(
            f"{model.__name__}Resource", (ApiResource,), {**attrs, "facts_model": model, "__module__": __name__}
        )
    return _resources[model]
