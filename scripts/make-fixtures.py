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
