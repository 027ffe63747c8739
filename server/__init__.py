"""The reference regional server ("sandbox"): JMAP mail, FHIR directory and regional services.

It imports nothing from app/ or ui/: the client and the server share only the wire protocol.
"""
