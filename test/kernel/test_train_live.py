"""%train in a real sigmatiq kernel against a real sidecar: the training job runs on a worker thread, so the
cell's progress display updates while the job trains (the updates reach the client spread over the job's
duration, not in one burst after it), and a kernel interrupt during a job cancels that job mid-way (stored
`cancelled` with its remaining steps skipped) and every combination after it, the kernel staying usable.
%validate computes on a worker thread too: an interrupt stops it at once (VALIDATE_CANCELLED, nothing stored)."""
import json
import os
import pathlib
import sys
import time
import urllib.request

import pytest
from jupyter_client.manager import start_new_kernel
from test_kernel_behaviour import outputs_for, reply_for  # one execution's outputs and shell reply

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from sidecar_proc import running_sidecar  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
TIMEOUT = 120
# A job of a few seconds on S&P 500 daily bars 1999-2018: 10 purged folds of deep trees (the cancellation
# check runs between folds, so a fold is the interrupt's granularity).
TRAIN_ARGS = "--label tb:3%:3%:10 --folds 10 --trees 500 --depth 8"


@pytest.fixture(scope="module")
def sidecar():
    with running_sidecar("sigmatiq-train-live-") as sc:
        yield sc


def get(sc, path):
    req = urllib.request.Request(sc["url"] + path, headers={"authorization": f"Bearer {sc['key']}"})
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.load(res)


@pytest.fixture(scope="module")
def kernel(sidecar):
    old = os.environ.get("SIGMATIQ_DATA_DIR")
    os.environ["SIGMATIQ_DATA_DIR"] = sidecar["data_dir"]  # the kernel finds the sidecar through it
    try:
        km, kc = start_new_kernel(kernel_name="sigmatiq", startup_timeout=TIMEOUT)
    finally:
        if old is None:
            os.environ.pop("SIGMATIQ_DATA_DIR", None)
        else:
            os.environ["SIGMATIQ_DATA_DIR"] = old
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def text(msg):
    return msg["content"].get("data", {}).get("text/plain", "")


def run_ok(kc, code):
    msg_id = kc.execute(code)
    outs = outputs_for(kc, msg_id, stamped=True)
    content = reply_for(kc, msg_id)["content"]
    assert content["status"] == "ok", (content, [m["content"] for _, m in outs])
    return outs


@pytest.fixture(scope="module")
def swept(kernel, sidecar):
    """A model on S&P 500 daily bars and a small sweep with loose gates: its PASS/MARGINAL combination ids."""
    _, kc = kernel
    run_ok(kc, """
import path from 'node:path';
import { realDataDir } from '@sigmatiq/engine';
import { sq } from '@sigmatiq/kernel';
const spx = await sq.data.import(path.join(realDataDir(), 'sp500_daily_1999_2018.csv'), { symbol: 'SPX' });
await sq.model.create('live-train', { pack: 'swing', strategy: 'momentum_swing', data: spx.snapshot.hash });
await sq.sweep.run('live-train', { type: 'simple', tag: 'live-train', space: { adx_threshold: [15, 20, 25], 'ema_fast.period': [10, 20], size_fraction: [0.05] },
  gates: { min_trades: 25, min_sharpe: -5, max_drawdown: 0.9, min_win_rate: 0, min_profit_factor: 0 }, pbo_blocks: 0 }, { workers: 0, display: false });
""")
    sweep = [s for s in get(sidecar, "/v1/sweeps?limit=500")["items"] if s["tag"] == "live-train"][-1]
    combos = get(sidecar, f"/v1/sweeps/{sweep['id']}/combinations?limit=500")["items"]
    passing = [c["combo_id"] for c in combos if c["gate_status"] != "FAIL"]
    assert len(passing) >= 2, combos
    return {"sweep": sweep["id"], "combos": passing}


def jobs_of(sidecar, sweep_id):
    return [j for j in get(sidecar, "/v1/training-jobs?limit=500")["items"] if j["sweep_id"] == sweep_id]


