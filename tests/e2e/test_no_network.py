"""A build fetches nothing and embeds nothing from outside the workspace.

- Text fields full of URLs to a local HTTP server (http and https), ``<img>``,
  ``<link rel=stylesheet>``, ``<link rel=attachment href="file:///etc/passwd">``,
  CSS ``url()`` and ``@import``: the server must receive no connection at all.
- A workspace's own ``templates/base.css`` importing from the server: no connection either.
- Canary files outside the workspace, referenced by ``file://`` markup in a summary,
  or through a symbolic link used as an item's exhibit file: neither their text nor
  their bytes may reach any PDF (text, raw uncompressed bytes, metadata, attachments, images).
"""

from __future__ import annotations

import http.server
import re
import shutil
import struct
import subprocess
import threading
import zlib
from pathlib import Path

import pytest

from conftest import REPO, copy_root, pdf_strings_of, run_dossier

pytestmark = pytest.mark.slow

TRACEBACK = "Traceback (most recent call last)"
NEEDED = ("pdftotext", "qpdf", "pdfdetach", "pdfinfo", "pdfimages")
needs_poppler = pytest.mark.skipif(not all(shutil.which(t) for t in NEEDED),
                                   reason="needs poppler-utils (pdftotext, pdfdetach, pdfinfo, pdfimages) and qpdf")


# --------------------------------------------------------------------------- helpers

class _RecordingServer(http.server.ThreadingHTTPServer):
    """Records every connection (so a TLS hello to the plain-HTTP port counts too) and every request."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.connections: list[tuple] = []
        self.requests: list[str] = []

    def verify_request(self, request, client_address):
        self.connections.append(client_address)
        return True


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.requests.append(f"{self.command} {self.path}")
        body = b"body { color: red }" if self.path.endswith(".css") else b"x"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_HEAD = do_GET

    def log_message(self, *args):
        pass

    def log_error(self, *args):
        pass


@pytest.fixture
def server():
    srv = _RecordingServer()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


def build(ws: Path, *editions: str, timeout: float = 600) -> tuple[int, str]:
    """``dossier build`` of those editions (no proxy in the environment: it would hide a direct fetch)."""
    code, out, err = run_dossier(["build", *[a for e in editions for a in ("--edition", e)], "--workspace", ws],
                                 cwd=ws.parent, timeout=timeout)
    return code, out + err


def q(text: str) -> str:
    """A YAML single-quoted scalar."""
    return "'" + text.replace("'", "''") + "'"


def put(ws: Path, rel: str, key: str, value: str, nth: int = 1) -> None:
    """Set the ``nth`` block-style ``key: ...`` line of a file to ``value`` (already YAML)."""
    path = ws / rel
    text = path.read_text(encoding="utf-8")
    matches = list(re.finditer(rf"^(\s*(?:- )?{re.escape(key)}:) .*$", text, re.M))
    assert len(matches) >= nth, f"{rel}: no {nth}th '{key}:' line"
    m = matches[nth - 1]
    path.write_text(text[:m.start()] + f"{m.group(1)} {value}" + text[m.end():], encoding="utf-8")


def append(ws: Path, rel: str, text: str) -> None:
    path = ws / rel
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text, encoding="utf-8")


def pdf_strings(pdf: Path) -> str:
    """Everything a reader or a tool can get out of a PDF: layout and raw text, uncompressed bytes,
    XMP metadata and info, attachment names and contents, every string object (decoded)."""
    parts = []
    for mode in ([], ["-raw"]):
        parts.append(subprocess.run(["pdftotext", *mode, str(pdf), "-"], capture_output=True, text=True,
                                    errors="replace").stdout)
    parts.append(subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True,
                                errors="replace").stdout)
    qdf = pdf.with_suffix(".qdf")
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", "--stream-data=uncompress", str(pdf), str(qdf)],
                   capture_output=True)
    raw = qdf.read_bytes() if qdf.is_file() else pdf.read_bytes()
    qdf.unlink(missing_ok=True)
    parts.append(raw.decode("latin-1"))
    parts.append(raw.decode("utf-8", "ignore"))
    for m in re.finditer(rb"<(?:FEFF|feff)([0-9A-Fa-f\s]*)>", raw):  # UTF-16 hex strings (outlines, info)
        try:
            parts.append(bytes.fromhex(m.group(1).decode()).decode("utf-16-be", "ignore"))
        except ValueError:
            pass
    try:
        import pikepdf

        with pikepdf.open(pdf) as doc:
            for obj in doc.objects:
                parts.extend(pdf_strings_of(obj, 0))
    except ImportError:  # pragma: no cover - pikepdf is a dependency of dossier
        pass
    listed = subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True, errors="replace")
    parts.append(listed.stdout)
    detached = pdf.parent / (pdf.name + ".detached")
    detached.mkdir()
    subprocess.run(["pdfdetach", "-saveall", "-o", str(detached), str(pdf)], capture_output=True)
    for f in detached.iterdir():
        parts.append(f.name)
        parts.append(f.read_bytes().decode("utf-8", "replace"))
    shutil.rmtree(detached)
    text = "\n".join(parts)
    # a string broken over lines (the layout may add a hyphen, U+2010, at the break) is still found
    return text + "\n" + re.sub(r"\s+", "", re.sub(r"[\u2010\u00ad]\s*", "", text))


def attachment_names(pdf: Path) -> list[str]:
    out = subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True).stdout
    return [re.sub(r"^\d+:\s*", "", line).strip() for line in out.splitlines()[1:] if line.strip()]


def image_sizes(pdf: Path) -> list[tuple[int, int]]:
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True).stdout
    sizes = []
    for line in out.splitlines()[2:]:
        cols = line.split()
        if len(cols) > 4 and cols[3].isdigit() and cols[4].isdigit():
            sizes.append((int(cols[3]), int(cols[4])))
    return sizes


def png(width: int, height: int, text: str) -> bytes:
    """A small real PNG with a tEXt chunk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes((x * 37 + y * 11) % 256 for x in range(width * 3)) for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"tEXt", b"Comment\x00" + text.encode()) + chunk(b"IDAT", zlib.compress(rows, 9))
            + chunk(b"IEND", b""))


