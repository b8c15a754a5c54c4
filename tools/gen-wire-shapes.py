#!/usr/bin/env python3
"""Generates Rust serde types for an AWS JSON 1.1 service from botocore's model.

The wire shapes must match botocore exactly (member names, nesting, number
kinds), so they are generated rather than typed by hand. Every member is an
`Option` so that the handlers, not serde, decide which absences are errors and
answer with AWS's exception names.

Usage: tools/gen-wire-shapes.py ecs 2014-11-13 crates/berth-api/src/ecs/wire.rs
       [--skip REGEX]   operations whose names match are left out
"""
import argparse
import gzip
import json
import os
import re
import subprocess
import sys

import botocore

KEYWORDS = {"type", "match", "ref", "self", "mod", "use", "loop", "move", "fn", "impl", "trait", "in", "for", "where", "box", "async", "await", "dyn", "final", "override", "priv", "static", "struct", "super", "enum", "crate", "const", "as", "break", "continue", "else", "extern", "false", "true", "if", "let", "pub", "return", "unsafe", "while", "abstract", "become", "do", "macro", "typeof", "unsized", "virtual", "yield", "try"}
RESERVED_TYPE_NAMES = {"Option", "Vec", "String", "Box", "Result", "BTreeMap", "Default", "Value"}


def load_model(service, version):
    base = os.path.join(os.path.dirname(botocore.__file__), "data", service, version)
    path = os.path.join(base, "service-2.json")
    if os.path.exists(path):
        return json.load(open(path)), botocore.__version__
    return json.load(gzip.open(path + ".gz")), botocore.__version__


def snake(name):
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    s = s.lower()
    return "r#" + s if s in KEYWORDS else s


def type_name(name):
    return name + "Shape" if name in RESERVED_TYPE_NAMES else name


def reachable(model, op_names):
    shapes = model["shapes"]
    seen = set()
    stack = []
    for op in op_names:
        o = model["operations"][op]
        for k in ("input", "output"):
            if k in o:
                stack.append(o[k]["shape"])
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        s = shapes[n]
        if s["type"] == "structure":
            stack.extend(m["shape"] for m in s["members"].values())
        elif s["type"] == "list":
            stack.append(s["member"]["shape"])
        elif s["type"] == "map":
            stack.append(s["key"]["shape"])
            stack.append(s["value"]["shape"])
    return seen


def rust_type(model, name, boxed):
    s = model["shapes"][name]
    t = s["type"]
    if t == "structure":
        inner = type_name(name)
        return f"Box<{inner}>" if boxed else inner
    if t == "list":
        return f"Vec<{rust_type(model, s['member']['shape'], False)}>"
    if t == "map":
        return f"BTreeMap<String, {rust_type(model, s['value']['shape'], False)}>"
    return {
        "string": "String",
        "blob": "String",
        "integer": "i32",
        "long": "i64",
        "double": "f64",
        "float": "f64",
        "boolean": "bool",
        "timestamp": "f64",
    }[t]


def refers_to(model, start, target, seen=None):
    """Whether `start` (a member shape) contains `target` by value (recursion)."""
    seen = seen or set()
    if start in seen:
        return False
    seen.add(start)
    s = model["shapes"][start]
    if start == target:
        return True
    if s["type"] == "structure":
        return any(refers_to(model, m["shape"], target, seen) for m in s["members"].values())
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("service")
    ap.add_argument("version")
    ap.add_argument("out")
    ap.add_argument("--skip", default=None)
    args = ap.parse_args()
    model, botocore_version = load_model(args.service, args.version)
    ops = sorted(o for o in model["operations"] if not (args.skip and re.search(args.skip, o)))
    names = reachable(model, ops)
    shapes = model["shapes"]
    out = []
    w = out.append
    w(f"//! Wire shapes of the {model['metadata']['serviceFullName']} API, generated from")
    w(f"//! botocore {botocore_version} (`{args.service}/{args.version}`) by `tools/gen-wire-shapes.py`.")
    w("//! Do not edit by hand: change the generator and run it again.")
    w("//!")
    w("//! Every member is optional so handlers decide which absences are errors;")
    w("//! timestamps are epoch seconds, blobs are base64 text, as on the wire.")
    w("")
    w("#![allow(clippy::all, missing_docs)]")
    w("")
    w("use std::collections::BTreeMap;")
    w("")
    w("use serde::{Deserialize, Serialize};")
    w("")
    w("/// Operations of the API, as named after the `X-Amz-Target` prefix.")
    w(f"pub const OPERATIONS: &[&str] = &[{', '.join(json.dumps(o) for o in ops)}];")
    w("")
    enums = []
    for n in sorted(names):
        s = shapes[n]
        if s["type"] == "string" and "enum" in s:
            enums.append((n, s["enum"]))
    w("/// Allowed values of each enum shape.")
    w("pub mod enums {")
    for n, values in enums:
        const = re.sub(r"[^A-Z0-9_]", "_", snake(n).replace("r#", "").upper())
        w(f"    /// Values of `{n}`.")
        w(f"    pub const {const}: &[&str] = &[{', '.join(json.dumps(v) for v in values)}];")
    w("}")
    for n in sorted(names):
        s = shapes[n]
        if s["type"] != "structure":
            continue
        w("")
        kind = "error" if s.get("exception") else "shape"
        w(f"/// Wire {kind} `{n}`.")
        w("#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]")
        w("#[serde(default)]")
        w(f"pub struct {type_name(n)} {{")
        for mname, m in s["members"].items():
            boxed = refers_to(model, m["shape"], n)
            ty = rust_type(model, m["shape"], boxed)
            w(f"    #[serde(rename = {json.dumps(mname)}, skip_serializing_if = \"Option::is_none\")]")
            w(f"    pub {snake(mname)}: Option<{ty}>,")
        w("}")
    open(args.out, "w").write("\n".join(out) + "\n")
    # Generated code is formatted like the rest, so `cargo fmt --check` holds.
    subprocess.run(["rustfmt", "--edition", "2024", args.out], check=True)
    print(f"{len(ops)} operations, {sum(1 for n in names if shapes[n]['type']=='structure')} structures -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
