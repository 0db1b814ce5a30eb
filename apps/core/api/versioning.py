from rest_framework.versioning import URLPathVersioning


class PathVersioning(URLPathVersioning):
    """``/api/<version>/…``; an unknown version is a 404 problem body."""

    default_version = "v1"
    allowed_versions = ("v1",)
    invalid_version_message = "Unknown API version. This server serves: v1 (/api/v1/)."
