"""The Jupyter kernel conformance suite (jupyter_kernel_test) against the `sigmatiq` kernel.

Tests of KernelTests that do not apply, and why (left unset below, so the suite reports them
as skipped rather than passing them):
- test_pager: a TypeScript kernel has no pager payloads (IPython's `?`); %help returns a rich
  display instead.
- test_recv_iopub_welcome_msg (IopubWelcomeTests): needs an XPUB iopub socket (JEP 65); the
  kernel uses PUB like most kernels, and Jupyter does not require the welcome message.
Interrupt is not part of jupyter_kernel_test 0.7; it is tested in test_kernel_behaviour.py.
"""
import unittest

import jupyter_kernel_test as jkt


class SigmatiqKernelConformance(jkt.KernelTests):
    kernel_name = "sigmatiq"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("oops")'
    code_generate_error = 'throw new Error("boom")'

    completion_samples = [
        {"text": "Math.ab", "matches": {"abs"}},  # replaces from cursor_start (after the dot)
        {"text": "%hel", "matches": {"%help"}},
    ]
    complete_code_samples = ["1 + 1", "const a = 1;", "%help", "function f() { return 1; }"]
    incomplete_code_samples = ["function f() {", "const a = [1, 2,"]

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"a" + "b"', "result": "'ab'"},
        {"code": "[1, 2].length", "result": "2"},
    ]
    code_display_data = [
        {"code": 'import { sq } from "@sigmatiq/kernel"; sq.display(sq.html("<b>x</b>", "x"));', "mime": "text/html"},
        {"code": 'import { sq as sq2 } from "@sigmatiq/kernel"; sq2.display(sq2.plot({ data: [{ y: [1, 2] }] }));', "mime": "application/vnd.plotly.v1+json"},
    ]
    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "Math.max"
    code_clear_output = 'import { sq as sq3 } from "@sigmatiq/kernel"; sq3.clearOutput();'


if __name__ == "__main__":
    unittest.main()
