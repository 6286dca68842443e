#!/usr/bin/env python3
"""Deterministic benchmark corpus for tlsrpt (bench/README.md).

    bench/generate.py OUT_DIR --reports 100000 --emails 10000

Writes OUT_DIR/json/<nn>/<name>.json.gz (the reports), OUT_DIR/eml/*.eml (the first --emails
reports again as report emails) and OUT_DIR/mbox/all.mbox (those emails in one mbox).

What it models (an operator of 200 domains, a month of reports):
- senders: 4 big ones (a third of the reports; 64 outbound IPs each) and a long tail of 2,000
  small ones (1 or 2 outbound IPs each, mailing 1 to 3 of the domains); one report per sender,
  domain and day, as real senders send them;
- sizes: most reports are 1-3 KB; about 1 in 100 is a big sender's ~100 KB report with hundreds
  of failure details (every outbound IP x MX host x failure type it saw);
- failures come from configuration, as in real deployments: 1 domain in 4 has one MX host with a
  persistent problem (expired or mismatched certificate, untrusted CA, no STARTTLS) that most of
  its senders hit; on top, transient failures (validation-failure, sts-policy-fetch-error) at
  random MX hosts in 3 reports in 5.
So the distinct hosts and (sender, failure type, MX) keys level off as reports accumulate, as they
do for a real domain; only the reports (and their dedup keys) keep growing.
- emails: as they arrive from real senders (RFC 8460 §5.3 headers, Received lines, a DKIM signature,
  Authentication-Results; the attachment named by the convention with the report's own period).

Every report is unique (no duplicates, no tlsa/sts pairs), so straightforward totals equal
tlsrpt's.
"""
import argparse
import base64
import gzip
import json
import os
import random

PERSISTENT_TYPES = ["certificate-expired", "certificate-host-mismatch", "certificate-not-trusted",
                    "starttls-not-supported"]
TRANSIENT_TYPES = ["validation-failure", "sts-policy-fetch-error"]
REASONS = ["", "X509_V_ERR_CERT_HAS_EXPIRED", "context deadline exceeded"]
BIG = [("Google Inc.", "smtp-tls-reporting@google.com"), ("Microsoft Corporation", "tlsrpt-noreply@microsoft.com"),
       ("Yahoo", "tlsrpt@yahooinc.com"), ("Apple Inc.", "tls-reporting@apple.com")]
DOMAINS = 200


def mx_name(domain, mx):
    return f"mx{mx}.domain{domain}.example"


def mx_ip(domain, mx):  # IPv6 documentation prefix: one address per MX host
    return f"2001:db8:{domain:x}::{mx}"


