"""Data from the clinic's MIS: reading CSV/XLSX exports, column mappings, import, export."""
