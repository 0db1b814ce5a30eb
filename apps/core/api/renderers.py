"""The browsable API, with the project's name and links to the docs and the schema on every page."""

from rest_framework.renderers import BrowsableAPIRenderer as _BrowsableAPIRenderer


class BrowsableAPIRenderer(_BrowsableAPIRenderer):
    template = "core/browsable_api.html"
