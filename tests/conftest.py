from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import toy

import corridors as cr


@pytest.fixture(scope="session")
def toy_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return toy.write_dataset(tmp_path_factory.mktemp("toy"))


@pytest.fixture(scope="session")
def toy_net(toy_dir: Path) -> cr.Network:
    return cr.load_network(toy_dir, as_of="2021-01-01")


@pytest.fixture(scope="session")
def bundled() -> cr.Network:
    return cr.load_network(as_of="2026-11-26")
