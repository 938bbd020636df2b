"""Shared fixtures for the kernel tests: run every kernel from a scratch folder outside the repo,
so the tests also prove that notebooks anywhere on disk can import the engine."""
import os
import tempfile

import pytest


@pytest.fixture(scope="session", autouse=True)
def scratch_cwd():
    old = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="sigmatiq-kernel-") as d:
        os.chdir(d)
        yield d
        os.chdir(old)
