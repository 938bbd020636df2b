"""A real sidecar for the notebook tests: started from the built CLI on a free port with a scratch
data dir, found by the kernels through SIGMATIQ_DATA_DIR (sidecar.json), stopped at the end."""
import os
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test"))
from sidecar_proc import running_sidecar  # noqa: E402


@pytest.fixture(scope="session")
def sidecar():
    with running_sidecar("sigmatiq-sidecar-") as sc:
        old = os.environ.get("SIGMATIQ_DATA_DIR")
        os.environ["SIGMATIQ_DATA_DIR"] = sc["data_dir"]  # the kernels find the sidecar through it
        try:
            yield {"url": sc["url"], "data_dir": sc["data_dir"]}
        finally:
            if old is None:
                os.environ.pop("SIGMATIQ_DATA_DIR", None)
            else:
                os.environ["SIGMATIQ_DATA_DIR"] = old
