"""What 03-train-validate must leave behind, checked in its executed outputs and in the sidecar it ran
against: two completed training jobs (every step done) with metrics and feature importance, two trained
models whose artifacts hash to their ids, validations (permutation + bootstrap, and walk-forward) linked to
each trained model, and a verdict computed for each combination."""
import hashlib
import re
import urllib.request

from research_checks import PLOTLY, Sidecar, rich_outputs

STEPS = ["dataset", "leakage_check", "cross_validation", "calibration", "final_fit", "importance", "backtest", "artifact"]


def check_train_validate(nb, sidecar):
    sc = Sidecar(sidecar)
    sweep = sc.sweep("swing-train")
    jobs = [j for j in sc.pages("/v1/training-jobs") if j["sweep_id"] == sweep["id"]]
    assert len(jobs) == 2, jobs
    combos = {c["combo_id"]: c for c in sc.pages(f"/v1/sweeps/{sweep['id']}/combinations")}
    models = [m for m in sc.pages("/v1/trained-models") if m["sweep_id"] == sweep["id"]]
    assert len(models) == 2, models
    for job in jobs:
        assert job["status"] == "completed" and job["progress"] == 1, job
        assert [s["name"] for s in job["steps"]] == STEPS and all(s["status"] == "done" for s in job["steps"]), job["steps"]
        assert combos[job["combo_ids"][0]]["gate_status"] in ("PASS", "MARGINAL")
        metrics = sc.pages(f"/v1/training-jobs/{job['id']}/metrics")
        assert {m["split"] for m in metrics if m["fold"] is None} == {"train", "validation"}, metrics
        assert len([m for m in metrics if m["fold"] is not None]) == 5
        assert len(sc.pages(f"/v1/training-jobs/{job['id']}/feature-importance")) >= 3
    for model in models:
        req = urllib.request.Request(f"{sc.url}/v1/artifacts/{model['artifact_hash']}", headers={"authorization": f"Bearer {sc.key}"})
        with urllib.request.urlopen(req, timeout=30) as res:
            assert hashlib.sha256(res.read()).hexdigest() == model["artifact_hash"]
        vals = sc.pages(f"/v1/validations?trained_model_id={model['id']}")
        permutation = [v for v in vals if v["permutation_pvalue"] is not None]
        walk = [v for v in vals if v["payload"].get("walk_forward") is not None]
        assert len(permutation) == 1 and len(walk) == 1, vals
        v = permutation[0]
        assert v["payload"]["permutation"]["permutations"] == 1000 and v["payload"]["bootstrap"]["resamples"] == 1000
        assert v["bootstrap_method"] in ("hadj_bb", "simple") and v["bootstrap_sharpe_low"] <= v["bootstrap_sharpe_high"]
        assert len(walk[0]["payload"]["walk_forward"]["windows"]) >= 5
    texts = [o.get("text", "") for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", []) if o.output_type == "stream"]
    verdicts = re.findall(r"combination (\d+): (KEEP|DISCARD)", "".join(texts))
    assert sorted(int(c) for c, _ in verdicts) == sorted(m["combo_id"] for m in models), verdicts
    plots = [o for o in rich_outputs(nb) if PLOTLY in o.data]
    titles = " ".join(o.data["text/plain"] for o in plots)
    for title in ("ROC curve", "Feature importance", "Calibration", "stitched out-of-sample equity"):
        assert title in titles, title
