"""Runs the runtime benchmark with --quick and checks it wrote a table with an `ash/raw` column.

Usage: smoke.py BENCH_RUNTIME OUTPUT.md. Asserts nothing about timings.
"""
import subprocess
import sys

exe, out = sys.argv[1], sys.argv[2]
subprocess.run([exe, "--quick", "--out", out], check=True)
text = open(out, encoding="utf-8").read()
headers = [line for line in text.splitlines() if line.startswith("| workload |")]
if not any("| ash/raw |" in h for h in headers):
    sys.exit("no table with an `ash/raw` column in " + out)
rows = [line for line in text.splitlines() if line.startswith("| 1. bulk insert")]
if len(rows) < 2:
    sys.exit("expected a bulk insert row for the file and the in-memory table")
print(text)
