"""Each rule's GX suite holds exactly the expectations recorded in gate_suites.json, in their order.

The record was written from the suites as they stood before a rule became a declaration (issue 17):
a suite may change only on purpose, together with its record.
"""

import json
from pathlib import Path

import pytest

from expectations.rules import GATE_RULES

RECORDED = json.loads(Path(__file__).with_name("gate_suites.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", autouse=True)
def _gx_context():
    """A suite is built inside the process's GX context, as the runner builds it."""
    from expectations.context import get_context

    get_context()


def test_every_rule_has_a_recorded_suite():
    assert [spec.rule for spec in GATE_RULES] == sorted(map(int, RECORDED))


@pytest.mark.parametrize("spec", GATE_RULES, ids=lambda s: s.check_name)
def test_the_suite_evaluates_the_recorded_expectations(spec):
    built = spec.build_suite().to_json_dict()
    assert {"name": built["name"], "expectations": built["expectations"]} == RECORDED[str(spec.rule)]
