"""What 03-train-validate must leave behind, checked in its executed outputs and in the sidecar it ran
against: two completed training jobs (every step done) with metrics and feature importance, two trained
models whose artifacts hash to their ids and hold content only (the model version's config hash, no sidecar
model id), an out-of-sample backtest run with the combination's backtest settings, validations (permutation +
bootstrap, and walk-forward) linked to each trained model whose permutation statistic is the backtest's own net
Sharpe, and for each combination a verdict that agrees with the rule recomputed here from what the sidecar holds."""
import hashlib
import json
import os
import re
import urllib.request

import nbformat

from research_checks import PLOTLY, Sidecar, rich_outputs

STEPS = ["dataset", "leakage_check", "cross_validation", "calibration", "final_fit", "importance", "backtest", "artifact"]


def recomputed_verdict(validation, walk, auc):
    """The notebook's decision rule (cell "4. The decision"), from the stored rows."""
    wf = walk["payload"]["walk_forward"]
    degradation = wf["degradation"]
    checks = [
        validation["permutation_pvalue"] is not None and validation["permutation_pvalue"] < 0.05,
        validation["bootstrap_sharpe_low"] is not None and validation["bootstrap_sharpe_low"] > 0,
        wf["out_of_sample"]["sharpe_ratio"] is not None and wf["out_of_sample"]["sharpe_ratio"] > 0,
        degradation is not None and degradation <= 0.5,
        auc is not None and auc > 0.52,
    ]
    return "KEEP" if all(checks) else "DISCARD"


def check_train_validate(nb, sidecar):
    if os.environ.get("SIGMATIQ_NB_OUT"):  # keep the executed notebook for reading (debugging aid)
        nbformat.write(nb, os.environ["SIGMATIQ_NB_OUT"])
    sc = Sidecar(sidecar)
    sweep = sc.sweep("swing-train")
    version = sc.get(f"/v1/model-versions/{sweep['model_version_id']}")
    jobs = [j for j in sc.pages("/v1/training-jobs") if j["sweep_id"] == sweep["id"]]
    assert len(jobs) == 2, jobs
    combos = {c["combo_id"]: c for c in sc.pages(f"/v1/sweeps/{sweep['id']}/combinations")}
    models = [m for m in sc.pages("/v1/trained-models") if m["sweep_id"] == sweep["id"]]
    assert len(models) == 2, models
    auc_of_job = {}
    for job in jobs:
        assert job["status"] == "completed" and job["progress"] == 1, job
        assert [s["name"] for s in job["steps"]] == STEPS and all(s["status"] == "done" for s in job["steps"]), job["steps"]
        combo = combos[job["combo_ids"][0]]
        assert combo["gate_status"] in ("PASS", "MARGINAL")
        metrics = sc.pages(f"/v1/training-jobs/{job['id']}/metrics")
        assert {m["split"] for m in metrics if m["fold"] is None} == {"train", "validation"}, metrics
        assert len([m for m in metrics if m["fold"] is not None]) == 5
        assert len(sc.pages(f"/v1/training-jobs/{job['id']}/feature-importance")) >= 3
        validation = next(m for m in metrics if m["split"] == "validation" and m["fold"] is None)
        auc_of_job[job["id"]] = validation["auc_roc"]
        # The OOS backtest ran with the combination's backtest settings (the sweep sizes at size_fraction 0.05).
        backtest = validation["extra"]["backtest"]
        assert backtest["backtest_params"] == {"size_fraction": combo["params"]["size_fraction"]}, backtest
    verdicts_expected = {}
    for model in models:
        req = urllib.request.Request(f"{sc.url}/v1/artifacts/{model['artifact_hash']}", headers={"authorization": f"Bearer {sc.key}"})
        with urllib.request.urlopen(req, timeout=30) as res:
            body = res.read()
        assert hashlib.sha256(body).hexdigest() == model["artifact_hash"]
        meta = json.loads(body)["metadata"]
        # Content only: the model version's config hash, not the sidecar's model id; no sidecar snapshot id.
        assert "model_id" not in meta and meta["model_config_hash"] == version["config_hash"], meta
        assert model["model_id"] not in body.decode() and sweep["data_snapshot_id"] not in body.decode()
        vals = sc.pages(f"/v1/validations?trained_model_id={model['id']}")
        permutation = [v for v in vals if v["permutation_pvalue"] is not None]
        walk = [v for v in vals if v["payload"].get("walk_forward") is not None]
        assert len(permutation) == 1 and len(walk) == 1, vals
        v = permutation[0]
        assert v["payload"]["permutation"]["permutations"] == 1000 and v["payload"]["bootstrap"]["resamples"] == 1000
        assert v["bootstrap_method"] in ("hadj_bb", "simple") and v["bootstrap_sharpe_low"] <= v["bootstrap_sharpe_high"]
        assert len(walk[0]["payload"]["walk_forward"]["windows"]) >= 5
        # One Sharpe ratio: the permutation test observes the combination's backtest Sharpe (net of costs, the sweep's
        # sizing), the number the leaderboard shows, and the bootstrap's estimate is the same one.
        perm = v["payload"]["permutation"]
        sharpe = combos[model["combo_id"]]["backtest_metrics"]["sharpe_ratio"]
        assert perm["statistic"] == "strategy_net", perm
        assert abs(perm["observed"] - sharpe) <= 1e-9 * max(1.0, abs(sharpe)), (perm["observed"], sharpe)
        assert abs(v["payload"]["bootstrap"]["sharpe"]["estimate"] - sharpe) <= 1e-9 * max(1.0, abs(sharpe))
        verdicts_expected[model["combo_id"]] = recomputed_verdict(v, walk[0], auc_of_job[model["training_job_id"]])
    texts = [o.get("text", "") for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", []) if o.output_type == "stream"]
    verdicts = re.findall(r"combination (\d+): (KEEP|DISCARD)", "".join(texts))
    assert sorted(int(c) for c, _ in verdicts) == sorted(m["combo_id"] for m in models), verdicts
    # The printed verdicts are the rule applied to the stored numbers.
    assert {int(c): v for c, v in verdicts} == verdicts_expected, (verdicts, verdicts_expected)
    # The side-by-side summary agrees with the verdicts.
    kept = [c for c, v in verdicts_expected.items() if v == "KEEP"]
    summary = "".join(texts)
    if not kept:
        assert "Neither combination survives." in summary, summary
    elif len(kept) == 1:
        assert f"Combination {kept[0]} is kept;" in summary, summary
    plots = [o for o in rich_outputs(nb) if PLOTLY in o.data]
    titles = " ".join(o.data["text/plain"] for o in plots)
    for title in ("ROC curve", "Feature importance", "Calibration", "stitched out-of-sample equity"):
        assert title in titles, title