def pdfs(ws: Path) -> list[Path]:
    return sorted((ws / "out").rglob("*.pdf")) if (ws / "out").is_dir() else []


# --------------------------------------------------------------------------- network

def _network_pieces(port: int) -> list[str]:
    h, s = f"http://127.0.0.1:{port}", f"https://127.0.0.1:{port}"
    return [f'<img src="{h}/img.png">', f'<img src="{s}/img-tls.png">', f'<img src="//127.0.0.1:{port}/rel.png">',
            f'<link rel=stylesheet href="{h}/style.css">', f'<link rel="stylesheet" href="{s}/style-tls.css">',
            '<link rel=attachment href="file:///etc/passwd">', f'<link rel="attachment" href="{h}/attach.bin">',
            f'<style>@import url({h}/import.css); @import "{s}/import-tls.css"; '
            f'body {{ background: url({h}/bg.png) }} @font-face {{ font-family: x; src: url({s}/font.woff) }}</style>',
            f'<div style="background-image: url(\'{h}/div.png\'); list-style: url({s}/li.png)">div</div>',
            f'<object data="{h}/object.pdf"></object>', f'<embed src="{h}/embed.svg">',
            f'<iframe src="{h}/frame.html"></iframe>',
            f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{h}/svg.png" width="9" height="9"/></svg>',
            f'<video poster="{h}/poster.png" src="{h}/v.mp4"></video>', f'<a href="{h}/link">a link</a>',
            f'url({h}/bare.png)', f'@import url({s}/bare.css);', f'![image]({h}/markdown.png)', f'{h}/plain',
            f'{s}/plain-tls']


def _payloads(port: int) -> tuple[str, list[str]]:
    """The whole payload (for long text fields) and three parts of it (for fields of at most 1,000 characters)."""
    pieces = _network_pieces(port)
    whole = "Report " + " ".join(pieces)
    parts = ["Text " + " ".join(pieces[i::3]) for i in range(3)]
    assert all(len(p) < 1000 for p in parts)
    return whole, parts


