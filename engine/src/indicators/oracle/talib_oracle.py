"""TA-Lib oracle for the indicator tests.

Usage: python talib_oracle.py BARS.csv < calls.json > results.json

BARS.csv has the header ts,open,high,low,close,volume (the format of shared/data/real); an empty
volume field reads as 0, like the engine's test loader. calls.json is a list of
{"fn": "MACD", "inputs": ["close"], "args": {"fastperiod": 12, ...}}; the answer is a list with,
per call, a list of output arrays, each the base64 of its little-endian float64 bytes (exact,
NaN kept, and fast to move for 45k-bar files).
"""
import base64
import csv
import json
import sys

try:
    import numpy as np
    import talib
except ImportError as exc:  # the test turns this into a failure with the message below
    sys.stderr.write(f"TALIB_MISSING: {exc}; run .venv/bin/pip install -r requirements.txt\n")
    sys.exit(3)


def load(path):
    cols = {k: [] for k in ("open", "high", "low", "close", "volume")}
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            for k in cols:
                text = row[k]
                cols[k].append(float(text) if text != "" else 0.0)
    return {k: np.asarray(v, dtype=np.float64) for k, v in cols.items()}


def encode(arr):
    return base64.b64encode(np.ascontiguousarray(arr, dtype="<f8").tobytes()).decode("ascii")


def main():
    cols = load(sys.argv[1])
    calls = json.load(sys.stdin)
    results = []
    for call in calls:
        fn = getattr(talib, call["fn"])
        out = fn(*[cols[name] for name in call["inputs"]], **call.get("args", {}))
        if not isinstance(out, tuple):
            out = (out,)
        results.append([encode(np.asarray(o, dtype=np.float64)) for o in out])
    json.dump({"version": talib.__ta_version__.decode(), "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
