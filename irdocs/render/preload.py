"""What a build worker needs before its first PDF, loaded once in the workers' server process.

Build workers start from a small server process (multiprocessing's "forkserver",
``irdocs.build._worker_context``), which imports this module when it starts, while the build
reads the records and plans. Each worker is then a copy of a server that has already:

- imported WeasyPrint (0.4 s a worker) and made irdocs' changes to it (``speedups.install_all``);
- made one small PDF with text in every script of the certificates and fact sheets: cffi reads the
  C type of each Pango, HarfBuzz and fontconfig structure the first time it is used (0.12 s in
  all), and the modules WeasyPrint loads when it first writes a PDF are loaded;
- read the CLDR data of English and Mongolian (country names, dates: 0.07 s).

Nothing here depends on the records or the templates: a worker still makes its own renderer.
Fonts are not kept (each renderer has its own font configuration). If anything fails, the server
starts anyway and each worker does the same itself, where a failure is reported by name
(``irdocs.build._render``). The warm-up leaves no thread running: a process is only ever copied
while it runs one thread (checked by ``tests/test_build_workers.py``).
"""

from __future__ import annotations

#: Text in each script irdocs prints (Latin, Cyrillic, CJK, Devanagari, Mongol).
_SAMPLE = """<!DOCTYPE html><html lang="en"><body style="font-family: 'Noto Serif'">
<p>Honorary Professor · Хүндэт профессор</p>
<p lang="ja" style="font-family: 'Noto Serif CJK JP'">名誉教授</p>
<p lang="hi" style="font-family: 'Noto Serif Devanagari'">मानद</p>
<p lang="mn-Mong" style="font-family: 'Noto Sans Mongolian'">ᠬᠦᠨᠳᠦᠲᠦ</p>
<svg width="20" height="20"><path d="M0 0h1v1h-1z"/></svg>
</body></html>"""

ready = False


def _warm() -> bool:
    import weasyprint

    from ..localize import LANGUAGES, country_name, format_date
    from .speedups import install_all

    install_all()
    weasyprint.HTML(string=_SAMPLE).write_pdf(pdf_variant="pdf/a-3u", pdf_identifier=b"irdocs-preload")
    import datetime

    for language in LANGUAGES:
        country_name("MN", language)
        format_date(datetime.date(2026, 1, 1), language)
    return True


try:
    ready = _warm()
except Exception:  # never stop the server: each worker does this itself and reports what fails
    ready = False
