#!/usr/bin/env python3
"""Writes the mail fixtures: testdata/mail (messages and a Maildir), testdata/mbox, and broken
messages in testdata/bad. Deterministic; run from anywhere: python3 scripts/make-mail-fixtures.py
Each message reproduces MIME shapes real senders produce (see testdata/README.md)."""
import base64
import gzip
import io
import json
import pathlib
import quopri
import shutil
import zipfile

root = pathlib.Path(__file__).resolve().parent.parent / "testdata"
mail = root / "mail"
bad = root / "bad"


def gz(data: bytes) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as f:
        f.write(data)
    return out.getvalue()


def b64(data: bytes, width: int = 76) -> str:
    text = base64.b64encode(data).decode()
    if width == 0:
        return text
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


# The MTA-STS mx patterns of the two test domains, as in testdata/reports.
MX = {"mail-example.net": ["mx1.mail-example.net", "*.backup.mail-example.net"],
      "other-example.org": ["*.mail.other-example.org"]}


def report(org, contact, rid, day, domain, ok, failures, sts_mode="enforce", zone="Z"):
    details = [
        {"result-type": t, "sending-mta-ip": ip, "receiving-mx-hostname": mx, "failed-session-count": n}
        for (t, ip, mx, n) in failures
    ]
    policy = {
        "policy": {
            "policy-type": "sts",
            "policy-string": ["version: STSv1", f"mode: {sts_mode}"] + [f"mx: {mx}" for mx in MX[domain]]
                             + ["max_age: 604800"],
            "policy-domain": domain,
        },
        "summary": {"total-successful-session-count": ok,
                    "total-failure-session-count": sum(n for (_, _, _, n) in failures)},
    }
    if details:
        policy["failure-details"] = details
    return {
        "organization-name": org,
        "date-range": {"start-datetime": f"{day}T00:00:00{zone}", "end-datetime": f"{day}T23:59:59{zone}"},
        "contact-info": contact,
        "report-id": rid,
        "policies": [policy],
    }


