"""Desktop-level windows and dialogs: settings, journal, tray, lock."""
