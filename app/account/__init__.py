"""The user's account on this machine: vault (cache key), keyring (refresh token), login."""
