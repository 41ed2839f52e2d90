#!/usr/bin/env python3
"""Prints the medians of the last `cargo bench -p interaction-benches` run, and the ratios
docs/PERFORMANCE.md reports, from criterion's files under target/criterion.

Usage: python3 benches/medians.py [target/criterion]
"""
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
rows = {}
for bench in sorted(root.glob("**/new/benchmark.json")):
    meta = json.loads(bench.read_text())
    estimates = json.loads((bench.parent / "estimates.json").read_text())
    median_ns = estimates["median"]["point_estimate"]
    elements = (meta.get("throughput") or {}).get("Elements") or 1
    rows[meta["full_id"]] = (median_ns, elements)

print(f"{'benchmark':70} {'median':>12} {'per element':>12} {'per second':>12}")
for name, (ns, elements) in rows.items():
    per = ns / elements
    print(f"{name:70} {ns / 1e6:>10.3f}ms {per:>10.2f}ns {1e9 / per:>12,.0f}")


def ratio(a, b):
    if a in rows and b in rows:
        return rows[a][0] / rows[b][0]
    return float("nan")


print()
print("ratios (median over median, same run):")
for stream in ["serial_valid", "serial_any", "interleaved_64k_valid", "interleaved_64k_any"]:
    g = f"step/{stream}"
    print(
        f"  {g}: core_next / table {ratio(f'{g}/core_next', f'{g}/table_baseline'):.2f}; "
        f"step().unwrap_or / table {ratio(f'{g}/core_step_unwrap_or', f'{g}/table_baseline'):.2f}; "
        f"statig / core {ratio(f'{g}/statig', f'{g}/core_next'):.2f}; "
        f"rust_fsm / core {ratio(f'{g}/rust_fsm', f'{g}/core_next'):.2f}"
    )
for size in ["1k", "100k", "1M"]:
    print(f"  engine/{size}: apply / floor {ratio(f'engine/apply/{size}', f'engine/floor/{size}'):.2f}")
for name in sorted({k.split('/')[1] for k in rows if k.startswith("decode/")}):
    g = f"decode/{name}"
    print(
        f"  {g}: adapter+apply / serde_json IgnoredAny "
        f"{ratio(f'{g}/adapter_and_apply', f'{g}/serde_json_ignored_any'):.2f}"
    )
for mix in sorted({k.split('/')[1] for k in rows if k.startswith("replay/")}):
    g = f"replay/{mix}/jobs"
    print(f"  replay/{mix}: jobs 1 / jobs 2 {ratio(f'{g}/1', f'{g}/2'):.2f}")
