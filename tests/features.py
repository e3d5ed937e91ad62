#!/usr/bin/env python3
"""tests/features.py: an independent check of oak-features, for
tests/features.bats.

  features.py generate N SEED      JoinedInvocations with nested, missing,
                                   odd-texted features, on stdout
  features.py check JSONL TABLE csv|tsv [COLUMNS]
                                   reads TABLE with Python's csv module and
                                   checks every cell against the JSONL

The expected values are computed here from the JSON records, with
Python's json and csv modules, not from oak-features' code.
"""
import csv
import json
import random
import sys

LEADING = ["invocation_id", "timestamp", "session_id", "metadata.workflow_id",
           "parent_invocation_id", "agent_name", "agent_type",
           "task_description"]
LABELS = ["outcome.status", "duration_seconds", "metadata.usage.input_tokens",
          "metadata.usage.output_tokens", "metadata.total_tokens",
          "metadata.cost_usd", "success_metric.success",
          "success_metric.quality_rating", "success_metric.would_use_again"]
PATHS = {"metadata.total_tokens": [["metadata", "total_tokens"],
                                   ["metadata", "totalTokens"]],
         "metadata.cost_usd": [["metadata", "cost_usd"],
                               ["metadata", "total_cost_usd"]]}

TEXTS = ["plain", "comma, inside", 'a "quoted" word', "two\nlines",
         "tab\there", "back\\slash", "semi;colon", "caf\u00e9 \u6f22\u5b57",
         "emoji \U0001F600", "", " spaced ", "cr\r\nlf", "=1+1"]
NUMBERS = [0, -0.0, 1, -17, 0.1, 120.0, 1e-07, 2.5e+300, 123456789012345678,
           0.30000000000000004, 1.5, -3.25e-5]


def generate(n, seed):
    rnd = random.Random(seed)

    def scalar():
        kind = rnd.randrange(5)
        if kind == 0:
            return rnd.choice(TEXTS)
        if kind == 1:
            return rnd.choice(NUMBERS)
        if kind == 2:
            return rnd.choice([True, False])
        if kind == 3:
            return None
        return [rnd.choice(TEXTS + NUMBERS) for _ in range(rnd.randrange(4))]

    def features(depth):
        out = {}
        for key in rnd.sample(["a", "b", "c", "d", "deep", "list"],
                              rnd.randrange(1, 5)):
            if depth < 3 and rnd.random() < 0.4:
                out[key] = features(depth + 1)
            else:
                out[key] = scalar()
        return out

    for i in range(n):
        rec = {"timestamp": "2025-10-%02dT10:00:%02dZ" % (1 + i % 28, i % 60),
               "session_id": "s%d" % (i % 7),
               "invocation_id": "inv-%d" % i,
               "agent_name": rnd.choice(["alpha", "beta", "g\u00e4mma"]),
               "agent_type": "development",
               "task_description": rnd.choice(TEXTS),
               "state_features": features(0)}
        if rnd.random() < 0.3:
            rec["state_features"]["codebase"] = {
                "languages": rnd.sample(["Go", "C", "Rust;2021", "a\\b"], 2),
                "loc": rnd.randrange(100000)}
        if rnd.random() < 0.8:
            rec["outcome"] = {"status": rnd.choice(
                ["success", "failure", "partial", "unknown"])}
        if rnd.random() < 0.7:
            rec["duration_seconds"] = rnd.choice(
                [None, 0, 12.5, 718.0, 0.000001, 1e-7, 3600])
        meta = {}
        if rnd.random() < 0.5:
            meta["usage"] = {"input_tokens": rnd.randrange(10 ** 6),
                             "output_tokens": rnd.randrange(10 ** 5)}
        if rnd.random() < 0.5:
            meta[rnd.choice(["total_tokens", "totalTokens"])] = \
                rnd.randrange(10 ** 7)
        if rnd.random() < 0.5:
            meta[rnd.choice(["cost_usd", "total_cost_usd"])] = \
                rnd.choice([0.0123, 1.5, 0.1 + 0.2, 2])
        if rnd.random() < 0.3:
            meta["workflow_id"] = "wf-%d" % (i % 3)
        rec["metadata"] = meta
        if rnd.random() < 0.6:
            rec["success_metric"] = {
                "timestamp": rec["timestamp"], "invocation_id": "inv-%d" % i,
                "success": rnd.choice([True, False]),
                "quality_rating": rnd.randrange(1, 6),
                "would_use_again": rnd.choice([True, False, None])}
        print(json.dumps(rec, ensure_ascii=rnd.random() < 0.5))


