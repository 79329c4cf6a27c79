#!/usr/bin/env python3
"""Fails when modules of a crate import each other in a circle.

Usage: check-module-cycles.py CRATE_SRC_DIR

Reads every `use crate::…`/`use super::…` (and paths written inline) outside `#[cfg(test)]`
parts, maps each to the module file it names, and looks for strongly connected groups of modules.
A module's own submodules and ancestors are not counted: a parent declares and re-exports its
children, and that is not a circle of dependencies between peers.
"""

import os
import re
import sys


def modules(root):
    found = {}
    for directory, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(directory, name)
            parts = os.path.relpath(path, root)[:-3].split(os.sep)
            if parts[-1] in ("mod", "lib", "main"):
                parts = parts[:-1]
            with open(path, encoding="utf-8") as source:
                found["::".join(parts)] = source.read()
    return found


def expand(prefix, body):
    """`a::{b, c::{d}}` as the paths `a::b`, `a::c::d`."""
    out, depth, current = [], 0, ""
    for ch in body + ",":
        depth += ch == "{"
        depth -= ch == "}"
        if ch == "," and depth == 0:
            item, current = current.strip(), ""
            if not item:
                continue
            if "{" in item:
                head, rest = item.split("{", 1)
                out += expand(prefix + head, rest.rsplit("}", 1)[0])
            else:
                out.append(prefix + item.split(" as ")[0].strip())
        else:
            current += ch
    return out


def paths_in(source):
    source = source.split("#[cfg(test)]")[0]
    source = re.sub(r"//[^\n]*", "", source)
    paths = re.findall(r"\b((?:crate|super)(?:::\w+)+)", source)
    for statement in re.findall(r"use\s+((?:crate|super)[^;]*);", source, re.S):
        statement = re.sub(r"\s+", "", statement)
        if "{" in statement:
            head, rest = statement.split("{", 1)
            paths += expand(head, rest.rsplit("}", 1)[0])
    return [p.replace("::self", "") for p in paths]


def resolve(known, current, path):
    segments = path.split("::")
    if segments[0] == "crate":
        base, segments = [], segments[1:]
    else:
        base = current.split("::") if current else []
        while segments and segments[0] == "super":
            base, segments = base[:-1], segments[1:]
    for length in range(len(segments), -1, -1):
        candidate = "::".join(base + segments[:length])
        if candidate in known:
            return candidate
    return None


def related(a, b):
    return a == b or a.startswith(b + "::") or b.startswith(a + "::") or "" in (a, b)


def main(root):
    known = modules(root)
    graph = {
        module: {t for t in (resolve(known, module, p) for p in paths_in(src)) if t is not None and not related(module, t)}
        for module, src in known.items()
    }
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for node in graph:
        if node not in index:
            visit(node)
    for group in cycles:
        print("modules that import each other:", ", ".join(group))
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