def compact(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode()


google = report("Google Inc.", "smtp-tls-reporting@google.com", "2026-05-09T00:00:00Z_mail-example.net",
                "2026-05-09", "mail-example.net", 1480,
                [("certificate-host-mismatch", "209.85.220.41", "mx2.backup.mail-example.net", 9)])
microsoft = report("Microsoft Corporation", "tlsrpt-noreply@microsoft.com", "134228729600000000+mail-example.net",
                   "2026-05-09", "mail-example.net", 977, [], zone="")
company = report("Company-Y", "tlsrpt@company-y.example", "cy-2026-05-09-1", "2026-05-09", "mail-example.net", 40,
                 [("starttls-not-supported", "192.0.2.50", "mx3.mail-example.net", 2)])
zipped = report("Zip Sender", "reports@zip-sender.example", "zip-2026-05-09", "2026-05-09", "mail-example.net", 15, [])
xgzip = report("Gzip Sender", "tlsrpt@gzip-sender.example", "gz-2026-05-09", "2026-05-09", "mail-example.net", 30, [])
json_sender = report("Json Sender", "tlsrpt@json-sender.example", "js-2026-05-09", "2026-05-09", "other-example.org",
                     12, [("validation-failure", "198.51.100.9", "mx1.mail.other-example.org", 1)], sts_mode="testing")
maildir_new = report("Maildir Sender", "tlsrpt@maildir.example", "md-2026-05-10", "2026-05-10", "mail-example.net",
                     70, [])
maildir_sub = report("Maildir Sender", "tlsrpt@maildir.example", "md-2026-05-11", "2026-05-11", "mail-example.net",
                     71, [("certificate-expired", "192.0.2.77", "mx1.mail-example.net", 1)])

messages = {}

# Google's shape: CRLF, unquoted report-type, a gateway's QP banner in the text part, attachment
# type with a trailing space before the folded name, Authentication-Results with a comment
# holding ';'.
messages["google-report.eml"] = crlf(f"""Return-Path:
 <3abc@smtp-tls-reporting.bounces.google.com>
Authentication-Results: mx.mail-example.net;
\tdkim=pass (2048-bit key; unprotected) header.d=google.com header.i=@google.com header.b=AbCdEf;
\tspf=pass smtp.mailfrom=smtp-tls-reporting.bounces.google.com
Received: from mail-qk1-f198.google.com (mail-qk1-f198.google.com [209.85.222.198])
\tby mx.mail-example.net (Postfix) with ESMTPS id 4Y2; Sat, 10 May 2026 05:12:44 +0000 (UTC)
MIME-Version: 1.0
Date: Fri, 09 May 2026 22:12:44 -0700
Message-ID: <000000000000a1b2c3@google.com>
Subject: Report Domain: mail-example.net Submitter: google.com
 Report-ID: <2026.05.09T00.00.00Z+mail-example.net@google.com>
From: noreply-smtp-tls-reporting@google.com
To: tlsrpt@mail-example.net
TLS-Report-Domain: mail-example.net
TLS-Report-Submitter: google.com
Content-Type: multipart/report; boundary="000000000000d4e5f6"; report-type=tlsrpt

--000000000000d4e5f6
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

External Email =E2=80=93 Please use caution before opening attachments.
This is an aggregate TLS report from google.com

--000000000000d4e5f6
Content-Type: application/tlsrpt+gzip;\x20
\tname="google.com!mail-example.net!1778284800!1778371199!001.json.gz"
Content-Disposition: attachment;
\tfilename="google.com!mail-example.net!1778284800!1778371199!001.json.gz"
Content-Transfer-Encoding: base64

{b64(gz(compact(google)))}
--000000000000d4e5f6--
""")

# Microsoft's shape: LF, HTML-only human part, no name= parameter, the file name RFC 2231-encoded
# in Content-Disposition, Content-Description, zone-less dates, two Return-Path headers, Subject
# folded with the Report-ID without angle brackets.
messages["microsoft-report.eml"] = f"""Return-Path: <tlsrpt-noreply@microsoft.com>
Return-Path: tlsrpt-noreply@microsoft.com
Authentication-Results: mx.mail-example.net; dkim=pass (1024 bit rsa) header.d=microsoft.com header.s=selector2; spf=pass
From: <tlsrpt-noreply@microsoft.com>
To: <tlsrpt@mail-example.net>
Date: Sat, 10 May 2026 05:09:22 +0000
Subject: Report Domain: mail-example.net Submitter: microsoft.com Report-ID:
 134228729600000000+mail-example.net
TLS-Report-Domain: mail-example.net
TLS-Report-Submitter: microsoft.com
Message-ID: <134228729600000000+mail-example.net@mail-example.net>
Content-Type: multipart/report;
\tboundary="_078e4900-4595-46ae-b003-a8055864441a_";
\treport-type="tlsrpt"
MIME-Version: 1.0

--_078e4900-4595-46ae-b003-a8055864441a_
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<div>This is an aggregate TLS report from microsoft.com</div>

--_078e4900-4595-46ae-b003-a8055864441a_
Content-Type: application/tlsrpt+gzip
Content-Description:
 microsoft.com!mail-example.net!1778284800!1778371199!134228729600000000.json.gz
Content-Disposition: attachment;
\tfilename*=utf-8''microsoft.com%21mail-example.net%211778284800%211778371199%21134228729600000000.json.gz
Content-Transfer-Encoding: base64

{b64(gz(compact(microsoft)), 72)}
--_078e4900-4595-46ae-b003-a8055864441a_--
""".encode()

# Bare application/tlsrpt, no Content-Transfer-Encoding, raw pretty JSON, and no closing boundary
# (the message ends with a plain delimiter line, as Mail.ru's does).
messages["raw-json-no-closing-boundary.eml"] = crlf(f"""From: tlsrpt@company-y.example
Date: Sat, 10 May 2026 01:00:00 +0000
To: tlsrpt@mail-example.net
Subject: Report Domain: mail-example.net
    Submitter: company-y.example
    Report-ID: <cy-2026-05-09-1>
TLS-Report-Domain: mail-example.net
TLS-Report-Submitter: company-y.example
Message-ID: <cy-2026-05-09-1@company-y.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type="tlsrpt";
    boundary="----=_NextPart_000_024E_01CC9B0A.AFE54C00"

This is a multipart message in MIME format.

------=_NextPart_000_024E_01CC9B0A.AFE54C00
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: 7bit

This is an aggregate TLS report from company-y.example

------=_NextPart_000_024E_01CC9B0A.AFE54C00
Content-Type: application/tlsrpt
Content-Disposition: attachment;
    filename="company-y.example!mail-example.net!1778284800!1778371199.json"

{json.dumps(company, indent=4)}

------=_NextPart_000_024E_01CC9B0A.AFE54C00
""")

# The report as the whole body, quoted-printable JSON with soft line breaks, no multipart.
qp = quopri.encodestring(json.dumps(json_sender, indent=1).encode()).decode()
messages["whole-body-qp.eml"] = f"""From: "Json Sender" <tlsrpt@json-sender.example>
To: tlsrpt@other-example.org
Date: Sat, 10 May 2026 02:00:00 +0000
Subject: =?UTF-8?B?UmVwb3J0IERvbWFpbjogb3RoZXItZXhhbXBsZS5vcmc=?= =?UTF-8?Q?_Submitter:_json-sender.example?=
Message-ID: <js-2026-05-09@json-sender.example>
MIME-Version: 1.0
Content-Type: application/tlsrpt+json
Content-Transfer-Encoding: quoted-printable

{qp}""".encode()

# multipart/mixed holding a multipart/alternative and an application/octet-stream attachment,
# base64 on one unfolded line without padding; an x-gzip and a json attachment in one message.
gz_one_line = b64(gz(compact(xgzip)), 0).rstrip("=")
messages["nested-mixed-octet-stream.eml"] = f"""From: Gzip Sender <tlsrpt@gzip-sender.example>
To: tlsrpt@mail-example.net
Date: Sat, 10 May 2026 03:00:00 +0000
Subject: TLS report for mail-example.net
Message-ID: <gz-2026-05-09@gzip-sender.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain

Your TLS report is attached.
--inner
Content-Type: text/html

<p>Your TLS report is attached.</p>
--inner--

--outer
Content-Type: application/octet-stream; name="report.json.gz"
Content-Transfer-Encoding: base64

{gz_one_line}
--outer--
""".encode()

two = f"""From: Reports <reports@zip-sender.example>
To: tlsrpt@mail-example.net
Date: Sat, 10 May 2026 04:00:00 +0000
Subject: TLS reports
Message-ID: <two-2026-05-09@zip-sender.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: application/x-gzip; name="gzip-sender.example!mail-example.net!1778284800!1778371199.json.gz"
Content-Transfer-Encoding: base64

{b64(gz(compact(xgzip).replace(b"gz-2026", b"gz2-2026")))}
--b1
Content-Type: application/json; name="json.json"
Content-Transfer-Encoding: 8bit

{json.dumps(json_sender).replace("js-2026", "js2-2026")}
--b1--
"""
messages["two-attachments.eml"] = two.encode()

zbuf = io.BytesIO()
with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as z:
    info = zipfile.ZipInfo("zip-sender.example!mail-example.net!1778284800!1778371199.json", (2026, 5, 10, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, compact(zipped))
messages["zip-attachment.eml"] = f"""From: Zip Sender <reports@zip-sender.example>
To: tlsrpt@mail-example.net
Date: Sat, 10 May 2026 04:30:00 +0000
Subject: Report Domain: mail-example.net Submitter: zip-sender.example Report-ID: <zip-2026-05-09>
Message-ID: <zip-2026-05-09@zip-sender.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=tlsrpt; boundary="z"

--z
Content-Type: text/plain

Zipped report attached.
--z
Content-Type: application/zip; name="zip-sender.example!mail-example.net!1778284800!1778371199.zip"
Content-Transfer-Encoding: base64

{b64(zbuf.getvalue())}
--z--
""".encode()

# Not TLS reports: a DMARC aggregate report zipped (its Subject looks like a TLS-RPT one), a
# bounce, an ordinary message.
dbuf = io.BytesIO()
with zipfile.ZipFile(dbuf, "w", zipfile.ZIP_DEFLATED) as z:
    info = zipfile.ZipInfo("google.com!mail-example.net!1778284800!1778371199.xml", (2026, 5, 10, 0, 0, 0))
    z.writestr(info, b'<?xml version="1.0" encoding="UTF-8" ?>\n<feedback><report_metadata><org_name>google.com'
                     b'</org_name></report_metadata></feedback>\n')
messages["dmarc-zip.eml"] = f"""From: noreply-dmarc-support@google.com
To: dmarc@mail-example.net
Date: Sat, 10 May 2026 06:00:00 +0000
Subject: Report domain: mail-example.net Submitter: google.com Report-ID: 1234567890123456789
Message-ID: <dmarc-1234567890123456789@google.com>
MIME-Version: 1.0
Content-Type: application/zip; name="google.com!mail-example.net!1778284800!1778371199.zip"
Content-Disposition: attachment; filename="google.com!mail-example.net!1778284800!1778371199.zip"
Content-Transfer-Encoding: base64

{b64(dbuf.getvalue())}
""".encode()

messages["bounce.eml"] = b"""From: MAILER-DAEMON@mx.mail-example.net
To: postmaster@mail-example.net
Date: Sat, 10 May 2026 07:00:00 +0000
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce-1@mx.mail-example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="d"

--d
Content-Type: text/plain

The mail system could not deliver your message.
--d
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.mail-example.net
Final-Recipient: rfc822; nobody@example.org
Action: failed
Status: 5.1.1
--d--
"""

messages["ordinary.eml"] = b"""From: Alice <alice@mail-example.net>
To: postmaster@mail-example.net
Date: Sat, 10 May 2026 08:00:00 +0000
Subject: Lunch?
Message-ID: <lunch@mail-example.net>

Are you free for lunch on Tuesday?
"""

# A report whose DKIM pass is for another domain than its submitter, and whose
# TLS-Report-Domain disagrees with the report: both worth a look.
forged = report("Google Inc.", "smtp-tls-reporting@google.com", "2026-05-09T00:00:00Z_forged", "2026-05-09",
                "mail-example.net", 0, [("starttls-not-supported", "203.0.113.66", "mx1.mail-example.net", 5000)])
messages["forged-google.eml"] = f"""Authentication-Results: mx.mail-example.net; dkim=pass header.d=attacker.example; spf=pass
Received: from attacker.example by mx.mail-example.net
From: noreply-smtp-tls-reporting@google.com
To: tlsrpt@mail-example.net
Date: Sat, 10 May 2026 09:00:00 +0000
Subject: Report Domain: other-example.org Submitter: google.com
Message-ID: <forged@attacker.example>
TLS-Report-Domain: other-example.org
TLS-Report-Submitter: google.com
MIME-Version: 1.0
Content-Type: multipart/report; report-type=tlsrpt; boundary="f"

--f
Content-Type: application/tlsrpt+json; name="google.com!mail-example.net!1778284800!1778371199.json"

{json.dumps(forged)}
--f--
""".encode()

for old in mail.glob("*.eml"):
    old.unlink()
for name, data in messages.items():
    (root / "forged" if name == "forged-google.eml" else mail).joinpath(name).write_bytes(data)


def message_for_maildir(rep, mid):
    return f"""From: Maildir Sender <tlsrpt@maildir.example>
To: tlsrpt@mail-example.net
Date: Sun, 11 May 2026 01:00:00 +0000
Subject: Report Domain: mail-example.net Submitter: maildir.example
Message-ID: <{mid}@maildir.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type="tlsrpt"; boundary="m"

--m
Content-Type: application/tlsrpt+gzip
Content-Disposition: attachment; filename="report.json.gz"
Content-Transfer-Encoding: base64

{b64(gz(compact(rep)))}
--m--
""".encode()


# A Maildir with a Maildir++ subfolder; tmp/ and the server's files are not read.
maildir = mail / "Maildir"
shutil.rmtree(maildir, ignore_errors=True)
for folder in [maildir, maildir / ".Reports"]:
    for sub in ["cur", "new", "tmp"]:
        (folder / sub).mkdir(parents=True)
(maildir / "new" / "1778461200.M1P1.host").write_bytes(message_for_maildir(maildir_new, "md1"))
(maildir / "cur" / "1778374800.M2P1.host:2,S").write_bytes(messages["ordinary.eml"])
(maildir / ".Reports" / "cur" / "1778547600.M3P1.host:2,S").write_bytes(message_for_maildir(maildir_sub, "md2"))
(maildir / "tmp" / "1778547601.M4P1.host").write_bytes(b"From: half-delivered\n")
(maildir / "dovecot-uidlist").write_bytes(b"3 V1778374800 N4\n")
# git keeps no empty directories: hidden placeholders keep them (hidden files are not read).
(maildir / ".Reports" / "tmp" / ".keep").write_bytes(b"")
(maildir / ".Reports" / "new" / ".keep").write_bytes(b"")

# Broken mail, in testdata/bad.
broken_gz = gz(compact(google))[:-20]
(bad / "mail-truncated-gzip.eml").write_bytes(
    messages["google-report.eml"].split(b"Content-Transfer-Encoding: base64\r\n\r\n")[0]
    + b"Content-Transfer-Encoding: base64\r\n\r\n" + crlf(b64(broken_gz)) + b"\r\n--000000000000d4e5f6--\r\n")
(bad / "mail-bad-base64.eml").write_bytes(f"""From: x@example.org
Subject: bad base64
Message-ID: <bad64@example.org>
Content-Type: multipart/report; report-type=tlsrpt; boundary="q"

--q
Content-Type: application/tlsrpt+gzip; name="r.json.gz"
Content-Transfer-Encoding: base64

H4sIAAAAAAAA!!!not base64 at all###
--q--
""".encode())
depth = 1000
nested = "From: x@example.org\nSubject: nested\nMessage-ID: <deep@example.org>\n"
for level in range(depth):
    nested += f'Content-Type: multipart/mixed; boundary="b{level}"\n\n--b{level}\n'
nested += "Content-Type: text/plain\n\nhello\n"
(bad / "mail-nested-1000-deep.eml").write_bytes(nested.encode())

# A postmaster mailbox: TLS reports, the same report again (second rua address), a DMARC report,
# ordinary mail with a ">From " quoted line, a broken report, a bounce.
mbox = b""
for index, name in enumerate(["google-report.eml", "dmarc-zip.eml", "ordinary.eml", "microsoft-report.eml",
                              "google-report.eml", "bounce.eml"]):
    body = messages[name].replace(b"\r\n", b"\n")
    if name == "ordinary.eml":
        body = body.replace(b"Are you free", b"Hi,\n>From the minutes: are you free") + b"\n>>From here on, mboxrd.\n"
    mbox += f"From sender{index}@example.org Sat May 10 0{index}:00:00 2026\n".encode() + body
    if not mbox.endswith(b"\n"):
        mbox += b"\n"
    mbox += b"\n"
    if index == 2:
        mbox += b"From broken@example.org Sat May 10 09:00:00 2026\n" + \
            (bad / "mail-truncated-gzip.eml").read_bytes().replace(b"\r\n", b"\n") + b"\n"
(root / "mbox" / "postmaster.mbox").write_bytes(mbox)
