"""A records folder scaled up from the sample: every partner, agreement and honoree copied
``factor`` times under new ids, for benchmarks at 10x and 50x."""

from __future__ import annotations

import csv
import io
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from irdocs.records.load import load_folder  # noqa: E402


class _NoAliases(yaml.SafeDumper):
    """Records never use YAML aliases (irdocs refuses them): write shared values out in full."""

    def ignore_aliases(self, data):
        return True


def _dump(key: str, items: list) -> str:
    return yaml.dump({key: items}, Dumper=_NoAliases, allow_unicode=True, sort_keys=False)


def scaled_records(source: Path, target: Path, factor: int) -> Path:
    """Write a records folder with ``factor`` times the partners, agreements and honorees."""
    loaded = load_folder(source)
    target.mkdir(parents=True, exist_ok=True)
    for extra in ("institution.yaml", "emblem.svg"):
        shutil.copy(source / extra, target / extra)

    def suffix(value: str, copy: int) -> str:
        return value if copy == 1 else f"{value}-x{copy}"

    partners, agreements, honorees = [], [], []
    for copy in range(1, factor + 1):
        for raw in loaded["partner"].records:
            p = dict(raw.values)
            p["id"] = suffix(p["id"], copy)
            if copy > 1:
                p["name"] = f"{p['name']} {copy}"
            partners.append(p)
        for raw in loaded["agreement"].records:
            a = dict(raw.values)
            a["id"] = suffix(a["id"], copy)
            a["partners"] = [suffix(pid, copy) for pid in a["partners"]]
            if a.get("signatories"):
                a["signatories"] = {suffix(k, copy) if k != "mnums" else k: v for k, v in a["signatories"].items()}
            if a.get("renews"):
                a["renews"] = suffix(a["renews"], copy)
            agreements.append(a)
        for raw in loaded["honoree"].records:
            h = dict(raw.values)
            h["id"] = suffix(h["id"], copy)
            if h.get("partner"):
                h["partner"] = suffix(h["partner"], copy)
            if h.get("ceremony"):
                # More ceremonies, not bigger ones: at 50x a ceremony of 11 certificates would
                # otherwise hold 550, a 60 MB print file no office makes.
                h["ceremony"] = suffix(h["ceremony"], copy)
            honorees.append(h)
    (target / "partners.yaml").write_text(_dump("partners", partners), encoding="utf-8")
    (target / "agreements.yaml").write_text(_dump("agreements", agreements), encoding="utf-8")
    columns = list(dict.fromkeys(k for h in honorees for k in h))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(honorees)
    (target / "honorees.csv").write_text(out.getvalue(), encoding="utf-8")
    return target


if __name__ == "__main__":
    scaled_records(REPO / "records", Path(sys.argv[2]), int(sys.argv[1]))