def _hostile_workspace(tmp_path: Path, port: int) -> Path:
    ws = copy_root("minimal", tmp_path)
    whole, parts = _payloads(port)
    p = q(whole)  # Text fields (50,000 characters)
    s1, s2, s3 = (q(x) for x in parts)  # Short fields (1,000 characters)
    h = f"http://127.0.0.1:{port}"
    put(ws, "evidence/case.yaml", "title", s1)
    put(ws, "evidence/case.yaml", "prepared_by", s2)
    put(ws, "evidence/case.yaml", "description", p)
    put(ws, "evidence/case.yaml", "name", s3, nth=1)
    append(ws, "evidence/case.yaml", f"summary: {p}\nsubmission:\n  requests: [{p}]\n  confidential: [{p}]\n")
    for key, value in (("title", s1), ("place", s2), ("region", s3), ("name", s1), ("operator", s2), ("summary", p)):
        put(ws, "evidence/incidents/one.yaml", key, value)
    append(ws, "evidence/incidents/one.yaml", f"chronology:\n  - {{on: 2022-06-09, time: \"08:00\", text: {p}}}\n")
    put(ws, "evidence/items/report.yaml", "title", s3)
    put(ws, "evidence/items/report.yaml", "summary", p)
    put(ws, "evidence/items/report.yaml", "url", f"{h}/report-url")
    append(ws, "evidence/items/report.yaml",
           f"archive: https://127.0.0.1:{port}/archive\nexcerpts:\n  - {{text: {p}, lang: fr, translation: {p}}}\n")
    put(ws, "evidence/items/witness.yaml", "summary", p)
    put(ws, "evidence/items/witness.yaml", "role", s1)
    put(ws, "evidence/items/witness.yaml", "name", s2)
    put(ws, "evidence/items/imagery.yaml", "provider", s3)
    put(ws, "evidence/items/imagery.yaml", "analysis", p)
    put(ws, "evidence/items/imagery.yaml", "summary", p)
    for key, value in (("facility", s1), ("shared_via", s2), ("reference", s3)):
        put(ws, "evidence/items/notification.yaml", key, value)
    put(ws, "evidence/items/media.yaml", "url", f"https://127.0.0.1:{port}/media-url")
    put(ws, "evidence/sources.yaml", "name", s1, nth=1)
    put(ws, "evidence/sources.yaml", "kind", f"ngo\n  url: {h}/source-url\n  description: {p}", nth=1)
    return ws


def editions_built(ws: Path) -> set[str]:
    return {p.relative_to(ws / "out").parts[0] for p in pdfs(ws)} - {".parts"}


@needs_poppler
def test_build_fetches_nothing(tmp_path, server):
    port = server.server_address[1]
    ws = _hostile_workspace(tmp_path, port)
    code, log = build(ws, "internal", "public")
    assert TRACEBACK not in log, log[-3000:]
    assert code == 0, log[-3000:]
    assert not server.connections, f"the build connected to the local server: {server.requests or server.connections}"
    built = pdfs(ws)  # every PDF under out/, intermediate ones included
    assert editions_built(ws) == {"internal", "public"}
    # the payload reached the output, as text (so this test can fail)
    text = pdf_strings(ws / "out" / "internal" / "INC-2022-06-10-LOWMERE.pdf")
    assert f"127.0.0.1:{port}/img.png" in text
    assert "<img" in text and "@import" in text
    for pdf in built:
        assert set(attachment_names(pdf)) <= {"manifest.json"}, f"{pdf}: attachments {attachment_names(pdf)}"
        assert "root:x:0:0" not in pdf_strings(pdf), f"{pdf} contains /etc/passwd"


