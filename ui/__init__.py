"""MonSisra bureau's desktop UI (PySide6), built on app/."""
