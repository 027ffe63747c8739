"""Sending: composed messages wait (encrypted) in the outbox and go out exactly once."""
