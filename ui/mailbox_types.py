"""The type of an MSSanté box (ANS nomenclature TRE_R257-TypeBAL), as the directory page and the
recipient picker say it next to an address (issue 14 §4)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def mailbox_type_label(kind: str | None) -> str:
    """'boîte personnelle' for PER, and so on; '' when the type is unknown."""
    labels = {
        "PER": QCoreApplication.translate("Directory", "boîte personnelle"),
        "CAB": QCoreApplication.translate("Directory", "boîte de cabinet"),
        "ORG": QCoreApplication.translate("Directory", "boîte organisationnelle"),
        "APP": QCoreApplication.translate("Directory", "boîte applicative"),
    }
    return labels.get(kind or "", "")
