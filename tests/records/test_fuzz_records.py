"""Property-based: whatever bytes a record file holds, irdocs answers with problems, never a crash."""

import json
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import MINI_AGREEMENTS, MINI_HONOREES, MINI_PARTNERS, SAMPLE

FILES = {"partners.yaml": MINI_PARTNERS, "agreements.yaml": MINI_AGREEMENTS, "honorees.csv": MINI_HONOREES}


def _folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copy(SAMPLE / "institution.yaml", root)
    shutil.copy(SAMPLE / "emblem.svg", root)
    for name, text in FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _check(root):
    from irdocs.errors import RecordsError
    from irdocs.records.validate import load_records

    try:
        load_records(root)
    except RecordsError as exc:
        assert exc.problems, "a RecordsError always lists at least one problem"
        for problem in exc.problems:
            assert str(problem.location).startswith(str(root)) or problem.location.file.startswith(str(root))


fuzz = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@fuzz
@given(name=st.sampled_from([*sorted(FILES), "institution.yaml"]), data=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(tmp_path_factory, name, data):
    root = _folder(tmp_path_factory)
    (root / name).write_bytes(data)
    _check(root)


@fuzz
@given(name=st.sampled_from(sorted(FILES)), data=st.data())
def test_mutated_records_never_crash(tmp_path_factory, name, data):
    root = _folder(tmp_path_factory)
    text = FILES[name]
    position = data.draw(st.integers(0, len(text)))
    insert = data.draw(st.text(alphabet=st.sampled_from(list(":-[]{}\"',;#&*!|>%@`\t\n 0123456789abcXYZ\u200b\x00é山")), max_size=12))
    cut = data.draw(st.integers(0, 10))
    (root / name).write_text(text[:position] + insert + text[position + cut :], encoding="utf-8", errors="surrogatepass")
    _check(root)


@fuzz
@given(value=st.text(max_size=60))
def test_any_text_in_a_field_is_accepted_or_named(tmp_path_factory, value):
    from irdocs.errors import RecordsError
    from irdocs.records.validate import load_records

    root = _folder(tmp_path_factory)
    quoted = json.dumps(value)  # a JSON string is a YAML double-quoted scalar, escapes and all
    (root / "partners.yaml").write_text(MINI_PARTNERS.replace("city: Tokyo", f"city: {quoted}"), encoding="utf-8")
    try:
        records = load_records(root)
    except RecordsError as exc:
        messages = [str(p) for p in exc.problems]
        assert any("city" in m or "cannot read the file" in m for m in messages), messages
    else:
        assert records.partners_by_id["alpha-university"].city == value.strip()
