"""Directory search: criteria, results, favorites and recent correspondents."""
