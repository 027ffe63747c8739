"""Regional services: patients, teleconsultations, téléexpertise, équipes ressources."""
