"""Tests of the ingestion package (bank_loans landing -> lake and ingestion log)."""
