"""The professionals' directory as FHIR R4 in the shapes of the national Annuaire Santé API."""
