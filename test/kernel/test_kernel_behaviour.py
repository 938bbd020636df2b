"""Behaviour of the sigmatiq kernel beyond the conformance suite: error replies for compile and
runtime errors with the next cell running normally, aborting cells queued behind an error,
interrupts (synchronous loops and pending promises), magics, and importing the engine from a
folder outside the project."""
import time

import pytest
from jupyter_client.manager import start_new_kernel

TIMEOUT = 60


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name="sigmatiq", startup_timeout=TIMEOUT)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def reply_for(kc, msg_id):
    while True:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def outputs_for(kc, msg_id, on_output=None, stamped=False):
    """Every output of the execution (with `stamped`, each as (time received, msg)); `on_output`
    is called with each as it arrives."""
    outs = []
    while True:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return outs
        if msg["msg_type"] not in ("status", "execute_input"):
            outs.append((time.monotonic(), msg) if stamped else msg)
            if on_output is not None:
                on_output(msg)


def run(kc, code):
    msg_id = kc.execute(code)
    reply = reply_for(kc, msg_id)
    return reply["content"], outputs_for(kc, msg_id)


def test_compile_error_is_a_real_error_reply_and_next_cell_runs(kernel):
    _, kc = kernel
    content, outs = run(kc, 'const n: number = "text";')
    assert content["status"] == "error"
    assert content["ename"] == "CompileError"
    assert "1:7" in content["evalue"] and "not assignable" in content["evalue"]
    assert [o["msg_type"] for o in outs] == ["error"]
    assert outs[0]["content"]["traceback"]
    # Stock tslab drops requests for 200 ms after an error; ours must answer at once.
    content, outs = run(kc, "40 + 2")
    assert content["status"] == "ok"
    assert outs[0]["content"]["data"]["text/plain"] == "42"


def test_runtime_error_keeps_name_message_and_user_stack(kernel):
    _, kc = kernel
    content, outs = run(kc, 'function f(): never { throw new TypeError("bad input"); }\nf();')
    assert content["status"] == "error"
    assert content["ename"] == "TypeError"
    assert content["evalue"] == "bad input"
    assert content["traceback"][0].startswith("TypeError: bad input")
    assert not any("tslab/dist" in line for line in content["traceback"])


def test_compile_error_positions_are_relative_to_the_cell_with_magics(kernel):
    _, kc = kernel
    content, _ = run(kc, "%version\nconst ok = 1;\nconst bad: string = 3;")
    assert content["status"] == "error"
    assert content["evalue"].startswith("3:7 - ")


def test_cells_queued_behind_an_error_are_aborted(kernel):
    _, kc = kernel
    first = kc.execute('throw new Error("first fails")')
    second = kc.execute("1 + 1")  # sent before the error reply: aborted, as ipykernel does
    r1 = reply_for(kc, first)["content"]
    r2 = reply_for(kc, second)["content"]
    assert r1["status"] == "error"
    assert r2["status"] == "aborted"
    time.sleep(0.05)
    content, _ = run(kc, "2 + 2")  # sent after the error reply: runs
    assert content["status"] == "ok"


def test_interrupt_a_synchronous_loop(kernel):
    km, kc = kernel
    msg_id = kc.execute("while (true) {}")
    time.sleep(2)
    km.interrupt_kernel()
    content = reply_for(kc, msg_id)["content"]
    assert content["status"] == "error"
    assert content["ename"] == "KeyboardInterrupt"
    content, outs = run(kc, '"alive"')
    assert content["status"] == "ok" and outs[0]["content"]["data"]["text/plain"] == "'alive'"


def test_interrupt_a_pending_promise(kernel):
    km, kc = kernel
    msg_id = kc.execute("await new Promise((resolve) => setTimeout(resolve, 600000));")
    time.sleep(2)
    km.interrupt_kernel()
    content = reply_for(kc, msg_id)["content"]
    assert content["status"] == "error"
    content, _ = run(kc, "1")
    assert content["status"] == "ok"


def test_magics_and_errors_with_codes(kernel):
    _, kc = kernel
    content, outs = run(kc, "%help")
    assert content["status"] == "ok"
    text = outs[0]["content"]["data"]["text/plain"]
    for name in ("%help", "%version", "%sidecar"):
        assert name in text
    assert "text/html" in outs[0]["content"]["data"]
    content, outs = run(kc, "%help sidecar")
    assert "Usage: %sidecar" in outs[0]["content"]["data"]["text/plain"]
    content, _ = run(kc, "%nosuchmagic")
    assert content["status"] == "error" and content["ename"] == "MAGIC_UNKNOWN"
    content, _ = run(kc, "%version extra")
    assert content["status"] == "error" and content["ename"] == "MAGIC_USAGE"


def test_engine_and_node_types_from_a_folder_outside_the_project(kernel, scratch_cwd):
    _, kc = kernel
    content, outs = run(kc, 'import { ENGINE_VERSION, SigmatiqError } from "@sigmatiq/engine";\n'
                            'const e = new SigmatiqError("X_CODE", "m");\n'
                            'const buf: Buffer = Buffer.from(e.code);\n'
                            '`${ENGINE_VERSION}:${buf.toString("hex")}:${process.cwd()}`')
    assert content["status"] == "ok", content
    value = outs[-1]["content"]["data"]["text/plain"]
    assert ":585f434f4445:" in value  # hex of "X_CODE"
    assert scratch_cwd in value


def test_leaderboard_output_is_our_mime_type(kernel):
    _, kc = kernel
    content, outs = run(kc, 'import { sq } from "@sigmatiq/kernel";\n'
                            'sq.leaderboard({ version: 1, title: "t", sweep_id: null, params: ["p"], metrics: ["sharpe_ratio"],\n'
                            '  stats: { trials: 1, dsr: null, pbo: null },\n'
                            '  rows: [{ rank: 1, gate: "PASS", config_hash: "abc", params: { p: 1 }, metrics: { sharpe_ratio: 1.5 } }] })')
    assert content["status"] == "ok", content
    data = outs[-1]["content"]["data"]
    assert data["application/vnd.sigmatiq.leaderboard.v1+json"]["rows"][0]["gate"] == "PASS"
    assert "trials 1" in data["text/plain"]
    content, _ = run(kc, 'import { sq as s2 } from "@sigmatiq/kernel"; s2.leaderboard({ version: 2 } as never)')
    assert content["status"] == "error" and content["ename"] == "LEADERBOARD_INVALID"


def test_kernel_exits_when_its_parent_dies():
    """A kernel must not outlive a Jupyter server killed without shutting it down (JPY_PARENT_PID)."""
    import os
    import subprocess
    import sys

    parent = subprocess.Popen([sys.executable, "-c", (
        "from jupyter_client.manager import start_new_kernel\n"
        "import time\n"
        "km, kc = start_new_kernel(kernel_name='sigmatiq', startup_timeout=60)\n"
        "print(km.provisioner.process.pid, flush=True)\n"
        "time.sleep(120)\n"
    )], stdout=subprocess.PIPE, text=True)
    kernel_pid = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            os.kill(kernel_pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.25)
    os.kill(kernel_pid, 9)
    raise AssertionError("the kernel outlived its parent by more than 20 s")
