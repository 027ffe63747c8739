"""Teleconsultations: upcoming and past, join, copy the patient's link."""
