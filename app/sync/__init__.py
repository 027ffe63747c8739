"""Keeping the encrypted cache equal to the server: initial sync, deltas, push, local actions."""
