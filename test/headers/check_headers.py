#!/usr/bin/env python3
"""Checks every public header: it compiles on its own, and the layering rules hold.

Usage: check_headers.py INCLUDE_DIR -- COMPILER [ARGS...]
"""
import pathlib
import re
import subprocess
import sys
import tempfile

inc = pathlib.Path(sys.argv[1])
cxx = sys.argv[sys.argv.index("--") + 1:]
# The compile-time half must not pull in the runtime (DESIGN.md, "Honest layering").
compile_time = ("detail", "core", "sql")
forbidden = re.compile(r'#include\s*[<"](sqlite3\.h|fmt/|iostream)')
failures = []
headers = sorted(inc.glob("ash/**/*.hpp"))
for h in headers:
    rel = h.relative_to(inc)
    text = h.read_text()
    if rel.parts[1] in compile_time and forbidden.search(text):
        failures.append(f"{rel}: a compile-time header includes sqlite3.h, fmt or iostream")
    if re.search(r'#include\s*[<"]ash/ash\.hpp', text):
        failures.append(f"{rel}: includes the umbrella ash/ash.hpp")
    if re.search(r'#include\s*<boost/(hana|pfr)\.hpp>', text):
        failures.append(f"{rel}: includes an umbrella Boost header")
with tempfile.TemporaryDirectory() as tmp:
    for h in headers:
        rel = h.relative_to(inc)
        src = pathlib.Path(tmp) / "one.cpp"
        src.write_text(f'#include "{rel}"\n#include "{rel}"\n')
        r = subprocess.run(cxx + ["-std=c++20", "-fsyntax-only", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
                                  f"-I{inc}", str(src)], capture_output=True, text=True)
        if r.returncode != 0:
            failures.append(f"{rel}: does not compile alone:\n{r.stderr[:2000]}")
for f in failures:
    print("FAIL", f)
print(f"{len(headers) - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
