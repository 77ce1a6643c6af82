"""Fixtures for the trigger tests: the default policy, loaded once."""

from __future__ import annotations

import pytest

from analyser.triggers import Policy, load_policy


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()
