"""Oracle for engine/src/train tests: scikit-learn and LightGBM on the data the test sends.

stdin: JSON {"task": ..., "X": [[...], ...] (rows), "y": [...], "Xv": [...], "yv": [...], "params": {...}}
stdout: JSON with the task's results (a list of requests gives a list of results: one Python start).
"""
import json
import sys

import numpy as np


def one(req):
    task = req["task"]
    p = req.get("params", {})
    out = {}
    if task == "logreg":
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler
        X = np.asarray(req["X"], dtype=np.float64)
        y = np.asarray(req["y"], dtype=np.int64)
        sc = StandardScaler().fit(X)
        lr = LogisticRegression(C=p["C"], solver="newton-cholesky", tol=1e-12, max_iter=1000)
        lr.fit(sc.transform(X), y)
        out = {"coef": lr.coef_[0].tolist(), "intercept": float(lr.intercept_[0]), "mean": sc.mean_.tolist(), "scale": sc.scale_.tolist(),
               "proba": lr.predict_proba(sc.transform(X))[:, 1].tolist()}
    elif task == "gbdt":
        import lightgbm as lgb
        from sklearn.metrics import roc_auc_score
        X = np.asarray(req["X"], dtype=np.float64)
        y = np.asarray(req["y"], dtype=np.int64)
        Xv = np.asarray(req["Xv"], dtype=np.float64)
        yv = np.asarray(req["yv"], dtype=np.int64)
        m = lgb.LGBMClassifier(n_estimators=p["nEstimators"], learning_rate=p["learningRate"], max_depth=p["maxDepth"],
                               num_leaves=2 ** p["maxDepth"], min_child_samples=p["minChildSamples"], reg_lambda=p["lambdaL2"],
                               subsample=p.get("subsample", 1.0), subsample_freq=1 if p.get("subsample", 1.0) < 1 else 0,
                               colsample_bytree=p.get("colsample", 1.0), max_bin=255, num_threads=1, random_state=1, verbose=-1)
        m.fit(X, y)
        pv = m.predict_proba(Xv)[:, 1]
        out = {"auc": float(roc_auc_score(yv, pv)), "version": lgb.__version__}
    elif task == "auc":
        from sklearn.metrics import roc_auc_score
        out = {"auc": float(roc_auc_score(np.asarray(req["y"]), np.asarray(req["s"])))}
    elif task == "sigmoid":
        from sklearn.calibration import _SigmoidCalibration
        c = _SigmoidCalibration().fit(np.asarray(req["s"], dtype=np.float64), np.asarray(req["y"], dtype=np.int64))
        out = {"a": float(c.a_), "b": float(c.b_)}
    elif task == "isotonic":
        from sklearn.isotonic import IsotonicRegression
        s = np.asarray(req["s"], dtype=np.float64)
        ir = IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1).fit(s, np.asarray(req["y"], dtype=np.float64))
        out = {"pred": ir.predict(np.asarray(req["q"], dtype=np.float64)).tolist()}
    else:
        raise SystemExit(f"unknown task {task}")
    return out


def main():
    req = json.load(sys.stdin)
    json.dump([one(r) for r in req] if isinstance(req, list) else one(req), sys.stdout)


main()
