"""One real sidecar process for the Python test suites (test/kernel, test/notebooks): started from the
built CLI on a free 127.0.0.1 port with a scratch data dir, waited for on /health, stopped at the end."""
import contextlib
import json
import pathlib
import re
import subprocess
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def running_sidecar(prefix):
    """Yields {"url", "data_dir", "key"} (key: the admin API key the sidecar wrote on first start)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as data_dir:
        proc = subprocess.Popen(
            ["node", str(ROOT / "server/dist/cli/main.js"), "server", "--port", "0", "--data-dir", data_dir],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            line = proc.stdout.readline()
            match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
            if match is None:
                raise RuntimeError(f"sidecar did not start: {line!r} {proc.stderr.read()}")
            url = match.group(1)
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
            yield {"url": url, "data_dir": data_dir, "key": (pathlib.Path(data_dir) / "admin.key").read_text().strip()}
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=20)
