"""Demo data for finstat: shipped reference CSVs and a deterministic bank_loans extract generator."""
