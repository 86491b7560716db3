"""Demo fixtures: one build and one written landing shared by the demo tests."""

from __future__ import annotations

import pytest

from demo.generator import build_dataset, write_landing


@pytest.fixture(scope="session")
def dataset():
    return build_dataset()


@pytest.fixture(scope="session")
def rebuilt():
    """A second, independent build: determinism is that it equals the first one."""
    return build_dataset()


@pytest.fixture(scope="session")
def landing(tmp_path_factory, dataset):
    root = tmp_path_factory.mktemp("demo_landing")
    return root, write_landing(dataset, root)
