"""Every ledger row from the ledgers' start to the last export, and the months that get files."""

from __future__ import annotations

from demo.ledgers.activities import build_activities, build_visits
from demo.ledgers.base import FIRST_PERIOD, MISSING_PERIOD
from demo.ledgers.calibration import CALIBRATION_PERIOD
from demo.ledgers.documents import build_documents
from demo.ledgers.listing import build_pipeline, build_services
from demo.ledgers.pools import Pools
from demo.ledgers.projects import build_credit_and_signings, build_projects
from demo.ledgers.records import LedgerData
from demo.types import DemoDataset
from finstat.periods import add_months, month_range


def build_ledgers(dataset: DemoDataset, platform=None) -> LedgerData:
    """The three ledgers for the dataset's months (every month from 2021-01 but MISSING_PERIOD).

    The records are simulated from 2021-01 to the month after max(last, 2022-05), whatever months
    are asked for, so May 2022 always gives the report's figures; the enterprises are the
    platform's (`platform`, default the dataset's) and the banks the register's, in the city's codes.
    """
    platform = platform if platform is not None else dataset.platform
    if platform is None:
        raise ValueError("the ledgers name the platform's enterprises: build the platform first")
    pools = Pools(dataset.city, dataset.institutions, platform.enterprises)
    months = month_range(FIRST_PERIOD, add_months(max(dataset.last, CALIBRATION_PERIOD), 1))
    activities, fair_ids = build_activities(pools, months)
    projects = build_projects(pools, months)
    credits, signings = build_credit_and_signings(pools, projects, fair_ids)
    pipeline = build_pipeline(pools)
    entries = [
        *activities,
        *build_visits(pools, months),
        *(p.entry for p in projects),
        *credits,
        *signings,
        *(c.entry for c in pipeline),
        *build_services(pools, pipeline, months),
        *build_documents(dataset.city, months),
    ]
    periods = [p for p in dataset.periods if p >= FIRST_PERIOD and p != MISSING_PERIOD]
    return LedgerData(periods=periods, entries=entries)
