"""Landing files -> validated Parquet lake and ingestion log (file rules 1-5); no Dagster imports."""
