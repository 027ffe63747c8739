"""Blob upload and download (RFC 8620 §6)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
