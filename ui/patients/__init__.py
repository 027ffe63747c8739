"""Mes patients: the file active, the regional patient directory, a patient's care team."""
