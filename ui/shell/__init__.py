"""The app's frame: what may import every feature (the main window's pages, the navigator)."""
