"""Large messages without whole copies in memory: built, parsed and re-headed by streaming.

A message over STREAM_MIN octets is never read whole. Building writes the email package's bytes
around each big attachment, whose base64 is streamed from its blob file in line-sized chunks.
Parsing maps the file (mmap), finds the MIME structure by its boundaries, and hands the email
package a skeleton where every big non-text leaf's body is a small marker; the leaves cut out are
decoded from the map, in chunks, straight into their blob files. Text parts are parsed as
today, so bodyStructure, preview and the FTS text are the same as for a small message.
"""

from __future__ import annotations

import base64
import binascii
import email.parser
import email.policy
import hashlib
import itertools
import mmap
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

# Under this, messages and attachments take the old whole-bytes path (golden bytes unchanged).
STREAM_MIN = 4 * 1024 * 1024
_CHUNK = 57 * 18396  # ~1 MB of content: whole 76-character base64 lines
_DECODE_CHUNK = 4 * 1024 * 1024
_MARK_PREFIX = b"\x00mss-stream-cut-"
_MARK = _MARK_PREFIX + b"%d\x00"
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/=]")
_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="


def encoded_size(size: int) -> int:
    """Octets of `size` octets in base64, CRLF lines of 76 (the email package's way)."""
    return 4 * ((size + 2) // 3) + 2 * ((size + 56) // 57)


def base64_lines(path: Path) -> Iterator[bytes]:
    """The file's base64, CRLF-terminated 76-character lines, ~1 MB at a time."""
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            yield base64.encodebytes(chunk).replace(b"\n", b"\r\n")


def placeholder() -> tuple[bytes, bytes]:
    """Content to build with in place of a big attachment, and the base64 line it becomes."""
    token = os.urandom(57)
    return token, base64.b64encode(token) + b"\r\n"


def splice(built: bytes, files: dict[bytes, Path]) -> Iterator[bytes]:
    """`built` with each placeholder line replaced by its file's base64."""
    rest = 0
    found = sorted((built.find(line), line) for line in files)
    for at, line in found:
        if at < 0:
            raise ValueError("attachment placeholder lost while building")
        yield built[rest:at]
        yield from base64_lines(files[line])
        rest = at + len(line)
    yield built[rest:]


def splice_offsets(built: bytes, sizes: dict[bytes, int]) -> dict[bytes, int]:
    """Where each file's base64 starts in what `splice` writes (the body of its part)."""
    offsets: dict[bytes, int] = {}
    shift = 0
    for at, line in sorted((built.find(line), line) for line in sizes):
        offsets[line] = at + shift
        shift += encoded_size(sizes[line]) - len(line)
    return offsets


def write_temp(tmp_dir: Path, chunks: Iterable[bytes]) -> tuple[Path, str, int]:
    """The chunks into a new file of tmp_dir: its path, blob id and size."""
    digest = hashlib.sha256()
    size = 0
    fd, name = tempfile.mkstemp(dir=tmp_dir)
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                f.write(chunk)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name), "B" + digest.hexdigest(), size


def without_header(head: bytes, name: str) -> bytes:
    """The header section without the fields called `name` (their continuation lines too)."""
    kept: list[bytes] = []
    dropping = False
    prefix = name.lower().encode("ascii") + b":"
    for line in head.splitlines(keepends=True):
        if line[:1] in (b" ", b"\t") and line.strip():
            if not dropping:
                kept.append(line)
            continue
        dropping = line.lower().replace(b" ", b"").startswith(prefix)
        if not dropping:
            kept.append(line)
    return b"".join(kept)


@dataclass
class StoredMessage:
    """A message blob on disk: its header block parsed, the body left where it is."""

    blob_id: str
    path: Path
    size: int
    head: bytes  # the header section, with the empty line that ends it
    headers: Message

    @classmethod
    def open(cls, blob_id: str, path: Path) -> StoredMessage:
        size = path.stat().st_size
        with path.open("rb") as f:
            start = f.read(256 * 1024)
        end = _HEADER_END.search(start)
        head = start[: end.end()] if end else start
        headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(head)
        return cls(blob_id, path, size, head, headers)

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()

    def body_chunks(self) -> Iterator[bytes]:
        with self.path.open("rb") as f:
            f.seek(len(self.head))
            while chunk := f.read(_DECODE_CHUNK):
                yield chunk


