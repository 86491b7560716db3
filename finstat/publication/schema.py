"""Arrow schemas of the publication contract (spec/indicators.md) and the publication record."""

import pyarrow as pa

FIGURES = pa.schema(
    [
        ("period", pa.string()),
        ("indicator_code", pa.string()),
        ("indicator_name", pa.string()),
        ("region_code", pa.string()),
        ("region_name", pa.string()),
        ("value", pa.decimal128(20, 4)),
        ("unit", pa.string()),
        ("version", pa.int32()),
        ("published_at", pa.timestamp("us", tz="UTC")),
    ]
)

# One row per published version: who/what/why, so a version can be explained years later.
PUBLICATIONS = pa.schema(
    [
        ("period", pa.string()),
        ("version", pa.int32()),
        ("published_at", pa.timestamp("us", tz="UTC")),
        ("run_id", pa.string()),
        ("figure_count", pa.int32()),
        ("changes_json", pa.string()),  # figures that differ from the previous version
        ("acknowledgements_json", pa.string()),  # warnings acknowledged for this publication
        ("missing_base_periods_json", pa.string()),  # indicators withheld and the months they lack
    ]
)

HISTORY_FILE = "official_figures_history.parquet"
CURRENT_FILE = "official_figures.parquet"
CURRENT_CSV = "official_figures.csv"
PUBLICATIONS_FILE = "publications.parquet"
BI_DATABASE = "finstat_bi.duckdb"

# One row per published month and base month published again after it (a correction of May flags
# the months whose growth figures use May); resolved when the flagged month is run again.
REPUBLICATION_FLAGS = pa.schema(
    [
        ("period", pa.string()),  # the month whose published figures may be stale
        ("base_period", pa.string()),  # the month it uses that got a new version
        ("base_version", pa.int32()),
        ("flagged_at", pa.timestamp("us", tz="UTC")),
        ("resolved_at", pa.timestamp("us", tz="UTC")),
        ("resolved_version", pa.int32()),  # the period's version after the re-run
        ("resolution", pa.string()),  # republished (new version) or unchanged (same figures)
    ]
)
FLAGS_FILE = "republication_flags.parquet"