@needs_poppler
def test_workspace_stylesheet_fetches_nothing(tmp_path, server):
    """A workspace's own templates/base.css is read, but its network imports are not fetched."""
    port = server.server_address[1]
    ws = copy_root("minimal", tmp_path)
    builtin = (REPO / "templates" / "base.css").read_text(encoding="utf-8")
    (ws / "templates").mkdir()
    (ws / "templates" / "base.css").write_text(
        f'@import url("http://127.0.0.1:{port}/evil.css");\n@import "https://127.0.0.1:{port}/evil-tls.css";\n'
        + builtin + f"\nbody {{ background-image: url(http://127.0.0.1:{port}/bg.png) }}\n"
        f"@font-face {{ font-family: Evil; src: url(https://127.0.0.1:{port}/evil.woff) }}\n"
        "h1 { font-family: Evil, serif }\n", encoding="utf-8")
    code, log = build(ws, "internal")
    assert TRACEBACK not in log, log[-3000:]
    assert code == 0, log[-3000:]
    assert not server.connections, f"the build connected to the local server: {server.requests or server.connections}"


# --------------------------------------------------------------------------- files outside the workspace

def _canaries(tmp_path: Path) -> tuple[Path, dict[str, str], bytes]:
    """A folder outside the workspace with canary files; returns it, the canary texts, and the PNG's pixel bytes."""
    secret = tmp_path / "secret"
    secret.mkdir()
    texts = {"png": "CANARY-PNG-QXWJZKVBHT", "txt": "CANARY-TXT-MVPLRQZKWD", "css": "CANARY-CSS-FJTXWQZBNL",
             "svg": "CANARY-SVG-HZQWKXJRMT", "html": "CANARY-HTML-WZKQJXRTVB"}
    image = png(7, 13, texts["png"])
    (secret / "canary.png").write_bytes(image)
    (secret / "canary.txt").write_text(texts["txt"] + "\n", encoding="utf-8")
    (secret / "canary.css").write_text(f'body::before {{ content: "{texts["css"]}" }}\n', encoding="utf-8")
    (secret / "canary.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="50" height="20"><text y="15">{texts["svg"]}</text></svg>\n',
        encoding="utf-8")
    (secret / "canary.html").write_text(f"<p>{texts['html']}</p>\n", encoding="utf-8")
    idat = zlib.compress(b"".join(b"\x00" + bytes((x * 37 + y * 11) % 256 for x in range(21)) for y in range(13)), 9)
    return secret, texts, idat


def _assert_no_canary(ws: Path, texts: dict[str, str], idat: bytes) -> None:
    assert pdfs(ws), "no PDF was built: there is nothing to search"
    for pdf in pdfs(ws):
        found = pdf_strings(pdf)
        for kind, canary in texts.items():
            assert canary not in found, f"{pdf.relative_to(ws)} contains the {kind} canary {canary}"
        raw = pdf.read_bytes()
        assert idat not in raw, f"{pdf.relative_to(ws)} embeds the canary PNG's data"
        assert (7, 13) not in image_sizes(pdf), f"{pdf.relative_to(ws)} embeds the 7x13 canary image"
        names = attachment_names(pdf)
        assert set(names) <= {"manifest.json"}, f"{pdf.relative_to(ws)}: attachments {names}"


@needs_poppler
def test_file_urls_in_markup_embed_nothing(tmp_path, server):
    secret, texts, idat = _canaries(tmp_path)
    ws = copy_root("minimal", tmp_path)
    u = secret.as_uri()
    markup = (f'<img src="{u}/canary.png"> <img src="{secret}/canary.png"> <img src="{u}/canary.svg"> '
              f'<link rel=attachment href="{u}/canary.txt"> <link rel="attachment" href="{secret}/canary.txt"> '
              f'<link rel=stylesheet href="{u}/canary.css"> <style>@import url({u}/canary.css);</style> '
              f'<object data="{u}/canary.svg"></object> <embed src="{u}/canary.png"> '
              f'<iframe src="{u}/canary.html"></iframe> <div style="background: url({u}/canary.png)">d</div> '
              f'<img src="files/../../../../../../..{secret}/canary.png">')
    put(ws, "evidence/items/report.yaml", "summary", q("Summary " + markup))  # a public item: every edition
    put(ws, "evidence/incidents/one.yaml", "summary", q("Facts " + markup))
    code, log = build(ws, "internal", "public")
    assert TRACEBACK not in log, log[-3000:]
    assert code == 0, log[-3000:]
    assert not server.connections
    assert editions_built(ws) == {"internal", "public"}
    # the markup reached the output as text (so this test can fail)
    assert f"{secret}/canary.png" in pdf_strings(ws / "out" / "public" / "INC-2022-06-10-LOWMERE.pdf")
    _assert_no_canary(ws, texts, idat)


