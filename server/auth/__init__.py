"""Logins, passwords, tokens and throttling (DESIGN §2.1)."""
