"""Clients of the server's protocols: JMAP, auth, directory, regional services."""