def _override_brief(ws: Path, markup: str) -> None:
    """A workspace template brief.html: the built-in one with ``markup`` first in its body."""
    lines = (REPO / "templates" / "brief.html").read_text(encoding="utf-8").splitlines(keepends=True)
    body = next(i for i, line in enumerate(lines) if line.startswith("<body"))
    (ws / "templates").mkdir(exist_ok=True)
    (ws / "templates" / "brief.html").write_text("".join(lines[:body + 1] + [markup + "\n"] + lines[body + 1:]),
                                                 encoding="utf-8")


@needs_poppler
@pytest.mark.parametrize("how", ["file link", "folder link"])
def test_symlinked_exhibit_outside_embeds_nothing(tmp_path, how):
    """A symbolic link in evidence/files/ to a file outside the workspace: refused as an item's exhibit file
    (nothing is built), and, asked for by the PDF engine itself (a template override that embeds it as an
    image, a stylesheet and an attachment), refused too: the PDFs built hold nothing of it. (Regression: the
    test searched the outputs of the refused build only: zero PDFs.)"""
    secret, texts, idat = _canaries(tmp_path)
    ws = copy_root("minimal", tmp_path)
    files = ws / "evidence" / "files"
    if how == "file link":
        (files / "x.png").symlink_to(secret / "canary.png")
        rel = "files/x.png"
    else:
        (files / "shared").symlink_to(secret, target_is_directory=True)
        rel = "files/shared/canary.png"
    item = ws / "evidence" / "items" / "imagery.yaml"
    original = item.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  path: .*$", f"  path: {rel}", original)
    text = re.sub(r"(?m)^  sha256: .*\n", "", text)
    text = re.sub(r"(?m)^  media_type: .*$", "  media_type: image/png", text)
    item.write_text(text, encoding="utf-8")
    code, log = build(ws, "internal", "public")
    assert TRACEBACK not in log, log[-3000:]
    assert code == 1, log[-3000:]
    assert re.search(r"(?m)^evidence/items/imagery\.yaml:11:\d+: error: file\.path: ", log), log[-3000:]
    assert not pdfs(ws), "a refused build wrote PDFs"

    # the PDF engine asked for the link (and, as a control, for a real image in evidence/files/)
    item.write_text(original, encoding="utf-8")
    (files / "control.png").write_bytes(png(5, 9, "control"))
    link = (ws / "evidence" / rel).as_uri()
    (secret / "link.css").write_text(f'body::after {{ content: "{texts["css"]}" }}\n', encoding="utf-8")
    if how == "file link":
        (files / "y.css").symlink_to(secret / "link.css")
        sheet = (files / "y.css").as_uri()
    else:
        sheet = (files / "shared" / "link.css").as_uri()
    _override_brief(ws, f'<p>OVERRIDE-MARKER</p><img src="{link}"><img src="../evidence/{rel}">'
                        f'<img src="{(files / "control.png").as_uri()}"><link rel="stylesheet" href="{sheet}">'
                        f'<link rel="attachment" href="{link}"><div style="background: url({link})">d</div>')
    code, log = build(ws, "internal", "public")
    assert TRACEBACK not in log, log[-3000:]
    assert code == 0, log[-3000:]
    brief = ws / "out" / "public" / "INC-2022-06-10-LOWMERE.pdf"
    assert "OVERRIDE-MARKER" in pdf_strings(brief), "the template override was not used: the test proves nothing"
    assert (5, 9) in image_sizes(brief), "the control image was not embedded: the test proves nothing"
    _assert_no_canary(ws, texts, idat)
