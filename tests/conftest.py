"""Shared fixtures. Every test runs with network sockets blocked: the suite proves the
tool works offline."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from analyser.resources import ROOT, load_resources
from analyser.settings import Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# `rules` (the typology lexicon) and `nlp` (blank English + sentencizer) for the typology
# tests; a test module's own fixture of the same name takes precedence.
pytest_plugins = ["tests.typology_fixtures"]

SAMPLE_NOTES = ROOT / "sample_notes"
GOLDEN = Path(__file__).parent / "golden"
SHARED = ROOT.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/golden/ from the current output instead of comparing.")


class NetworkBlocked(RuntimeError):
    pass


def block_network(mp: pytest.MonkeyPatch) -> None:
    """Make every outbound connection (and name lookup) raise NetworkBlocked."""
    def refuse(*args, **kwargs):
        raise NetworkBlocked("network access attempted during a test")

    mp.setattr(socket.socket, "connect", refuse)
    mp.setattr(socket.socket, "connect_ex", refuse)
    mp.setattr(socket, "create_connection", refuse)
    mp.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    block_network(monkeypatch)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def resources(settings: Settings):
    return load_resources(settings)


@pytest.fixture(scope="session")
def ctx(resources):
    return resources.read_context()


@pytest.fixture(scope="session")
def headers(resources):
    return resources.headers


@pytest.fixture(scope="session")
def settings_obj(settings: Settings) -> Settings:
    """The default settings under a name that does not clash with hypothesis' ``settings``."""
    return settings
