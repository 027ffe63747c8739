"""Téléexpertise: my requests and the ones I received, their detail and actions, new requests."""
