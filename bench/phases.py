#!/usr/bin/env python3
"""Where a warm build worker's certificate goes: CPU milliseconds per phase (see bench/RESULTS.md).

One process makes certificates of the sample's honorees (every fourth or so, all designs) after
warming up on three, with irdocs' changes to WeasyPrint in place, and times each phase with the
process's CPU clock (the machine is shared: CPU time varies less than the clock). Phases nest:
"render" holds the HTML, parse, cascade, boxes and layout (the layout: the render's remainder); "write" holds paint, fonts and
serialisation. Prints figures; asserts nothing.

    python bench/phases.py [--count 40] [--profile cumulative]
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import functools
import pstats
import shutil
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--profile", metavar="SORT", help="also print a cProfile of the same certificates, sorted by SORT")
    options = parser.parse_args()

    import pydyf
    import segno
    import weasyprint
    import weasyprint.document as document
    import weasyprint.pdf.fonts as fonts

    from irdocs.documents.certificates.kind import CertificateMaker
    from irdocs.records.validate import load_records
    from irdocs.render.speedups import install_all

    install_all()
    spent: collections.Counter = collections.Counter()

    def timed(owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] += time.process_time() - started

        setattr(owner, name, wrapper)

    timed(CertificateMaker, "check_fonts", "a. font check")
    timed(CertificateMaker, "html", "b. HTML (Jinja and QR)")
    timed(segno, "make", "b1. QR code (segno)")
    timed(weasyprint.HTML, "__init__", "c. HTML parse")
    timed(document, "get_all_computed_styles", "d. style cascade")
    timed(document, "build_formatting_structure", "e. boxes")
    timed(CertificateMaker, "render", "render (b to f)")
    timed(document.Page, "paint", "g. paint")
    timed(fonts.Font, "clean", "h. font subsets")
    timed(pydyf.PDF, "write", "i. PDF serialisation")
    timed(document.Document, "write_pdf", "write (g to i)")

    with tempfile.TemporaryDirectory(prefix="irdocs-phases-") as tmp:
        records_dir = Path(shutil.copytree(REPO / "records", Path(tmp) / "records", ignore=shutil.ignore_patterns("register.sqlite3*", ".irdocs*")))
        records = load_records(records_dir)
        maker = CertificateMaker(records.institution, records.root)
        honorees = records.honorees[:: max(1, len(records.honorees) // (options.count + 3))][: options.count + 3]
        for honoree in honorees[:3]:
            maker.pdf(honoree, "MNUMS-HD-2020-0001", "ABCDEFGHJK")
        spent.clear()
        started = time.process_time()
        for honoree in honorees[3:]:
            maker.pdf(honoree, "MNUMS-HD-2020-0001", "ABCDEFGHJK")
        total = time.process_time() - started
        count = len(honorees) - 3
        print(f"{count} certificates, CPU ms each: {total / count * 1000:.1f} in all")
        # layout_document is a generator (the pages are laid out as the Document takes them): its
        # time is what the render spent outside the other phases
        spent["f. layout (the rest of the render)"] = spent["render (b to f)"] - sum(
            spent[label] for label in ("b. HTML (Jinja and QR)", "c. HTML parse", "d. style cascade", "e. boxes")
        )
        for label in sorted(spent):
            print(f"  {label:26} {spent[label] / count * 1000:6.1f} ms   {spent[label] / total:5.1%}")
        if options.profile:
            profile = cProfile.Profile()
            profile.enable()
            for honoree in honorees[3:]:
                maker.pdf(honoree, "MNUMS-HD-2020-0001", "ABCDEFGHJK")
            profile.disable()
            pstats.Stats(profile).sort_stats(options.profile).print_stats(40)


if __name__ == "__main__":
    main()
