#!/usr/bin/env python3
"""A small engine that speaks the engine protocol (docs/engine-protocol.md) and then
misbehaves as its first argument says, on the request whose id is the second argument
(every request when absent). It answers every other request "implicitDeny".

Modes: ok, hang, crash, garbage, out-of-order, refuse, error, version, no-handshake,
silent-start, stop-reading.
"""
import json
import sys
import time

mode = sys.argv[1]
target = sys.argv[2] if len(sys.argv) > 2 else None


def send(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


hello = sys.stdin.readline()
if mode == "no-handshake":
    sys.stdout.write("ready!\n")
    sys.stdout.flush()
    time.sleep(30)
    sys.exit(0)
if mode == "silent-start":
    time.sleep(30)
    sys.exit(0)
send({
    "type": "handshake",
    "protocol": 2 if mode == "version" else 1,
    "engine": {"name": "misbehave-" + mode, "version": "0"},
    "capabilities": {"policy_types": ["identity"], "principal_kinds": ["user", "role"],
                     "operators": ["StringEquals"], "qualifiers": [], "elements": [],
                     "explanations": {"matched": False, "missing_context": False}},
})
held = None
for line in sys.stdin:
    request = json.loads(line)
    rid = request["id"]
    hit = target is None or rid == target
    if hit and mode == "hang":
        time.sleep(30)
    elif hit and mode == "crash":
        sys.stderr.write("misbehave: giving up on " + rid + "\n")
        sys.stderr.flush()
        sys.exit(3)
    elif hit and mode == "garbage":
        sys.stdout.write("Traceback (most recent call last): oops\n")
        sys.stdout.flush()
    elif hit and mode == "out-of-order" and held is None:
        held = rid
    elif hit and mode == "refuse":
        send({"type": "refusal", "id": rid, "reason": "cannot express this"})
    elif hit and mode == "error":
        send({"type": "error", "id": rid, "message": "policy does not parse"})
    elif hit and mode == "stop-reading":
        time.sleep(30)
    else:
        send({"type": "answer", "id": rid, "decision": "implicitDeny"})
        if held is not None:
            send({"type": "answer", "id": held, "decision": "implicitDeny"})
            held = None
