#!/usr/bin/env python3
"""The straightforward Python a user might write: read every report (json.gz, .eml, mbox) with the
standard library and print the totals tlsrpt summary computes (successful, failed, reports).

    bench/summary.py PATH...
"""
import email
import gzip
import json
import mailbox
import os
import sys

seen = set()
totals = {"reports": 0, "successful": 0, "failed": 0}


def add(data: bytes):
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    report = json.loads(data)
    key = (report.get("organization-name"), report.get("report-id"),
           report["date-range"]["start-datetime"], report["date-range"]["end-datetime"])
    if key in seen:
        return
    seen.add(key)
    totals["reports"] += 1
    for policy in report.get("policies", []):
        summary = policy.get("summary", {})
        totals["successful"] += int(summary.get("total-successful-session-count", 0))
        totals["failed"] += int(summary.get("total-failure-session-count", 0))


def add_message(message):
    for part in message.walk():
        if part.get_content_type().startswith("application/tlsrpt"):
            add(part.get_payload(decode=True))


for root in sys.argv[1:]:
    paths = [root] if os.path.isfile(root) else sorted(
        os.path.join(d, f) for d, _, files in os.walk(root) for f in files)
    for path in paths:
        if path.endswith(".mbox"):
            for message in mailbox.mbox(path):
                add_message(message)
        elif path.endswith(".eml"):
            with open(path, "rb") as f:
                add_message(email.message_from_binary_file(f))
        else:
            with open(path, "rb") as f:
                add(f.read())
print(json.dumps(totals))
