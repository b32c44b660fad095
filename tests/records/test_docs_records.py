"""docs/records.md documents every field irdocs accepts."""

import pytest

from tests.conftest import REPO


@pytest.mark.parametrize(
    "model_name",
    ["Institution", "MongolScript", "Person", "Contact", "StaffMember", "History", "Milestone", "Partner", "Agreement", "Programme", "Funding", "Honoree"],
)
def test_every_field_is_documented(model_name):
    import irdocs.records.model as model

    doc = (REPO / "docs" / "records.md").read_text(encoding="utf-8")
    section = doc.split(f"#### {model_name}\n", 1)[1].split("####", 1)[0]
    for name in getattr(model, model_name).model_fields:
        assert f"| `{name}` |" in section, f"{model_name}.{name} is not in docs/records.md"
