#!/usr/bin/env python3
"""Compiles the C++ code blocks of docs/*.md, so that the documentation cannot drift from the library.

A fenced block whose info string starts with `cpp` is checked; the words after `cpp` say how:

  ```cpp               starts a program: the block is compiled on its own
  ```cpp continue      adds the block to the program started by the last plain `cpp` block
  ```cpp compile_fail  the program so far plus this block must NOT compile; each line
                       `// error: <text>` in the block must appear in the compiler's output
  ```cpp nocompile     shown only, not checked (for pseudo-code; use sparingly)

Programs are compiled with -fsyntax-only, with include/, examples/ and examples/helpdesk/ on the
include path (so `#include "resources.hpp"` gives the helpdesk resources of the example).
Usage: check_snippets.py DOCS_DIR INCLUDE_DIR EXAMPLES_DIR -- COMPILER [ARGS...]
"""
import concurrent.futures
import os
import pathlib
import re
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^(\s*)```(.*)$")


def blocks(path):
    """Yields (line number, info words, code) for each fenced block of a markdown file."""
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, info = m.group(1), m.group(2).split()
        start, body = i + 1, []
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
            i += 1
        i += 1
        yield start, info, "\n".join(body) + "\n"


def jobs(docs):
    """The compilations to run: (description, source, must_fail, expected texts)."""
    out = []
    for md in sorted(docs.rglob("*.md")):
        program, first = None, None

        def flush():
            if program is not None:
                out.append((f"{md.relative_to(docs)}:{first}", program, False, []))

        for line, info, code in blocks(md):
            if not info or info[0] != "cpp":
                continue
            mode = info[1] if len(info) > 1 else ""
            numbered = f'#line {line + 1} "{md.name}"\n{code}'
            if mode == "":
                flush()
                program, first = numbered, line
            elif mode == "continue":
                if program is None:
                    sys.exit(f"{md}:{line}: `cpp continue` with no `cpp` block before it")
                program += numbered
            elif mode == "compile_fail":
                expects = [l.split("// error:", 1)[1].strip() for l in code.splitlines() if "// error:" in l]
                out.append((f"{md.relative_to(docs)}:{line} (compile_fail)", (program or "") + numbered, True, expects))
            elif mode == "nocompile":
                pass
            else:
                sys.exit(f"{md}:{line}: unknown mode `cpp {mode}` (use continue, compile_fail or nocompile)")
        flush()
    return out


def run(job, cxx, flags):
    name, source, must_fail, expects = job
    with tempfile.NamedTemporaryFile("w", suffix=".cpp", delete=False) as f:
        f.write(source)
    try:
        r = subprocess.run(cxx + flags + [f.name], capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    out = r.stdout + r.stderr
    if not must_fail:
        return (r.returncode == 0, name, out)
    missing = [e for e in expects if e not in out]
    if r.returncode == 0:
        return (False, name, "compiled, but the block is marked compile_fail")
    if missing:
        return (False, name, f"missing {missing} in:\n{out}")
    return (True, name, "")


def main():
    sep = sys.argv.index("--")
    docs, inc, examples = (pathlib.Path(a) for a in sys.argv[1:sep])
    cxx = sys.argv[sep + 1:]
    flags = ["-std=c++20", "-fsyntax-only", f"-I{inc}", f"-I{examples}", f"-I{examples / 'helpdesk'}"]
    todo = jobs(docs)
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for ok, name, out in pool.map(lambda j: run(j, cxx, flags), todo):
            print(("ok   " if ok else "FAIL ") + name)
            if not ok:
                failed += 1
                print(out[:6000])
    print(f"{len(todo) - failed} passed, {failed} failed")
    return 1 if failed or not todo else 0


if __name__ == "__main__":
    sys.exit(main())
