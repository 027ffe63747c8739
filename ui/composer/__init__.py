"""The composer: recipients with completion, the patient, documents by insertion or drag-and-drop
with their type, drafts kept in the encrypted cache, sending through the outbox."""
