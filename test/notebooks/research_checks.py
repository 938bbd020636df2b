"""What the research notebooks (01-swing-research, 02-intraday-fx) must leave behind, checked in
their executed outputs and in the sidecar they ran against: sweeps with every combination, the
statistics the leaderboard header shows, and the lineage of each sweep back to its pack and data."""
import json
import pathlib
import re
import urllib.request

LEADERBOARD = "application/vnd.sigmatiq.leaderboard.v1+json"
PLOTLY = "application/vnd.plotly.v1+json"
HEX64 = re.compile(r"^[0-9a-f]{64}$")


class Sidecar:
    def __init__(self, sidecar):
        self.url = sidecar["url"]
        self.key = (pathlib.Path(sidecar["data_dir"]) / "admin.key").read_text().strip()

    def get(self, path):
        req = urllib.request.Request(self.url + path, headers={"authorization": f"Bearer {self.key}"})
        with urllib.request.urlopen(req, timeout=30) as res:
            return json.load(res)

    def pages(self, path):
        items, offset = [], 0
        sep = "&" if "?" in path else "?"
        while True:
            page = self.get(f"{path}{sep}limit=500&offset={offset}")["items"]
            items += page
            if len(page) < 500:
                return items
            offset += 500

    def sweep(self, tag):
        tagged = [s for s in self.pages("/v1/sweeps") if s["tag"] == tag]
        assert tagged, f"no sweep tagged {tag!r} in the sidecar"
        return tagged[-1]


def rich_outputs(nb):
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])
            if o.output_type in ("execute_result", "display_data")]


def check_sweep(sc, tag, *, kind, exact=None, at_most=None):
    """The sweep exists, finished, holds its combinations (distinct params, config hashes) and its statistics."""
    s = sc.sweep(tag)
    assert s["type"] == kind and s["run"]["status"] == "completed", s
    combos = sc.pages(f"/v1/sweeps/{s['id']}/combinations")
    if exact is not None:
        assert len(combos) == exact, (tag, len(combos))
    if at_most is not None:
        assert 0 < len(combos) <= at_most, (tag, len(combos))
    assert len({json.dumps(c["params"], sort_keys=True) for c in combos}) == len(combos), "duplicate parameter sets"
    assert all(HEX64.match(c["config_hash"]) for c in combos)
    assert [c["combo_id"] for c in combos] == sorted(c["combo_id"] for c in combos)
    # The DSR/PBO the kernel recorded for this sweep, as the sidecar serves them to the Leaderboard panel.
    stats = sc.get(f"/v1/sweeps/{s['id']}/statistics")
    assert stats["source"] == "recorded", stats
    assert 0 < stats["trials"] <= len(combos) and stats["dsr"] is not None and stats["pbo"] is not None, stats
    return s, combos, stats


def check_lineage(sc, sweep, *, model, pack):
    """Up from the sweep: model version and data snapshot, then the model and its pack, each with its hashes."""
    g = sc.get(f"/v1/lineage/sweep/{sweep['id']}?direction=up")
    nodes = {(n["type"], n["id"]): n for n in g["nodes"]}
    by_type = {}
    for n in g["nodes"]:
        by_type.setdefault(n["type"], []).append(n)
    assert set(by_type) == {"sweep", "model_version", "data_snapshot", "model", "pack"}, sorted(by_type)
    mv = sc.get(f"/v1/model-versions/{sweep['model_version_id']}")
    assert {"hash_type": "config", "hash": mv["config_hash"]} in nodes[("model_version", mv["id"])]["hashes"]
    snap = sc.get(f"/v1/data-snapshots/{sweep['data_snapshot_id']}")
    assert {"hash_type": "data", "hash": snap["hash"]} in nodes[("data_snapshot", snap["id"])]["hashes"]
    assert sc.get(f"/v1/models/{mv['model_id']}")["name"] == model
    (p,) = by_type["pack"]
    assert sc.get(f"/v1/packs/{p['id']}")["name"] == pack
    return p


def check_outputs(nb, sc, simple_tag):
    outs = rich_outputs(nb)
    boards = [o.data[LEADERBOARD] for o in outs if LEADERBOARD in o.data]
    simple = sc.sweep(simple_tag)
    shown = [b for b in boards if b["sweep_id"] == simple["id"]]
    assert shown, "no leaderboard of the simple sweep in the outputs"
    stats = sc.get(f"/v1/sweeps/{simple['id']}/statistics")
    assert shown[0]["stats"] == {"trials": stats["trials"], "dsr": stats["dsr"], "pbo": stats["pbo"]}
    assert any(PLOTLY in o.data and '"heatmap"' in json.dumps(o.data[PLOTLY]) for o in outs), "no heatmap"
    svgs = [o.data["image/svg+xml"] for o in outs if "image/svg+xml" in o.data]
    assert svgs and all("combination" in s for s in svgs), "no lineage picture of a combination"


def check_swing_research(nb, sidecar):
    sc = Sidecar(sidecar)
    simple, _, stats = check_sweep(sc, "swing-simple", kind="simple", exact=45)
    assert stats["trials"] == 45
    tpe, combos, _ = check_sweep(sc, "swing-tpe", kind="custom", at_most=3000)
    assert tpe["run"]["pruning_used"] is True
    assert any(not c["kept"] for c in combos), "Pareto pruning kept every combination"
    for s in (simple, tpe):
        check_lineage(sc, s, model="swing-spx", pack="swing")
    check_outputs(nb, sc, "swing-simple")


def check_intraday_fx(nb, sidecar):
    sc = Sidecar(sidecar)
    simple, _, _ = check_sweep(sc, "fx-simple", kind="simple", exact=45)
    tpe, _, _ = check_sweep(sc, "fx-tpe", kind="custom", at_most=3000)
    for s in (simple, tpe):
        pack = check_lineage(sc, s, model="fx-eurusd", pack="fx-intraday-mean-reversion")
    # The pack is not valid on this data, and nothing stored says otherwise.
    reports = sc.pages(f"/v1/packs/{pack['id']}/validation-reports")
    assert reports and all(r["status"] == "FAIL" for r in reports), reports
    assert any(e["code"] == "PACK_SANITY_SHORT_HISTORY" for r in reports for e in r["errors"]), reports
    check_outputs(nb, sc, "fx-simple")
