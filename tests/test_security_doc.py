"""SECURITY.md names, for each promise, the tests that prove it: every one it names exists."""

import re

from tests.conftest import REPO

#: `tests/file.py::test_name`, or `::test_name` for another test of the file named before it;
#: a bracket after it lists cases of a table-driven test.
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)?(?:::(\w+))?`(?: \[([^\]]+)\])?")


def test_every_test_security_md_names_exists():
    text = (REPO / "SECURITY.md").read_text(encoding="utf-8")
    named = 0
    for line in text.splitlines():
        current = None
        for file, test, cases in REFERENCE.findall(line):
            if file:
                current = REPO / file
                assert current.is_file(), f"SECURITY.md names {file}, which does not exist"
            if not test:
                continue
            assert current is not None, f"'::{test}' without a test file before it: {line}"
            source = current.read_text(encoding="utf-8")
            assert f"def {test}(" in source, f"SECURITY.md names {current.name}::{test}, which does not exist"
            for case in filter(None, (c.strip() for c in cases.split(","))):
                assert f'"{case}"' in source, f"SECURITY.md names the case [{case}] of {test}, which {current.name} does not have"
            named += 1
    assert named >= 30
