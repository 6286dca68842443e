#!/usr/bin/python3
"""Validates JSON documents (or NDJSON lines, for *.ndjson) against a JSON Schema with Debian's
python3-jsonschema. Usage: validate.py SCHEMA FILE... Prints "ok" or every error, exit 0 or 1."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
errors = []
for path in sys.argv[2:]:
    text = open(path).read()
    documents = [json.loads(line) for line in text.splitlines() if line.strip()] \
        if path.endswith(".ndjson") else [json.loads(text)]
    for index, document in enumerate(documents):
        for error in validator.iter_errors(document):
            where = "/".join(str(p) for p in error.absolute_path)
            errors.append(f"{path}[{index}] at /{where}: {error.message[:300]}")
if errors:
    print("\n".join(errors[:50]))
    sys.exit(1)
print("ok")
