"""The benchmark's peer: irdocs' honorary-professor certificate set by Typst (PyPI ``typst``, a
dev-only dependency), a native typesetter, from the same values, fonts, frame and QR code.

``bench/run.py`` times it against ``irdocs build certificates`` in the same run;
``tests/test_bench_peer.py`` checks that the two pages look alike (60 dpi, a stated tolerance).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DESIGN = REPO / "bench" / "typst" / "honorary-professor.typ"


def typst_inputs(records, honoree, serial: str, code: str) -> dict[str, str]:
    """sys.inputs of the Typst design: irdocs' certificate context (as JSON) and the QR code's SVG."""
    import segno

    from irdocs.documents.certificates.context import certificate_context
    from irdocs.documents.certificates.verify import verification_url

    url = verification_url(records.institution.verification_url, serial, code)
    svg = segno.make(url, error="m", micro=False).svg_inline(scale=1, border=0, omitsize=True, dark="#000000")
    context = certificate_context(honoree, records.institution, serial=serial, code=code, url=url, qr_svg="", emblem_url=None)
    wanted = {key: value for key, value in context.items() if key not in ("qr_svg", "metadata")}
    return {"data": json.dumps(wanted, ensure_ascii=False, default=str), "qr": svg}


class TypstCertificates:
    """One Typst compiler (fonts loaded once) making PDF/A-3u certificates."""

    def __init__(self):
        import typst

        self.compiler = typst.Compiler(DESIGN, root=REPO)

    def pdf(self, inputs: dict[str, str]) -> bytes:
        return self.compiler.compile(sys_inputs=inputs, pdf_standards="a-3u")


_MAKER: TypstCertificates | None = None


def _init() -> None:
    global _MAKER
    _MAKER = TypstCertificates()


def _one(job: tuple[str, dict[str, str]]) -> tuple[str, int]:
    assert _MAKER is not None
    name, inputs = job
    return name, len(_MAKER.pdf(inputs))


def typst_certificates(records_dir: Path, out_dir: Path, jobs: int) -> tuple[float, int]:
    """Seconds to make every honoree's certificate with Typst in ``jobs`` processes, and the count.

    Timed as irdocs' build is: from the records loaded to every PDF written (the processes'
    start and Typst's font loading included).
    """
    import multiprocessing

    from irdocs.records.validate import load_records

    records = load_records(records_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    work = [(h.id, typst_inputs(records, h, f"MNUMS-HP-2024-{n:04d}", "ABCDEFGHJK")) for n, h in enumerate(records.honorees, 1)]
    if jobs <= 1:
        _init()
        sizes = [_one(job) for job in work]
    else:
        with multiprocessing.get_context("forkserver").Pool(jobs, initializer=_init) as pool:
            sizes = list(pool.imap_unordered(_one, work, chunksize=4))
    seconds = time.perf_counter() - start
    return seconds, len(sizes)


def main() -> None:
    """python bench/peer.py RECORDS OUT JOBS: make every honoree's certificate with Typst; prints
    the seconds and the count (bench/run.py times the whole process from outside)."""
    import sys

    sys.path.insert(0, str(REPO))
    records_dir, out_dir, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    seconds, count = typst_certificates(records_dir, out_dir, jobs)
    print(f"{seconds:.3f} {count}")


if __name__ == "__main__":
    main()