def leaves(obj, prefix, out):
    for key, value in obj.items():
        name = prefix + "." + key
        if isinstance(value, dict):
            leaves(value, name, out)
        else:
            out[name] = value


def expected_cells(rec):
    """column name -> value as in the JSON (None when missing or null)"""
    cells = {}
    for name in LEADING + LABELS:
        for path in PATHS.get(name, [name.split(".")]):
            value, found = rec, True
            for key in path:
                if isinstance(value, dict) and key in value:
                    value = value[key]
                else:
                    found = False
                    break
            if found:
                cells[name] = value
                break
    feats = {}
    leaves(rec.get("state_features", {}), "state_features", feats)
    for name, value in feats.items():
        cells[name] = value
        if isinstance(value, list):
            cells[name + ".count"] = len(value)
    return cells


def split_joined(cell):
    items, cur, i = [], "", 0
    while i < len(cell):
        if cell[i] == "\\":
            cur += cell[i + 1]
            i += 2
            continue
        if cell[i] == ";":
            items.append(cur)
            cur = ""
        else:
            cur += cell[i]
        i += 1
    items.append(cur)
    return items


def same(value, cell, fmt, where):
    if fmt == "tsv":
        cell = cell.replace("\\\\", "\0").replace("\\t", "\t") \
            .replace("\\n", "\n").replace("\\r", "\r").replace("\0", "\\")
    if value is None:
        ok = cell == ""
    elif isinstance(value, bool):
        ok = cell == ("true" if value else "false")
    elif isinstance(value, int):
        ok = int(cell) == value
    elif isinstance(value, float):
        ok = float(cell) == value and str(float(cell)) == str(value)
    elif isinstance(value, str):
        ok = cell == value
    elif isinstance(value, list):
        if not value:
            ok = cell == ""
        else:
            parts = split_joined(cell)
            ok = len(parts) == len(value) and all(
                same(v, p, "csv", where) for v, p in zip(value, parts))
    else:
        ok = False
    if not ok:
        sys.exit("%s: want %r, got %r" % (where, value, cell))
    return True


def check(jsonl, table, fmt, columns_file=None):
    records = [json.loads(line) for line in open(jsonl, encoding="utf-8")
               if line.strip()]
    if fmt == "csv":
        f = open(table, newline="", encoding="utf-8")
        raw = open(table, "rb").read()
        if raw and not raw.endswith(b"\r\n"):
            sys.exit("CSV records must end with CRLF (RFC 4180)")
        rows = list(csv.reader(f))
    else:
        rows = [line.rstrip("\n").split("\t")
                for line in open(table, encoding="utf-8", newline="\n")]
    header, body = rows[0], rows[1:]
    if columns_file:
        want = [c for c in open(columns_file).read().split("\n") if c]
    else:
        names = set()
        for rec in records:
            names.update(n for n in expected_cells(rec)
                         if n.startswith("state_features."))
        want = LEADING + sorted(names, key=lambda s: s.encode()) + LABELS
    if header != want:
        sys.exit("header: want %r, got %r" % (want, header))
    if len(body) != len(records):
        sys.exit("rows: want %d, got %d" % (len(records), len(body)))
    cells = 0
    for n, (rec, row) in enumerate(zip(records, body), 1):
        if len(row) != len(header):
            sys.exit("row %d: %d fields for %d columns"
                     % (n, len(row), len(header)))
        exp = expected_cells(rec)
        for name, cell in zip(header, row):
            same(exp.get(name), cell, fmt, "row %d, %s" % (n, name))
            cells += 1
    print("%d rows, %d columns, %d cells checked"
          % (len(body), len(header), cells))


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(int(sys.argv[2]), int(sys.argv[3]))
    else:
        check(*sys.argv[2:])
