"""One ephemeral, offline GX context per process, with a pandas datasource for rule frames."""

from __future__ import annotations

import functools

# GX's analytics are switched off by the package (expectations/__init__.py), imported before this.
import great_expectations as gx
from great_expectations.data_context.types.base import ProgressBarsConfig

_DATASOURCE = "finstat_rule_frames"


@functools.lru_cache(maxsize=1)
def get_context():
    """Ephemeral context: nothing is written to disk and nothing is fetched from the network."""
    context = gx.get_context(mode="ephemeral")
    # Progress bars would flood the Dagster and CLI logs with one line per metric.
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.data_sources.add_pandas(_DATASOURCE)
    return context


def batch_definition(asset_name: str):
    """A whole-dataframe batch definition for a named asset, created on first use."""
    datasource = get_context().data_sources.get(_DATASOURCE)
    try:
        asset = datasource.get_asset(asset_name)
    except LookupError:
        asset = datasource.add_dataframe_asset(asset_name)
    try:
        return asset.get_batch_definition("whole")
    except (KeyError, LookupError):
        return asset.add_batch_definition_whole_dataframe("whole")
