#!/usr/bin/env python3
"""tests/export-otlp.py: what oak-export-otlp must write, computed here
from the JoinedInvocations with Python's uuid, datetime-free integer
arithmetic and decimal, not from its C code; for tests/export-otlp.bats.

  export-otlp.py expect JOINED [session|workflow] [PROVIDER]
      one JSON array per span and log record, as tests/otlp-decode.js
      prints them
  export-otlp.py generate N SEED
      JoinedInvocations with sessions, workflows, parents, failures,
      tokens and metrics
  export-otlp.py receiver DIR [REFUSE]
      an OTLP/HTTP receiver on 127.0.0.1 (port written to DIR/port):
      each POST body appended to DIR/<path>.jsonl, its headers to
      DIR/headers; the REFUSE-th request (from 1) answered 400
"""
import json
import random
import re
import sys
import uuid
from decimal import Decimal, ROUND_HALF_EVEN

TRACE_NS = uuid.UUID("1b4e28ba-2fa1-11d2-883f-0016d3cca427")
SPAN_NS = uuid.UUID("6ba7b814-9dad-41d1-80b4-00c04fd430c8")


def trace_id(rec, by):
    wf = rec.get("metadata", {}).get("workflow_id")
    if by == "workflow" and isinstance(wf, str) and wf:
        name = "workflow:" + wf
    elif isinstance(rec.get("session_id"), str) and rec["session_id"]:
        name = "session:" + rec["session_id"]
    else:
        name = "invocation:" + rec["invocation_id"]
    return uuid.uuid5(TRACE_NS, name).hex


def span_id(inv):
    return uuid.uuid5(SPAN_NS, inv).hex[:16]


def days_from_civil(y, m, d):
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def unix_nano(ts):
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)"
                     r"(?:\.(\d+))?(?:[Zz]|([+-])(\d\d):(\d\d))", ts)
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    frac = (m.group(7) or "")[:9].ljust(9, "0")
    sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s
    if m.group(8):
        off = int(m.group(9)) * 3600 + int(m.group(10)) * 60
        sec -= off if m.group(8) == "+" else -off
    return sec * 10 ** 9 + int(frac)


def micro(x):
    return int((Decimal(x) * 10 ** 6).to_integral_value(ROUND_HALF_EVEN))


def strattr(out, key, v):
    if isinstance(v, str):
        out.append([key, "stringValue", v])


def span_of(rec, by, provider):
    meta = rec.get("metadata", {})
    outcome = rec.get("outcome", {})
    failed = outcome.get("status") == "failure"
    start = unix_nano(rec["timestamp"])
    dur = rec.get("duration_seconds")
    end = start + (micro(dur) * 1000 if isinstance(dur, (int, Decimal))
                   and not isinstance(dur, bool) else 0)
    attrs = [["gen_ai.operation.name", "stringValue", "invoke_agent"]]
    attrs.append(["gen_ai.provider.name", "stringValue",
                  meta["provider"] if isinstance(meta.get("provider"), str)
                  else provider])
    strattr(attrs, "gen_ai.agent.name", rec["agent_name"])
    strattr(attrs, "gen_ai.agent.id", meta.get("agent_id"))
    strattr(attrs, "gen_ai.conversation.id", rec.get("session_id"))
    strattr(attrs, "gen_ai.request.model", meta.get("model"))
    usage = meta.get("usage", {})
    for k in ("input_tokens", "output_tokens"):
        if type(usage.get(k)) is int:
            attrs.append(["gen_ai.usage." + k, "intValue", str(usage[k])])
    if failed:
        attrs.append(["error.type", "stringValue", "agent_failure"])
    strattr(attrs, "oak.invocation_id", rec["invocation_id"])
    strattr(attrs, "oak.agent_type", rec.get("agent_type"))
    strattr(attrs, "oak.task.description", rec.get("task_description"))
    strattr(attrs, "oak.task.type",
            rec.get("state_features", {}).get("task", {}).get("type"))
    strattr(attrs, "oak.outcome.status", outcome.get("status"))
    if isinstance(rec.get("tools_used"), list):
        attrs.append(["oak.tools_used", "arrayValue",
                      [t for t in rec["tools_used"] if isinstance(t, str)]])
    strattr(attrs, "oak.workflow_id", meta.get("workflow_id"))
    parent = rec.get("parent_invocation_id")
    msg = outcome.get("error_message") if failed else None
    return ["span", trace_id(rec, by), span_id(rec["invocation_id"]),
            span_id(parent) if isinstance(parent, str) and parent else "",
            "invoke_agent " + rec["agent_name"], 1, str(start), str(end),
            2 if failed else 0, msg if isinstance(msg, str) else "",
            sorted(attrs)]


