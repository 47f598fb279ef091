"""Image exhibits a brief cannot show are never silently left out: a located warning names the item and the
file, and the brief says why the picture is missing.

The large image is a PNG header claiming 60,000 x 60,000 pixels with a tiny compressed IDAT: 109 bytes on
disk, far beyond Pillow's decompression-bomb limit (the PDF engine would refuse to decode it).
"""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

import pikepdf
from PIL import Image

INCIDENT = "INC-2022-06-10-LOWMERE"
WARNING = ("evidence/items/imagery.yaml:11:3: warning: EV-S1: file.path: the image files/big.png is 60000 x 60000 pixels, "
           "too large to show in a brief: it is listed, not embedded [image-not-shown]")
PHOTO = """\
id: EV-P1
type: photo
title: Photo of the clinic's east wing
incidents: [INC-2022-06-10-LOWMERE]
source: SRC-NGO
credibility: 2
date: 2022-06-11
confidentiality: public
summary: The east wing after the strike.
file: {path: files/small.png, media_type: image/png}
chain_of_custody:
  - {on: 2022-06-11, by: Legal team intake, action: received}
supports:
  - element: rs-8-2-e-iv/2
"""


def huge_png(path: Path, width: int = 60000, height: int = 60000) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    rows = zlib.compress(b"\0" * (1 + (width + 7) // 8) * 4)  # a few rows: the header is what is read
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


def image_workspace(make_ws, edit) -> Path:
    """minimal, with EV-S1's exhibit a huge PNG and a new photo EV-P1 with a small one."""
    ws = make_ws("minimal")
    huge_png(ws / "evidence/files/big.png")
    Image.new("RGB", (8, 6), (200, 30, 30)).save(ws / "evidence/files/small.png")
    edit(ws, "evidence/items/imagery.yaml", "  path: files/ev-s1-after.txt\n"
         "  sha256: 019e84c61dc02f5d5c7f34a769f1d4280091ed42dcb54b0a432025aa96799809\n  media_type: text/plain",
         "  path: files/big.png\n  media_type: image/png")
    (ws / "evidence/items/photo.yaml").write_text(PHOTO, encoding="utf-8")
    return ws


def test_validate_warns_of_an_image_too_large_to_show(make_ws, edit, run_cli, problems):
    ws = image_workspace(make_ws, edit)
    code, out, err = run_cli(["validate", "--workspace", ws])
    assert code == 0, err
    lines = problems(err)
    assert WARNING in lines, err
    assert not any("small.png" in line for line in lines), err  # a small image is shown: nothing to say
    code, out, err = run_cli(["validate", "--strict", "--workspace", ws])
    assert code == 1 and WARNING.replace("warning:", "error:") in err, err


def test_validate_warns_of_an_image_that_is_not_one(make_ws, edit, run_cli, problems):
    ws = make_ws("minimal")
    edit(ws, "evidence/items/imagery.yaml", "media_type: text/plain", "media_type: image/png")
    code, out, err = run_cli(["validate", "--workspace", ws])
    assert code == 0, err
    assert problems(err) == [
        "evidence/items/imagery.yaml:11:3: warning: EV-S1: file.path: the image files/ev-s1-after.txt is not an image file "
        "dossier can read (check its media_type): it is listed, not embedded [image-not-shown]"]


def test_the_brief_lists_the_large_image_and_says_why_it_is_not_shown(make_ws, edit, run_cli):
    ws = image_workspace(make_ws, edit)
    code, out, err = run_cli(["build", "--workspace", ws, "--edition", "internal", "--incident", INCIDENT,
                              "--jobs", "1"])
    assert code == 0, err
    assert WARNING in err.splitlines(), err
    pdf = ws / "out" / "internal" / f"{INCIDENT}.pdf"
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "image too large to show (60000 x 60000 px)" in text
    assert "evidence/files/big.png" in text  # still listed, with its path
    with pikepdf.open(pdf) as document:
        sizes = {(int(image.Width), int(image.Height)) for page in document.pages for image in page.get_images().values()}
    assert sizes == {(8, 6)}, sizes  # the small photo is embedded, the large image is not
