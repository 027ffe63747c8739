"""Équipes ressources (issue 13 §4): my teams, finding a team, its templates."""
