"""The login window."""
