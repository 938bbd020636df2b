"""Side-by-side sweep benchmark, Python side (run by bench/sweep.bench.mjs inside .bench-venv).

Workload (the issue): long-only MA crossover, entry = fast SMA crosses above slow SMA, exit = crosses
below, fills at the signal bar's close, all in, fee 0.1 % of each fill's value, initial cash 100,000,
fast = 2..101 x slow = 2..200 step 2 (10,000 combinations, fast >= slow kept), on the closes in
CLOSES (float64 little-endian, written by the Node side from a fixed seed).

  python sweep_bench.py numba    CLOSES OUT.bin   -> hand-fused Numba kernel, one loop per combination
  python sweep_bench.py vectorbt CLOSES OUT.bin [CHUNKS [STRIDE]]
      -> vectorbt MA.run + Portfolio.from_signals, chunked by CHUNKS fast values (e.g. "10,25": each
         setting is timed, the best reported); STRIDE > 1 runs every STRIDE-th fast value only

OUT.bin receives total_return per combination in grid order (fast outer, slow inner), float64 LE.
Prints one JSON line: engine, seconds (best setting), settings tried, peak RSS.
"""
import json
import resource
import sys
import time

import numpy as np

FAST = np.arange(2, 102)
SLOW = np.arange(2, 201, 2)
FEE = 0.001
INIT = 100_000.0


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def sma_table(close, windows):
    """SMA per window (NaN before the first full window), by cumulative sums of float64."""
    n = close.shape[0]
    out = np.full((len(windows), n), np.nan)
    csum = np.concatenate(([0.0], np.cumsum(close)))
    for k, w in enumerate(windows):
        out[k, w - 1:] = (csum[w:] - csum[:-w]) / w
    return out


def run_numba(close, out_path):
    import numba as nb

    @nb.njit(cache=False, fastmath=False)
    def one(close, a, b, fee, init):
        # a = fast SMA, b = slow SMA; cross_above(a, b) at t: a[t] > b[t] and a[t-1] <= b[t-1].
        cash = init
        qty = 0.0
        inpos = False
        n = close.shape[0]
        for t in range(1, n):
            at = a[t]
            bt = b[t]
            ap = a[t - 1]
            bp = b[t - 1]
            if np.isnan(at) or np.isnan(bt) or np.isnan(ap) or np.isnan(bp):
                continue
            c = close[t]
            if inpos:
                if at < bt and ap >= bp:
                    cash += qty * c - qty * c * fee
                    qty = 0.0
                    inpos = False
            elif at > bt and ap <= bp:
                qty = cash / (c * (1.0 + fee))
                cash -= qty * c + qty * c * fee
                inpos = True
        return (cash + qty * close[n - 1]) / init - 1.0

    @nb.njit(parallel=True)
    def grid_parallel(close, fast_tab, slow_tab, fee, init):
        nf = fast_tab.shape[0]
        ns = slow_tab.shape[0]
        out = np.empty(nf * ns)
        for k in nb.prange(nf * ns):
            out[k] = one(close, fast_tab[k // ns], slow_tab[k % ns], fee, init)
        return out

    @nb.njit
    def grid_serial(close, fast_tab, slow_tab, fee, init):
        nf = fast_tab.shape[0]
        ns = slow_tab.shape[0]
        out = np.empty(nf * ns)
        for k in range(nf * ns):
            out[k] = one(close, fast_tab[k // ns], slow_tab[k % ns], fee, init)
        return out

    # Compile on a tiny input first: compilation is not part of the timing.
    tiny = close[:300].copy()
    grid_parallel(tiny, sma_table(tiny, FAST[:2]), sma_table(tiny, SLOW[:2]), FEE, INIT)
    grid_serial(tiny, sma_table(tiny, FAST[:2]), sma_table(tiny, SLOW[:2]), FEE, INIT)
    results = {}
    cpu = {}
    out = None
    for name, fn in (("parallel", grid_parallel), ("serial", grid_serial)):
        t0 = time.perf_counter()
        c0 = time.process_time()
        fast_tab = sma_table(close, FAST)
        slow_tab = sma_table(close, SLOW)
        res = fn(close, fast_tab, slow_tab, FEE, INIT)
        results[name] = time.perf_counter() - t0
        cpu[name] = time.process_time() - c0
        if out is None:
            out = res
    out.astype("<f8").tofile(out_path)
    return {"engine": "numba", "seconds": results["parallel"], "cpu_seconds": cpu["parallel"],
            "settings": {k: round(v, 4) for k, v in results.items()}, "cpu_settings": {k: round(v, 4) for k, v in cpu.items()},
            "threads": nb.get_num_threads(), "version": nb.__version__}


def run_vectorbt(close_arr, out_path, chunk_options, stride=1):
    import pandas as pd
    import vectorbt as vbt

    close = pd.Series(close_arr)
    fast_values = FAST[::stride]
    tried = {}
    best = None
    best_cpu = None
    best_out = None
    for chunk in chunk_options:
        t0 = time.perf_counter()
        c0 = time.process_time()
        parts = []
        for start in range(0, len(fast_values), chunk):
            fw = fast_values[start:start + chunk]
            # Every (fast, slow) pair of this chunk, fast outer and slow inner.
            fws = np.repeat(fw, len(SLOW))
            sws = np.tile(SLOW, len(fw))
            fast_ma = vbt.MA.run(close, window=list(fws), short_name="fast")
            slow_ma = vbt.MA.run(close, window=list(sws), short_name="slow")
            entries = fast_ma.ma_crossed_above(slow_ma)
            exits = fast_ma.ma_crossed_below(slow_ma)
            pf = vbt.Portfolio.from_signals(close, entries, exits, fees=FEE, init_cash=INIT, size=np.inf,
                                            direction="longonly", min_size=0.0, freq="1D")
            parts.append(np.asarray(pf.total_return().values, dtype=np.float64))
            del fast_ma, slow_ma, entries, exits, pf
        secs = time.perf_counter() - t0
        cpu = time.process_time() - c0
        tried[str(chunk)] = round(secs, 3)
        if best is None or secs < best:
            best = secs
            best_cpu = cpu
            best_out = np.concatenate(parts)
    best_out.astype("<f8").tofile(out_path)
    return {"engine": "vectorbt", "seconds": best, "cpu_seconds": best_cpu, "settings": tried, "version": vbt.__version__,
            "combos": int(len(fast_values) * len(SLOW)), "fast_stride": stride}


def main():
    engine, closes_path, out_path = sys.argv[1], sys.argv[2], sys.argv[3]
    close = np.fromfile(closes_path, dtype="<f8")
    if engine == "numba":
        res = run_numba(close, out_path)
    elif engine == "vectorbt":
        chunks = [int(x) for x in (sys.argv[4] if len(sys.argv) > 4 else "10,25").split(",")]
        stride = int(sys.argv[5]) if len(sys.argv) > 5 else 1
        res = run_vectorbt(close, out_path, chunks, stride)
    else:
        raise SystemExit(f"unknown engine {engine}")
    res["bars"] = int(close.shape[0])
    res.setdefault("combos", int(len(FAST) * len(SLOW)))
    res["peak_rss_bytes"] = peak_rss_bytes()
    print(json.dumps(res))


if __name__ == "__main__":
    main()
