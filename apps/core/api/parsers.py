"""JSON request bodies, bounded: nesting depth, and no NUL characters anywhere."""

from rest_framework import exceptions
from rest_framework.parsers import JSONParser

# No request body of this API nests deeper than a fact's citations (3 levels); 16 leaves room.
MAX_DEPTH = 16
NUL_MESSAGE = "NUL characters (\\u0000) are not allowed."


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, with a 400 for nesting too deep and for a NUL in any string.

    Python's parser would recurse until a RecursionError (a 500), and PostgreSQL
    refuses NUL in text columns (another 500, wherever a field has no NUL check).
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(f"JSON parse error - nested more than {MAX_DEPTH} levels deep.") from None
        errors = {}
        check(data, "", 0, errors)
        if errors:
            raise exceptions.ValidationError(errors)
        return data


def check(value, path: str, depth: int, errors: dict) -> None:
    if depth > MAX_DEPTH:
        raise exceptions.ParseError(f"JSON parse error - nested more than {MAX_DEPTH} levels deep.")
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if "\x00" in key:
                errors[path or "non_field_errors"] = [NUL_MESSAGE]
            check(item, where, depth + 1, errors)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check(item, f"{path}.{index}" if path else str(index), depth + 1, errors)
    elif isinstance(value, str) and "\x00" in value:
        errors[path or "non_field_errors"] = [NUL_MESSAGE]
