"""Run as a script by tests/ui/test_app_environment.py: the app started as a frozen build starts
(sys.frozen and sys._MEIPASS set, as PyInstaller's bootloader sets them), then a link opened the
way the app opens every link and document (QDesktopServices, which runs xdg-open on Linux).

    python open_url_child.py BUNDLE_DIR URL
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from ui import app as ui_app


def main() -> int:
    bundle, url = sys.argv[1], sys.argv[2]
    sys.frozen = True  # type: ignore[attr-defined]
    sys._MEIPASS = bundle  # type: ignore[attr-defined]
    ui_app.make_application(sys.argv[:1])
    ui_app.give_children_the_user_environment()
    return 0 if QDesktopServices.openUrl(QUrl(url)) else 3


if __name__ == "__main__":
    sys.exit(main())
