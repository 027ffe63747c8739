"""Shim until EventBridge moves here from ui/mail/bridge.py (the lead drops it at merge)."""

from ui.mail.bridge import EventBridge

__all__ = ["EventBridge"]
