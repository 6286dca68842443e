#!/usr/bin/env python3
"""Regenerates the binary fixtures in testdata/ from testdata/src/ (deterministic: gzip mtime 0).

Run from the repository root: python3 scripts/make-fixtures.py
"""
import gzip
import io
import pathlib
import shutil

root = pathlib.Path(__file__).resolve().parent.parent / "testdata"
src = root / "src"
reports = root / "reports"
bad = root / "bad"


def gz(data: bytes) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=9) as f:
        f.write(data)
    return out.getvalue()


def read(name: str) -> bytes:
    return (src / name).read_bytes()


# Valid reports in the shapes of several senders (see testdata/README.md).
(reports / "google.com!mail-example.net!1778198400!1778284799.json.gz").write_bytes(gz(read("google-enforce.json")))
(reports / "microsoft-sts-tlsa.json.gz").write_bytes(gz(read("microsoft-sts-tlsa.json")))
# A .gz without .json in its name, and a report file with no extension at all.
(reports / "socketlabs-split.gz").write_bytes(gz(read("socketlabs-split.json")))
(reports / "apple-report").write_bytes(b"\xef\xbb\xbf" + read("apple-bom.json").rstrip(b"\n") + b"\0\0\0\0")
for name in ["mailru-nextday.json", "rfc-style.json", "postfix-nopolicy.json", "yahoo-weekly-quirks.json"]:
    shutil.copyfile(src / name, reports / name)
# The same Google report again, as received through a second rua address.
(reports / "duplicate-of-google.json").write_bytes(read("google-enforce.json"))

# Broken JSON, one defect each; the file name says which.
base = read("apple-bom.json").decode()
def variant(name: str, old: str, new: str) -> None:
    assert old in base, old
    (bad / name).write_text(base.replace(old, new, 1))
variant("invalid-json.json", '"policies":[', '"policies":[,')
variant("negative-count.json", '"total-successful-session-count":812', '"total-successful-session-count":-812')
variant("fractional-count.json", '"total-successful-session-count":812', '"total-successful-session-count":8.5')
variant("absurd-count.json", '"total-successful-session-count":812', '"total-successful-session-count":99999999999999999999999')
variant("word-count.json", '"total-failure-session-count":0', '"total-failure-session-count":"many"')
variant("missing-summary.json", ',"summary":{"total-successful-session-count":812,"total-failure-session-count":0}', '')
variant("bad-date.json", '"start-datetime":"2026-05-09T00:00:00Z"', '"start-datetime":"April fools"')
variant("end-before-start.json", '"end-datetime":"2026-05-09T23:59:59Z"', '"end-datetime":"2026-05-08T23:59:59Z"')
variant("policies-not-array.json", '"policies":[', '"policies":"none","x":[')
variant("policy-not-object.json", '"policies":[', '"policies":[42,')
variant("details-not-array.json", '"failure-details":[]', '"failure-details":{}')
variant("trailing-garbage.json", base.rstrip(), base.rstrip() + "}")
(bad / "deep-nesting.json").write_text('{"policies":' + "[" * 100000 + "]" * 100000 + "}")

# Broken gzip.
whole = gz(read("google-enforce.json"))
(bad / "truncated.json.gz").write_bytes(whole[: len(whole) // 2])
(bad / "trailing-garbage.json.gz").write_bytes(whole + b"GARBAGE")
(bad / "corrupt.json.gz").write_bytes(whole[:12] + bytes(b ^ 0x55 for b in whole[12:40]) + whole[40:])
# 80 MiB of spaces: 80 KiB on disk, over the default 64 MiB inflate limit.
(bad / "gzip-bomb.json.gz").write_bytes(gz(b" " * (80 << 20)))
# Two gzip members concatenated: valid (gunzip reads both), the JSON split across them.
text = read("apple-bom.json").replace(b"2026-05-09", b"2026-05-10")
(reports / "concatenated-members.json.gz").write_bytes(gz(text[:100]) + gz(text[100:]))

# Hostile inputs that are still reports (kept, with warnings) or clear errors; see docs/security.md.
hostile = root / "hostile"
hostile.mkdir(exist_ok=True)
report_bytes = read("apple-bom.json").rstrip(b"\n")
# Invalid UTF-8 in a string and a duplicate key: kept, escaped on output, both warned about.
(hostile / "invalid-utf8-duplicate-key.json").write_bytes(
    report_bytes.replace(b'"organization-name":"Apple Inc."',
                         b'"organization-name":"Apple Inc.","organization-name":"Apple \xff\xfe Inc."'))
# Terminal escape sequences and control characters in every string a person reads.
(hostile / "escape-sequences.json").write_bytes(
    report_bytes.replace(b'"Apple Inc."', b'"Apple\\u001b]0;pwned\\u0007 \\u001b[2J Inc.\\r\\n"')
    .replace(b'"failure-details":[]',
             b'"failure-details":[{"result-type":"validation-failure\\u001b[31m","receiving-mx-helo":"250-ok\\r\\n250 \\u009b31m",'
             b'"receiving-mx-hostname":"mx1.mail-example.net\\u0000","failed-session-count":0,'
             b'"failure-reason-code":"\\u001b[1;31mFAKE\\u001b[0m"}]'))
# A raw NUL byte inside the JSON: not JSON, a clear error with its offset.
(hostile / "nul-byte.json").write_bytes(report_bytes.replace(b'"Apple Inc."', b'"Apple\x00Inc."'))
# Numbers of every awkward shape in one report: the first bad one is named.
(hostile / "huge-integer.json").write_bytes(
    report_bytes.replace(b'"total-successful-session-count":812', b'"total-successful-session-count":123456789012345678901234567890'))
# A multipart without a boundary parameter: cannot be split, read as one opaque part.
(hostile / "multipart-without-boundary.eml").write_bytes(
    b"From: x@example.org\nSubject: no boundary\nMessage-ID: <nb@example.org>\nContent-Type: multipart/mixed\n\n"
    b"--\nContent-Type: text/plain\n\nhello\n--\n")
