"""`python pdfium_probe.py LIBRARY PDF`: loads the PDFium library at LIBRARY with ctypes alone (no
pypdfium2: the bundle's own copy, stripped as shipped) and renders page 1 of PDF at 1 px per unit;
prints "<width>x<height> <dark pixels>". Run in its own process by tests/package/test_bundle.py,
so that the test's interpreter never holds a second PDFium."""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path


def main(library: str, pdf: str) -> int:
    lib = ctypes.CDLL(library)
    lib.FPDF_LoadMemDocument.restype = ctypes.c_void_p
    lib.FPDF_LoadMemDocument.argtypes = (ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p)
    lib.FPDF_LoadPage.restype = ctypes.c_void_p
    lib.FPDF_LoadPage.argtypes = (ctypes.c_void_p, ctypes.c_int)
    lib.FPDF_GetPageWidthF.restype = ctypes.c_float
    lib.FPDF_GetPageWidthF.argtypes = (ctypes.c_void_p,)
    lib.FPDF_GetPageHeightF.restype = ctypes.c_float
    lib.FPDF_GetPageHeightF.argtypes = (ctypes.c_void_p,)
    lib.FPDFBitmap_Create.restype = ctypes.c_void_p
    lib.FPDFBitmap_Create.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_int)
    lib.FPDFBitmap_FillRect.argtypes = (ctypes.c_void_p, *(ctypes.c_int,) * 4, ctypes.c_ulong)
    lib.FPDF_RenderPageBitmap.argtypes = (ctypes.c_void_p, ctypes.c_void_p, *(ctypes.c_int,) * 6)
    lib.FPDFBitmap_GetBuffer.restype = ctypes.c_void_p
    lib.FPDFBitmap_GetBuffer.argtypes = (ctypes.c_void_p,)
    lib.FPDFBitmap_GetStride.argtypes = (ctypes.c_void_p,)
    lib.FPDF_InitLibrary()
    data = Path(pdf).read_bytes()
    document = lib.FPDF_LoadMemDocument(data, len(data), None)
    if not document:
        print("not loaded")
        return 1
    page = lib.FPDF_LoadPage(document, 0)
    width, height = round(lib.FPDF_GetPageWidthF(page)), round(lib.FPDF_GetPageHeightF(page))
    bitmap = lib.FPDFBitmap_Create(width, height, 0)
    lib.FPDFBitmap_FillRect(bitmap, 0, 0, width, height, 0xFFFFFFFF)
    lib.FPDF_RenderPageBitmap(bitmap, page, 0, 0, width, height, 0, 0)
    stride = lib.FPDFBitmap_GetStride(bitmap)
    pixels = ctypes.string_at(lib.FPDFBitmap_GetBuffer(bitmap), stride * height)
    dark = sum(
        1
        for y in range(height)
        for x in range(width)
        if pixels[y * stride + 4 * x + 2] < 128  # red, in BGRx
    )
    print(f"{width}x{height} {dark}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