def broken_mx(domain):  # (mx, result type) of a domain's persistent problem, or None
    if domain % 4 != 3:
        return None
    return 1 + domain % 4, PERSISTENT_TYPES[(domain // 4) % len(PERSISTENT_TYPES)]


def detail(rng, result_type, ip, domain, mx, count):
    return {"result-type": result_type, "sending-mta-ip": ip, "receiving-mx-hostname": mx_name(domain, mx),
            "receiving-ip": mx_ip(domain, mx), "failed-session-count": count,
            "failure-reason-code": rng.choice(REASONS)}


def make_report(rng, index, day, sender, domain, large):
    name, contact, ips = sender
    big = len(ips) > 2
    ok = rng.randint(1000, 2_000_000) if big else rng.randint(1, 500)
    details = []
    broken = broken_mx(domain)
    if large:  # every outbound IP x MX host x failure type seen: hundreds of details
        for ip in rng.sample(ips, 40):
            for mx in range(1, 5):
                for result_type in TRANSIENT_TYPES:
                    if rng.random() < 0.9:
                        details.append(detail(rng, result_type, ip, domain, mx, rng.randint(1, 50)))
                if broken and broken[0] == mx:
                    details.append(detail(rng, broken[1], ip, domain, mx, rng.randint(1, 50)))
    else:
        if broken and rng.random() < 0.8:
            details.append(detail(rng, broken[1], rng.choice(ips), domain, broken[0], rng.randint(1, 50)))
        if rng.random() < 0.6:
            details.append(detail(rng, rng.choice(TRANSIENT_TYPES), rng.choice(ips), domain, rng.randint(1, 4),
                                  rng.randint(1, 5)))
    failed = sum(d["failed-session-count"] for d in details) + rng.randint(0, 3)
    return {
        "organization-name": name,
        "date-range": {"start-datetime": f"{day}T00:00:00Z", "end-datetime": f"{day}T23:59:59Z"},
        "contact-info": contact,
        "report-id": f"{day}T00:00:00Z_domain{domain}.example_{index}",
        "policies": [{
            "policy": {"policy-type": "sts",
                       "policy-string": ["version: STSv1", "mode: testing", f"mx: mx1.domain{domain}.example",
                                         f"mx: *.domain{domain}.example", "max_age: 604800"],
                       "policy-domain": f"domain{domain}.example",
                       "mx-host": [f"mx1.domain{domain}.example", f"*.domain{domain}.example"]},
            "summary": {"total-successful-session-count": ok, "total-failure-session-count": failed},
            "failure-details": details,
        }],
    }


def email(rng, report_bytes, report, name, index):
    """A report email as real senders' look on arrival (RFC 8460 §5.3 headers, the relays' Received
    lines, a DKIM signature and the receiver's Authentication-Results: ~2 KB of headers; Google's
    are ~3.4 KB)."""
    body = base64.encodebytes(report_bytes).decode()
    submitter = report["contact-info"].split("@")[1]
    domain = report["policies"][0]["policy"]["policy-domain"]
    report_id = report["report-id"]
    day = report["date-range"]["start-datetime"][:10]
    date = f"{day[8:10]} May 2026 06:{index % 60:02d}:{index * 7 % 60:02d} +0000"
    sig = base64.b64encode(rng.randbytes(256)).decode()
    sig_lines = "\n         ".join(sig[i:i + 66] for i in range(0, len(sig), 66))
    return (f"Return-Path: <bounces-{index}@{submitter}>\n"
            f"Received: from mx.bench.example (mx.bench.example [192.0.2.25])\n\tby inbox.bench.example"
            f" (Postfix) with ESMTPS id {index:08X}\n\tfor <tlsrpt@{domain}>; {date}\n"
            f"Received: from mail-out.{submitter} (mail-out.{submitter} [198.51.100.{index % 250 + 1}])\n"
            f"\tby mx.bench.example (Postfix) with ESMTPS id {index * 31 % 10**8:08X}\n"
            f"\tfor <tlsrpt@{domain}>; {date}\n"
            f"Authentication-Results: inbox.bench.example;\n\tdkim=pass header.d={submitter}"
            f" header.s=tlsrpt header.b=abcdefgh;\n\tspf=pass smtp.mailfrom={submitter}\n"
            f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\n        d={submitter}; s=tlsrpt;"
            f" t=1778300000; x=1778904800;\n        h=to:from:subject:message-id:tls-report-submitter"
            f":tls-report-domain\n         :date:mime-version;\n"
            f"        bh={base64.b64encode(rng.randbytes(32)).decode()};\n        b={sig_lines}\n"
            f"MIME-Version: 1.0\nDate: {date}\nTLS-Report-Domain: {domain}\nTLS-Report-Submitter: {submitter}\n"
            f"Message-ID: <tlsrpt-{index}@{submitter}>\n"
            f"Subject: Report Domain: {domain} Submitter: {submitter} Report-ID: <{report_id}>\n"
            f"From: TLS reporting <{report['contact-info']}>\nTo: tlsrpt@{domain}\n"
            f"Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"b{index}\"\n\n"
            f"--b{index}\nContent-Type: text/plain; charset=\"UTF-8\"; format=flowed; delsp=yes\n\n"
            f"This is an aggregate TLS report from {submitter}\n\n"
            f"--b{index}\nContent-Type: application/tlsrpt+gzip; name=\"{name}\"\n"
            f"Content-Disposition: attachment; filename=\"{name}\"\n"
            f"Content-Transfer-Encoding: base64\n\n{body}--b{index}--\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--emails", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=8460)
    # The long tail of small senders (bench/memory takes 100: every sender, domain and day is then
    # seen within the first 100,000 reports, so that what grows after is the reports alone).
    parser.add_argument("--tail-senders", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    mail_rng = random.Random(args.seed + 1)  # the emails' own: the reports stay as they were
    # (organization-name, contact-info, outbound IPs); 198.18.0.0/15 is the benchmarking range.
    big = [(name, contact, [f"198.19.{b}.{i}" for i in range(1, 65)]) for b, (name, contact) in enumerate(BIG)]
    tail = [(f"mx{i}.smallsender{i}.example", f"postmaster@smallsender{i}.example",
             [f"198.18.{i // 100}.{(i % 100) * 2 + k + 1}" for k in range(1 + i % 2)])
            for i in range(args.tail_senders)]
    tail_domains = [rng.sample(range(DOMAINS), 1 + i % 3) for i in range(len(tail))]
    os.makedirs(os.path.join(args.out, "eml"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "mbox"), exist_ok=True)
    mbox = open(os.path.join(args.out, "mbox", "all.mbox"), "w")
    for index in range(args.reports):
        day = f"2026-05-{1 + index % 30:02d}"
        large = index % 100 == 9  # a big sender's report with hundreds of failure details
        if index % 3 == 0 or large:
            sender = big[index % 4]
            domain = rng.randrange(DOMAINS)
        else:
            which = rng.randrange(len(tail))
            sender = tail[which]
            domain = rng.choice(tail_domains[which])
        report = make_report(rng, index, day, sender, domain, large)
        # Google sends compact JSON; most others indent it (which makes most reports 1-3 KB).
        compact = sender[0] == "Google Inc."
        text = json.dumps(report, separators=(",", ":")) if compact else json.dumps(report, indent=2)
        data = gzip.compress(text.encode(), mtime=0)
        begin = 1777593600 + (index % 30) * 86400  # 2026-05-01T00:00:00Z + the day
        name = f"{sender[1].split('@')[1]}!domain{domain}.example!{begin}!{begin + 86399}!{index}.json.gz"
        folder = os.path.join(args.out, "json", f"{index % 64:02d}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"r{index:07d}.json.gz"), "wb") as f:
            f.write(data)
        if index < args.emails:
            message = email(mail_rng, data, report, name, index)
            with open(os.path.join(args.out, "eml", f"m{index:06d}.eml"), "w") as f:
                f.write(message)
            mbox.write(f"From bench@sender.example Sat May  9 00:00:00 2026\n{message}\n")
    mbox.close()


if __name__ == "__main__":
    main()
