"""The site's icon, drawn here rather than shipped as a binary file: 32 by 32 pixels, the masthead's navy with the
orange rule of the current page under it, as a PNG inside an ICO file (served at ``/favicon.ico``)."""
from __future__ import annotations

import struct
import zlib
from functools import lru_cache

SIZE = 32
NAVY, ORANGE = (0x1F, 0x4E, 0x79), (0xD9, 0x62, 0x2B)  # --navy and --orange of static/app.css
#: Rows of the orange rule.
RULE_ROWS = range(22, 26)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png() -> bytes:
    """The icon as an RGB PNG (filter 0 on every row)."""
    rows = b"".join(b"\0" + bytes(ORANGE if y in RULE_ROWS else NAVY) * SIZE for y in range(SIZE))
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)  # 8 bits per channel, RGB, no interlace
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows, 9))
            + _chunk(b"IEND", b""))


@lru_cache(maxsize=1)
def ico() -> bytes:
    """The icon as an ICO file holding one PNG image (6-byte header, one 16-byte directory entry, the PNG)."""
    image = png()
    entry = struct.pack("<BBBBHHII", SIZE, SIZE, 0, 0, 1, 32, len(image), 6 + 16)
    return struct.pack("<HHH", 0, 1, 1) + entry + image
