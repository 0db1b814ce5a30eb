"""Static files: hashed and compressed once ``collectstatic`` has run, working before it too."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage, with a plain URL for a file that was never collected.

    Without this, every page that links a static file (the admin, the API docs)
    is a 500 until ``collectstatic`` has run; with it, such a file is linked by
    its own name and WhiteNoise serves it from the app's folder
    (``WHITENOISE_USE_FINDERS``). A file that ``collectstatic`` itself cannot
    find is still an error.
    """

    manifest_strict = False

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if content is not None:  # collectstatic at work: a missing file is a real error
                raise
            return name
