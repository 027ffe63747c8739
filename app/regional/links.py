"""Links to the regional portal that the app opens in the system browser: one place that builds
them, so that the mail reader and Mes patients open the same page for a patient, and an INS
never changes the link's path (it is percent-encoded whole)."""

from __future__ import annotations

from urllib.parse import quote


def patient_file_url(template: str, ins: str) -> str:
    """The patient's file on the portal: the server's template (`RegionalUrls`) with `{ins}`
    replaced by the INS, percent-encoded (no '/' or '?' of it can reach the path or the query)."""
    return template.replace("{ins}", quote(ins, safe=""))


__all__ = ["patient_file_url"]
