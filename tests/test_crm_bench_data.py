"""The scale benchmark's generator, run at a tiny size: valid exports with the problems it
promises in realistic shares (the benchmark itself is a script, not a test)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from revkit.intake.validate import check_client
from revkit.method.crm import measure

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_crm.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_crm", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_client_is_valid_and_has_the_promised_problems(tmp_path):
    bench = _bench()
    folder = bench.make_client(tmp_path, 2000, 4000)
    client, problems = check_client(folder)
    assert client is not None, [p.render() for p in problems if p.severity == "error"]
    assert len(client.crm.opportunities) == 2000 and len(client.crm.leads) == 4000
    result = measure(client.crm)
    share = {(f["id"], f["table"], f["column"]): f["share"] for f in result["findings"]}
    assert 0.005 < share[("close_before_created", "opportunities", "close_date")] < 0.02
    assert 0.01 < share[("empty_value", "opportunities", "account_id")] < 0.05
    assert ("sql_before_mql", "leads", "sql_date") in share
    measured = {m["id"] for m in result["metrics"]}
    assert {"win_rate", "mql_to_sql_conversion", "sql_to_won_conversion",
            "marketing_sourced_pipeline"} <= measured
    # the same seed gives the same files
    again = bench.make_client(tmp_path / "again", 2000, 4000)
    for name in ("opportunities.csv", "leads.csv"):
        assert (folder / "crm" / name).read_bytes() == (again / "crm" / name).read_bytes()
