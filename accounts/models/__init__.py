"""Reader-side models, one module per area; each area's models are imported here."""