@dataclass
class Skeleton:
    """The message with its big leaves cut out; `cuts[i]` is where marker i's body was."""

    raw: bytes
    cuts: list[tuple[int, int]]

    def cut_of(self, content: bytes) -> int | None:
        if content.startswith(_MARK_PREFIX) and content.endswith(b"\x00"):
            return int(content[len(_MARK_PREFIX) : -1])
        return None


def skeleton(mm: mmap.mmap) -> Skeleton:
    cuts: list[tuple[int, int]] = []
    _find_cuts(mm, 0, len(mm), 0, cuts)
    pieces: list[bytes] = []
    rest = 0
    for i, (start, end) in enumerate(cuts):
        pieces.append(mm[rest:start])
        pieces.append(base64.b64encode(_MARK % i) + b"\r\n")
        rest = end
    pieces.append(mm[rest:])
    return Skeleton(b"".join(pieces), cuts)


def _find_cuts(
    mm: mmap.mmap, start: int, end: int, depth: int, cuts: list[tuple[int, int]]
) -> None:
    """The big base64 non-text leaves inside mm[start:end], by the boundaries of the
    multiparts around them (what the email package would find, for well-formed MIME)."""
    window = mm[start : min(end, start + 256 * 1024)]
    found = _HEADER_END.search(window)
    if found is None:
        return
    body = start + found.end()
    headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(
        window[: found.end()]
    )
    type_ = headers.get_content_type().lower()
    if type_.startswith("multipart/"):
        boundary = headers.get_boundary()
        if not boundary or depth >= 40:
            return
        delimiter = b"--" + boundary.encode("utf-8", "surrogateescape")
        lines: list[int] = []
        at = mm.find(delimiter, body - 1, end)
        while at >= 0:
            if at == body or mm[at - 1 : at] == b"\n":
                lines.append(at)
            at = mm.find(delimiter, at + len(delimiter), end)
        for here, after in itertools.pairwise(lines):
            if mm[here + len(delimiter) : here + len(delimiter) + 2] == b"--":
                return
            line_end = mm.find(b"\n", here, end)
            part_end = after - 1
            if mm[part_end - 1 : part_end] == b"\r":
                part_end -= 1
            _find_cuts(mm, line_end + 1, part_end, depth + 1, cuts)
        return
    encoding = str(headers.get("content-transfer-encoding", "")).strip().lower()
    if (
        encoding == "base64"
        and not type_.startswith(("text/", "message/"))
        and end - body > STREAM_MIN // 4
    ):
        cuts.append((body, end))


def decoded_chunks(mm: mmap.mmap, start: int, end: int) -> Iterator[bytes]:
    """The base64 of mm[start:end] decoded, chunk by chunk (tolerant, as the email package)."""
    carry = b""
    for at in range(start, end, _DECODE_CHUNK):
        text = mm[at : min(end, at + _DECODE_CHUNK)].translate(None, b"\r\n")
        if text.translate(None, _ALPHABET):  # anything but base64 and line ends: rare
            text = _NOT_BASE64.sub(b"", text)
        text = carry + text
        pad = text.find(b"=")
        if pad >= 0:  # the end of the data: what follows padding is not base64
            text = text[:pad].ljust((pad + 3) // 4 * 4, b"=")
            yield _decode(text)
            return
        whole = len(text) // 4 * 4
        carry = text[whole:]
        yield _decode(text[:whole])
    if carry:
        yield _decode(carry.ljust((len(carry) + 3) // 4 * 4, b"="))


def _decode(text: bytes) -> bytes:
    try:
        return binascii.a2b_base64(text)
    except binascii.Error:
        return b""
