"""LightGBM side of bench/train.bench.mjs: same features, labels and folds, one thread.

argv: <dir> written by the Node side: X.f64 (column-major, rows x features), y.u8, folds.json
(list of {train: path, test: path} of int32 row indices), params.json. Prints one JSON line.
"""
import json
import os
import sys
import time

import lightgbm as lgb
import numpy as np
from sklearn.metrics import roc_auc_score

d = sys.argv[1]
p = json.load(open(os.path.join(d, "params.json")))
F, n = p["features"], p["rows"]
X = np.fromfile(os.path.join(d, "X.f64"), dtype=np.float64).reshape(F, n).T.copy()
y = np.fromfile(os.path.join(d, "y.u8"), dtype=np.uint8).astype(np.int64)
out = []
for f in json.load(open(os.path.join(d, "folds.json"))):
    tr = np.fromfile(f["train"], dtype=np.int32)
    te = np.fromfile(f["test"], dtype=np.int32)
    m = lgb.LGBMClassifier(n_estimators=p["nEstimators"], learning_rate=p["learningRate"], max_depth=p["maxDepth"], num_leaves=2 ** p["maxDepth"],
                           min_child_samples=p["minChildSamples"], reg_lambda=0.0, max_bin=255, num_threads=1, random_state=1, verbose=-1)
    Xt, yt = X[tr], y[tr]
    c0 = time.process_time()
    t0 = time.perf_counter()
    m.fit(Xt, yt)
    fit_s = time.perf_counter() - t0
    cpu_s = time.process_time() - c0
    auc = roc_auc_score(y[te], m.predict_proba(X[te])[:, 1])
    out.append({"fit_s": fit_s, "cpu_s": cpu_s, "auc": float(auc)})
print(json.dumps({"version": lgb.__version__, "folds": out}))
