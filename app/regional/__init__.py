"""The regional services (file active, care teams, access journal, téléexpertise,
teleconsultations, équipes ressources) as the app and the CLI use them: typed records in, typed
records out, the offline rule in one place."""
