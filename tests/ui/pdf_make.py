"""Small PDFs made by hand for the preview tests: one page of a given size with a drawing on it,
optionally encrypted with a user password (the standard security handler, revision 2: 40-bit
RC4, ISO 32000-1 §7.6.3, algorithms 2, 3 and 4), which PDFium cannot open without it."""

from __future__ import annotations

import hashlib

from server.documents.pdf import pdf_body

# ISO 32000-1 §7.6.3.3, algorithm 2, step a: the padding of passwords.
PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
FILE_ID = bytes.fromhex("5c0a0b1e2f3a4b5c6d7e8f9012345678")
PERMISSIONS = -4  # every right (bits 1-2 must be 0)


def rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def _padded(password: str) -> bytes:
    return (password.encode("latin-1") + PAD)[:32]


def encryption(user: str, owner: str) -> tuple[bytes, bytes, bytes]:
    """(/O, /U, the file key) of revision 2 for these passwords."""
    o = rc4(hashlib.md5(_padded(owner)).digest()[:5], _padded(user))  # noqa: S324 (PDF's own)
    seed = _padded(user) + o + PERMISSIONS.to_bytes(4, "little", signed=True) + FILE_ID
    key = hashlib.md5(seed).digest()[:5]  # noqa: S324
    return o, rc4(key, PAD), key


def one_page_pdf(width: float, height: float, user_password: str | None = None) -> bytes:
    """A valid PDF of one `width` × `height` page (units of 1/72 in) with a dark rectangle over
    its middle; encrypted when a `user_password` is given (its content stream too)."""
    drawing = b"0.1 0.2 0.5 rg %.2f %.2f %.2f %.2f re f\n" % (
        width / 4,
        height / 4,
        width / 2,
        height / 2,
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents 4 0 R >>"
        % (width, height),
    ]
    encrypt = b""
    if user_password is not None:
        o, u, key = encryption(user_password, "propriétaire")
        object_key = hashlib.md5(key + (4).to_bytes(3, "little") + b"\0\0").digest()[:10]  # noqa: S324
        drawing = rc4(object_key, drawing)
        objects.append(b"")  # the content stream, below
        objects.append(
            b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
            % (o.hex().encode(), u.hex().encode(), PERMISSIONS)
        )
        encrypt = b" /Encrypt 5 0 R"
    else:
        objects.append(b"")
    objects[3] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(drawing), drawing)
    out, xref_at = pdf_body(objects)
    out += b"trailer\n<< /Size %d /Root 1 0 R /ID [<%s> <%s>]%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        FILE_ID.hex().encode(),
        FILE_ID.hex().encode(),
        encrypt,
        xref_at,
    )
    return bytes(out)
