"""Build workers start warm: their server process (multiprocessing's forkserver) loads WeasyPrint
while the build reads the records (irdocs/render/preload.py), only for builds that write PDFs,
and leaves no thread running, so copying it is safe."""

from __future__ import annotations

import subprocess
import sys

_SERVER = """
import sys
from multiprocessing import forkserver
from irdocs import build
build.start_workers_server(sys.argv[1:])
print(",".join(forkserver._forkserver._preload_modules))
"""


def _preloaded(*kinds: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", _SERVER, *kinds], capture_output=True, text=True, check=True)
    return done.stdout.strip().split(",")


def test_a_build_of_pdfs_loads_weasyprint_in_the_workers_server():
    assert _preloaded("certificates") == ["irdocs.build", "irdocs.render.preload"]
    assert _preloaded("agreements", "factsheets") == ["irdocs.build", "irdocs.render.preload"]


def test_a_build_of_word_drafts_alone_does_not():
    assert _preloaded("agreements") == ["irdocs.build"]


def test_the_warm_up_works_and_leaves_one_thread():
    code = "import os, irdocs.render.preload as p, weasyprint; print(p.ready, len(os.listdir('/proc/self/task')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "1"]


def test_harfbuzz_arrays_of_any_length_need_no_c_parser():
    """cffi read 'hb_codepoint_t[23]' with its C parser, 6 ms for each new length (46 in 192 certificates)."""
    code = """
from irdocs.render.speedups import install_all
from weasyprint.text.ffi import ffi
install_all()
ffi.typeof("hb_codepoint_t")
def refuse(*args):
    raise AssertionError("parsed")
ffi._parser.parse_type = refuse
array = ffi.new("hb_codepoint_t[777]", list(range(777)))
print(ffi.typeof(array).cname, array[776], ffi.sizeof(array))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["uint32_t[777]", "776", "3108"]
