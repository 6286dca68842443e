#!/usr/bin/env python3
"""Deterministic benchmark corpus for tlsrpt (bench/README.md).

    bench/generate.py OUT_DIR --reports 100000 --emails 10000

Writes OUT_DIR/json/<sender>/<day>/<name>.json.gz (the reports), OUT_DIR/eml/*.eml (the first
--emails reports again as report emails) and OUT_DIR/mbox/all.mbox (those emails in one mbox).
A month of daily reports from a few big senders and a long tail of small ones; most reports are
1-3 KB, about 1 in 100 is ~100 KB with hundreds of failure details. Every report is unique (no
duplicates, no tlsa/sts pairs), so straightforward totals equal tlsrpt's.
"""
import argparse
import base64
import gzip
import json
import os
import random

RESULT_TYPES = ["certificate-host-mismatch", "certificate-expired", "starttls-not-supported", "validation-failure",
                "sts-policy-fetch-error", "certificate-not-trusted"]
BIG = [("Google Inc.", "smtp-tls-reporting@google.com"), ("Microsoft Corporation", "tlsrpt-noreply@microsoft.com"),
       ("Yahoo", "tlsrpt@yahooinc.com"), ("Apple Inc.", "tls-reporting@apple.com")]


def make_report(rng, index, day, sender, contact, domain, large):
    ok = rng.randint(1000, 2_000_000) if sender in dict(BIG) else rng.randint(1, 500)
    details = []
    for d in range(rng.randint(300, 600) if large else rng.randint(0, 3)):
        details.append({"result-type": rng.choice(RESULT_TYPES),
                        "sending-mta-ip": f"198.51.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                        "receiving-mx-hostname": f"mx{rng.randint(1, 4)}.{domain}",
                        "receiving-ip": f"203.0.113.{rng.randint(1, 254)}",
                        "failed-session-count": rng.randint(1, 50),
                        "failure-reason-code": rng.choice(["", "X509_V_ERR_CERT_HAS_EXPIRED", "context deadline exceeded"])})
    failed = sum(d["failed-session-count"] for d in details) + rng.randint(0, 3)
    return {
        "organization-name": sender,
        "date-range": {"start-datetime": f"{day}T00:00:00Z", "end-datetime": f"{day}T23:59:59Z"},
        "contact-info": contact,
        "report-id": f"{day}T00:00:00Z_{domain}_{index}",
        "policies": [{
            "policy": {"policy-type": "sts",
                       "policy-string": ["version: STSv1", "mode: testing", f"mx: mx1.{domain}", f"mx: *.{domain}",
                                         "max_age: 604800"],
                       "policy-domain": domain, "mx-host": [f"mx1.{domain}", f"*.{domain}"]},
            "summary": {"total-successful-session-count": ok, "total-failure-session-count": failed},
            "failure-details": details,
        }],
    }


def email(report_bytes, name, index):
    body = base64.encodebytes(report_bytes).decode()
    return (f"From: noreply@sender{index % 50}.example\nTo: tlsrpt@bench.example\n"
            f"Date: Sat, 09 May 2026 00:00:00 +0000\nSubject: Report Domain: bench.example Submitter: bench\n"
            f"Message-ID: <bench-{index}@sender.example>\nMIME-Version: 1.0\n"
            f"Content-Type: multipart/report; report-type=tlsrpt; boundary=\"b{index}\"\n\n"
            f"--b{index}\nContent-Type: text/plain\n\nThis is an aggregate TLS report.\n\n"
            f"--b{index}\nContent-Type: application/tlsrpt+gzip; name=\"{name}\"\n"
            f"Content-Transfer-Encoding: base64\n\n{body}--b{index}--\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--emails", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=8460)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tail = [(f"mx{i}.smallsender{i}.example", f"postmaster@smallsender{i}.example") for i in range(2000)]
    domains = [f"domain{i}.example" for i in range(200)]
    os.makedirs(os.path.join(args.out, "eml"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "mbox"), exist_ok=True)
    mbox = open(os.path.join(args.out, "mbox", "all.mbox"), "w")
    for index in range(args.reports):
        day = f"2026-05-{1 + index % 30:02d}"
        sender, contact = BIG[index % 4] if index % 3 == 0 else tail[rng.randrange(len(tail))]
        report = make_report(rng, index, day, sender, contact, domains[rng.randrange(len(domains))], index % 100 == 7)
        data = gzip.compress(json.dumps(report, separators=(",", ":")).encode(), mtime=0)
        name = f"{contact.split('@')[1]}!bench.example!0!0!{index}.json.gz"
        folder = os.path.join(args.out, "json", f"{index % 64:02d}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"r{index:07d}.json.gz"), "wb") as f:
            f.write(data)
        if index < args.emails:
            message = email(data, name, index)
            with open(os.path.join(args.out, "eml", f"m{index:06d}.eml"), "w") as f:
                f.write(message)
            mbox.write(f"From bench@sender.example Sat May  9 00:00:00 2026\n{message}\n")
    mbox.close()


if __name__ == "__main__":
    main()
