#!/usr/bin/env python3
"""Compiles each test/compile_fail/*.cpp, expecting failure with the messages the file names.

Each file has one or more lines `// expect: <text>`; every text must appear in the compiler's
output. Usage: run.py DIR INCLUDE_DIR -- COMPILER [ARGS...]
"""
import pathlib
import subprocess
import sys

folder = pathlib.Path(sys.argv[1])
inc = sys.argv[2]
cxx = sys.argv[sys.argv.index("--") + 1:]
passed = failed = 0
for src in sorted(folder.glob("*.cpp")):
    expects = [l.split("// expect:", 1)[1].strip() for l in src.read_text().splitlines() if "// expect:" in l]
    r = subprocess.run(cxx + ["-std=c++20", "-fsyntax-only", f"-I{inc}", str(src)], capture_output=True, text=True)
    out = r.stdout + r.stderr
    missing = [e for e in expects if e not in out]
    if r.returncode == 0:
        print(f"FAIL {src.name}: compiled, but must not")
        failed += 1
    elif not expects or missing:
        print(f"FAIL {src.name}: missing {missing or 'expect lines'} in:\n{out[:3000]}")
        failed += 1
    else:
        print(f"ok   {src.name}")
        passed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
