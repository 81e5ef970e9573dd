"""Static files in production: whitenoise's storage, with the site's stylesheet minified first."""

from __future__ import annotations

import rcssmin
from django.core.files.base import ContentFile
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Our own stylesheets (site/static/css/): written to be read, served minified. Third-party files
# (the admin's, the API docs') are served as their packages ship them.
MINIFY_PREFIXES = ("css/",)


def minify_css(text: str) -> str:
    """The stylesheet without comments and needless whitespace (rcssmin, as django-compressor
    uses it); what it means is unchanged."""
    return rcssmin.cssmin(text)


class MinifiedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """At collectstatic: minify our stylesheets, then hash their names and compress them (gzip,
    Brotli) as whitenoise does for every file. Development serves the source as written."""

    def _save(self, name: str, content) -> str:
        if name.startswith(MINIFY_PREFIXES) and name.endswith(".css") and ".min." not in name:
            content.seek(0)
            content = ContentFile(minify_css(content.read().decode("utf-8")).encode("utf-8"))
        return super()._save(name, content)
