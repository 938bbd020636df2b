"""A real sidecar for the notebook tests: started from the built CLI on a free port with a scratch
data dir, found by the kernels through SIGMATIQ_DATA_DIR (sidecar.json), stopped at the end."""
import json
import os
import pathlib
import re
import subprocess
import tempfile
import time
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def sidecar():
    with tempfile.TemporaryDirectory(prefix="sigmatiq-sidecar-") as data_dir:
        proc = subprocess.Popen(
            ["node", str(ROOT / "server/dist/cli/main.js"), "server", "--port", "0", "--data-dir", data_dir],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        line = proc.stdout.readline()
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        if match is None:
            proc.kill()
            raise RuntimeError(f"sidecar did not start: {line!r} {proc.stderr.read()}")
        url = match.group(1)
        old = os.environ.get("SIGMATIQ_DATA_DIR")
        os.environ["SIGMATIQ_DATA_DIR"] = data_dir
        try:
            deadline = time.time() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/health", timeout=2) as res:
                        json.load(res)
                        break
                except OSError:
                    if time.time() > deadline:
                        raise
                    time.sleep(0.2)
            yield {"url": url, "data_dir": data_dir}
        finally:
            if old is None:
                os.environ.pop("SIGMATIQ_DATA_DIR", None)
            else:
                os.environ["SIGMATIQ_DATA_DIR"] = old
            proc.terminate()
            proc.wait(timeout=20)