def log_of(rec, by):
    m = rec["success_metric"]
    attrs = [["gen_ai.evaluation.name", "stringValue", "quality_rating"]]
    q = m.get("quality_rating")
    if q is not None:
        q = float(q)
        attrs.append(["gen_ai.evaluation.score.value", "doubleValue",
                      str(int(q)) if q.is_integer() else repr(q)])
    if isinstance(m.get("success"), bool):
        attrs.append(["gen_ai.evaluation.score.label", "stringValue",
                      "pass" if m["success"] else "fail"])
    if isinstance(m.get("feedback_notes"), str) and m["feedback_notes"]:
        attrs.append(["gen_ai.evaluation.explanation", "stringValue",
                      m["feedback_notes"]])
    strattr(attrs, "oak.feedback_source", m.get("feedback_source"))
    if isinstance(m.get("would_use_again"), bool):
        attrs.append(["oak.would_use_again", "boolValue",
                      "true" if m["would_use_again"] else "false"])
    strattr(attrs, "oak.alternative_agent_suggested",
            m.get("alternative_agent_suggested"))
    return ["log", trace_id(rec, by), span_id(rec["invocation_id"]),
            str(unix_nano(m["timestamp"])), "gen_ai.evaluation.result", 9,
            sorted(attrs)]


def expect(path, by="session", provider="anthropic"):
    for line in open(path, encoding="utf-8"):
        if not line.strip():
            continue
        rec = json.loads(line, parse_float=Decimal)
        print(json.dumps(span_of(rec, by, provider), ensure_ascii=False,
                         separators=(",", ":")))
        if isinstance(rec.get("success_metric"), dict):
            print(json.dumps(log_of(rec, by), ensure_ascii=False,
                             separators=(",", ":")))


def generate(n, seed):
    rnd = random.Random(seed)
    ids = []
    for i in range(n):
        inv = "inv-%d-%s" % (i, rnd.choice(["", "\u00e9", "\U0001F600"]))
        rec = {"timestamp": "2025-10-%02dT%02d:%02d:%02d%s" % (
                   1 + i % 28, i % 24, i % 60, (7 * i) % 60,
                   rnd.choice(["Z", ".5Z", ".123456Z", "+02:00", ".987654321Z"])),
               "session_id": "session-%d" % (i // 5),
               "invocation_id": inv,
               "agent_name": rnd.choice(["planner", "coder", "t\u00e9ster \"q\""]),
               "agent_type": "development",
               "task_description": rnd.choice(["fix it", "line\nbreak", "caf\u00e9"]),
               "state_features": {"task": {"type": "bug_fix"}},
               "parent_invocation_id": rnd.choice(ids) if ids and rnd.random() < 0.5 else None,
               "tools_used": rnd.sample(["Edit", "Read", "Bash"], rnd.randrange(3)),
               "duration_seconds": rnd.choice([None, 0, 1.5, 120.0, 0.0000005, 3600]),
               "outcome": {"status": rnd.choice(["success", "failure", "partial"]),
                           "error_message": rnd.choice([None, "boom", "tab\there"])},
               "metadata": {}}
        if rnd.random() < 0.5:
            rec["metadata"]["workflow_id"] = "wf-%d" % (i // 7)
        if rnd.random() < 0.5:
            rec["metadata"]["usage"] = {"input_tokens": rnd.randrange(10 ** 6),
                                        "output_tokens": rnd.randrange(10 ** 4)}
            rec["metadata"]["model"] = "claude-sonnet-4-5"
            rec["metadata"]["agent_id"] = "agent-%d" % i
        if rnd.random() < 0.2:
            rec["metadata"]["provider"] = "aws.bedrock"
        if rnd.random() < 0.6:
            rec["success_metric"] = {
                "timestamp": "2025-10-29T10:00:%02d.25Z" % (i % 60),
                "invocation_id": inv, "success": rnd.choice([True, False]),
                "quality_rating": rnd.randrange(1, 6),
                "feedback_source": "human",
                "feedback_notes": rnd.choice([None, "", "good \u2713"]),
                "would_use_again": rnd.choice([True, False, None]),
                "alternative_agent_suggested": rnd.choice([None, "coder"])}
        ids.append(inv)
        print(json.dumps(rec, ensure_ascii=False))


def receiver(directory, refuse=0):
    from http.server import BaseHTTPRequestHandler, HTTPServer
    count = [0]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            count[0] += 1
            body = self.rfile.read(int(self.headers["Content-Length"]))
            name = self.path.strip("/").replace("/", "_")
            with open("%s/%s.jsonl" % (directory, name), "ab") as f:
                f.write(body)
            with open(directory + "/headers", "a") as f:
                for k in ("Content-Type", "Authorization", "X-Scope"):
                    if k in self.headers:
                        f.write("%s: %s\n" % (k, self.headers[k]))
            code = 400 if count[0] == refuse else 200
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    with open(directory + "/port.tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.rename(directory + "/port.tmp", directory + "/port")
    server.serve_forever()


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "expect":
        expect(*sys.argv[2:])
    elif cmd == "generate":
        generate(int(sys.argv[2]), int(sys.argv[3]))
    else:
        receiver(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 0)
