"""honorees.csv as Excel writes it: with or without a byte-order mark, comma or semicolon."""

from tests.conftest import MINI_HONOREES


def test_excel_csv_with_bom_and_semicolons_loads(mini, run):
    semicolon = MINI_HONOREES.replace(",", ";")
    (mini / "honorees.csv").write_bytes(b"\xef\xbb\xbf" + semicolon.replace("\n", "\r\n").encode("utf-8"))
    result = run("check")
    assert result.exit_code == 0, result.stderr
    assert "2 honorary titles" in result.stdout


def test_semicolon_file_with_commas_inside_texts(mini, run):
    text = MINI_HONOREES.replace(",", ";").replace("For teaching.", "For teaching, research and friendship.")
    (mini / "honorees.csv").write_text(text, encoding="utf-8")
    from irdocs.records.validate import load_records

    records = load_records(mini)
    assert records.honorees_by_id["hp-1985-001"].citation == "For teaching, research and friendship."


def test_windows_1251_file_names_the_row(mini, run):
    (mini / "honorees.csv").write_bytes(MINI_HONOREES.encode("cp1251", errors="replace"))
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "records/honorees.csv:2: the file is not UTF-8 text (it may have been saved as Windows-1251 or another old encoding) "
        "(save it as UTF-8; in Excel choose 'CSV UTF-8 (Comma delimited)')"
    )


def test_comment_lines_before_the_header_are_ignored(mini):
    from irdocs.records.validate import load_records

    (mini / "honorees.csv").write_text("# SAMPLE DATA\n\n" + MINI_HONOREES, encoding="utf-8")
    records = load_records(mini)
    assert records.honorees[1].location.line == 5


def test_missing_file_is_named(mini, run):
    (mini / "agreements.yaml").unlink()
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "records/agreements.yaml: file is missing (run 'irdocs init' to start a records folder)"


def test_every_problem_is_listed_at_once(mini, run):
    text = MINI_HONOREES.replace("JP,Alpha", "UK,Alpha").replace(",1985,", ",1975,")
    (mini / "honorees.csv").write_text(text, encoding="utf-8")
    partners = (mini / "partners.yaml").read_text().replace("kind: hospital", "kind: clinic")
    (mini / "partners.yaml").write_text(partners, encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "3 problems found in the records."
    assert [line.split(":")[0] + ":" + line.split(":")[1] for line in lines[:-1]] == [
        "records/honorees.csv:2",
        "records/honorees.csv:3",
        "records/partners.yaml:10",
    ]
