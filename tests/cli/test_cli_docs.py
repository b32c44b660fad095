"""The command line answers at once, and the README documents every command."""

import re
import subprocess
import sys

from tests.conftest import REPO


def test_help_imports_no_heavy_library():
    code = "import sys; from irdocs.cli import main; heavy = {'pydantic', 'weasyprint', 'docxtpl', 'babel', 'rich'} & set(sys.modules); print(sorted(heavy))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_command_is_in_the_readme(run):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    help_text = run("--help").stdout
    commands = re.findall(r"^  (\w[\w-]*)\s", help_text.split("Commands:")[1], flags=re.M)
    assert commands
    for command in commands:
        assert f"irdocs {command}" in readme, f"README does not show 'irdocs {command}'"


def test_readme_starts_with_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    assert "make demo" in first_block and "make test" in first_block