def test_train_progress_updates_arrive_while_the_job_runs(kernel, sidecar, swept):
    _, kc = kernel
    combo = swept["combos"][0]
    msg_id = kc.execute(f"%train live-train --combos {combo} {TRAIN_ARGS}")
    outs = outputs_for(kc, msg_id, stamped=True)
    assert reply_for(kc, msg_id)["content"]["status"] == "ok", [m["content"] for _, m in outs]
    progress = [(t, m) for t, m in outs if m["msg_type"] in ("display_data", "update_display_data") and text(m).startswith("Training combo")]
    final = [(t, m) for t, m in outs if m["msg_type"] == "execute_result"]
    assert len(final) == 1 and "completed" in text(final[0][1]), text(final[0][1]) if final else outs
    assert progress[0][1]["msg_type"] == "display_data" and all(m["msg_type"] == "update_display_data" for _, m in progress[1:])
    # Updates while the job trains (status `training`, steps running or done), before the final output...
    training = [(t, m) for t, m in progress if f"combo {combo} " in text(m) and ") training" in text(m)]
    assert len(training) >= 2, [text(m) for _, m in progress]
    assert any("▶ cross_validation" in text(m) for _, m in training), [text(m) for _, m in training]
    assert all(t <= final[0][0] for t, _ in progress)
    # ...received spread over the job, not in one burst when it ends (a job blocking the kernel thread would
    # queue every update until it returns).
    assert training[-1][0] - training[0][0] >= 0.3, [(round(t - training[0][0], 3), text(m)) for t, m in training]
    job = jobs_of(sidecar, swept["sweep"])[-1]
    assert job["status"] == "completed" and all(s["status"] == "done" for s in job["steps"]), job


def test_interrupting_train_cancels_the_running_job_and_the_next_ones(kernel, sidecar, swept):
    km, kc = kernel
    before = {j["id"] for j in jobs_of(sidecar, swept["sweep"])}
    first, second = swept["combos"][0], swept["combos"][1]
    msg_id = kc.execute(f"%train live-train --combos {first},{second} {TRAIN_ARGS} --seed 5")
    interrupted = []

    def interrupt_mid_job(msg):
        # Interrupt once the first job is in its cross-validation (the longest step).
        if not interrupted and "▶ cross_validation" in text(msg):
            interrupted.append(text(msg))
            km.interrupt_kernel()

    outs = outputs_for(kc, msg_id, interrupt_mid_job, stamped=True)
    content = reply_for(kc, msg_id)["content"]
    assert interrupted, [m["content"] for _, m in outs]
    assert content["status"] == "ok", content  # the magic ends normally and shows what happened
    final = [m for _, m in outs if m["msg_type"] == "execute_result"]
    assert final and "cancelled" in text(final[0]), text(final[0]) if final else outs
    new = [j for j in jobs_of(sidecar, swept["sweep"]) if j["id"] not in before]
    by_combo = {j["combo_ids"][0]: j for j in new}
    assert sorted(by_combo) == sorted([first, second]), new
    running = by_combo[first]
    assert running["status"] == "cancelled", running
    steps = {s["name"]: s["status"] for s in running["steps"]}
    assert steps["dataset"] == "done" and steps["artifact"] == "skipped", steps  # stopped mid-job
    assert by_combo[second]["status"] == "cancelled" and by_combo[second]["started_at"] is None, by_combo[second]
    models = get(sidecar, "/v1/trained-models?limit=500")["items"]
    assert not [m for m in models if m["training_job_id"] in (running["id"], by_combo[second]["id"])]
    # The kernel is still usable.
    outs = run_ok(kc, "40 + 2")
    assert text(outs[0][1]) == "42"


def test_interrupting_validate_stops_its_worker_and_stores_nothing(kernel, sidecar, swept):
    km, kc = kernel
    target = f"live-train:{swept['combos'][0]}"
    before = len(get(sidecar, "/v1/validations?limit=500")["items"])
    # 100,000 block permutations re-simulate the backtest 100,000 times (minutes): interrupted long before.
    msg_id = kc.execute(f"%validate {target} --permutation 100000 --bootstrap 0")
    time.sleep(3)
    km.interrupt_kernel()
    content = reply_for(kc, msg_id)["content"]
    assert content["status"] == "error" and content["ename"] == "VALIDATE_CANCELLED", content
    assert len(get(sidecar, "/v1/validations?limit=500")["items"]) == before
    outs = run_ok(kc, '"alive"')
    assert text(outs[0][1]) == "'alive'"
