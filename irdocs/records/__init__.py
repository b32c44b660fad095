"""The records: read with their file and line (load), typed (model), checked (validate),
counted (stats), selected (select), and changed from spreadsheets and forms (importer, export,
append, entry, scaffold)."""
