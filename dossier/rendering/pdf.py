"""HTML to PDF/A-3b with WeasyPrint: the only module that imports weasyprint.

The URL fetcher serves only files inside the folders it is given (the template
folders and the workspace's ``evidence/files/``), resolved with symbolic links
followed, with no network scheme at all: nothing is ever fetched from outside.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.request import url2pathname

import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse

logging.getLogger("fontTools").setLevel(logging.ERROR)
_ENGINE_LOG = logging.getLogger("weasyprint")
_ENGINE_LOG.propagate = False  # its messages are collected per document below, never printed raw


class _Collect(logging.Handler):
    """The engine's warnings and errors while one document renders (a worker renders one at a time)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class WorkspaceFetcher(URLFetcher):
    """Serves ``file:`` URLs inside the allowed folders; refuses everything else (and records it)."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, timeout=1)
        self.roots = [r.resolve() for r in roots]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if not url.lower().startswith("file:"):
            self.refused.append(url)
            raise ValueError(f"dossier fetches nothing outside the workspace: {url[:80]}")
        path = Path(url2pathname(url.split("?")[0].split("#")[0].removeprefix("file:").removeprefix("//")))
        try:
            resolved = path.resolve(strict=True)
        except (OSError, RuntimeError):
            self.refused.append(url)
            raise ValueError(f"no such file: {url[:80]}") from None
        if not resolved.is_file() or not any(resolved.is_relative_to(root) for root in self.roots):
            self.refused.append(url)
            raise ValueError(f"outside the allowed folders: {url[:80]}")
        media_type = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
        return URLFetcherResponse(resolved.as_uri(), body=resolved.read_bytes(),
                                  headers={"Content-Type": media_type})


def html_to_pdf(html: str, css: str, roots: list[Path]) -> tuple[bytes, list[str]]:
    """Render HTML and CSS to PDF/A-3b bytes (the manifest is attached when the document is assembled). Returns
    the PDF and what the engine warned about: each warning it logged (an unknown CSS property, a missing anchor)
    and each URL the fetcher refused, as sentences."""
    fetcher = WorkspaceFetcher(roots)
    collect = _Collect()
    _ENGINE_LOG.addHandler(collect)
    try:
        pdf = _render(html, css, roots, fetcher)
    finally:
        _ENGINE_LOG.removeHandler(collect)
    refused = [f"refused to fetch {url[:120]}: dossier reads nothing outside the template folders and "
               "evidence/files/" for url in dict.fromkeys(fetcher.refused)]
    engine = [f"the PDF engine: {m}" for m in dict.fromkeys(collect.messages)
              if not any(url[:60] in m for url in fetcher.refused)]  # the refusal is said once, above
    return pdf, refused + engine


def _render(html: str, css: str, roots: list[Path], fetcher: WorkspaceFetcher) -> bytes:
    document = weasyprint.HTML(string=html, base_url=roots[0].as_uri() + "/", url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(string=css, base_url=roots[0].as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], pdf_variant="pdf/a-3b", presentational_hints=False)
