"""Recipients: records, duplicates, search, lists, and importing them from CSV and XLSX."""
