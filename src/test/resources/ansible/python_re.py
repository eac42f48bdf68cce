#!/usr/bin/env python3
"""What Python's re (and fnmatch) make of regexes, for PythonRegexOracleTests.

stdin: a JSON list of {"regex": str, "glob": bool, "texts": [str]}; with glob the regex is fnmatch.translate(regex).
stdout: a JSON list of {"matches": [bool per text]} (re.match) or {"error": str}.
"""
import fnmatch
import json
import re
import sys
import warnings

warnings.simplefilter("ignore")

out = []
for case in json.load(sys.stdin):
    try:
        source = fnmatch.translate(case["regex"]) if case["glob"] else case["regex"]
        compiled = re.compile(source)
    except Exception as e:
        out.append({"error": "%s: %s" % (type(e).__name__, e)})
        continue
    out.append({"matches": [bool(compiled.match(t)) for t in case["texts"]]})
json.dump(out, sys.stdout)
