"""EventSource push (RFC 8620 §7.3)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
