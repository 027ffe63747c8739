"""MonSisra bureau's client core: no Qt here, typed, testable without a display."""
