"""What a build worker spends before its first certificate: cffi's C parser is not run for HarfBuzz's
arrays (it was 0.09 s of a worker's first certificate, and 1.5 ms of each later one)."""

from __future__ import annotations

import subprocess
import sys


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
