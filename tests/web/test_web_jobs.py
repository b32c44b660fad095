"""Documents made from the web pages and the API: background jobs, progress, real PDFs and Word files."""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.webtools are parameters of the tests)

from __future__ import annotations

import io
import re
import threading

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from irdocs.records.validate import load_records
from irdocs.web.jobs import Outcome
from tests.web.test_web_api import GOOD
from tests.web.webtools import make_site, signed_in, site, text  # noqa: F401 (fixtures)

WAIT = 180


def finish(site, response) -> str:
    """Follow an action's redirect to its job page, wait for the job, and return the job's id."""
    assert response.status_code == 302, text(response)[:400]
    match = re.fullmatch(r"/jobs/([\w-]+)", response.headers["Location"])
    assert match, response.headers["Location"]
    job = site.app.extensions["irdocs"].jobs.get(match.group(1))
    assert job.finished.wait(WAIT)
    return job.id


def links(page_html: str) -> list[str]:
    return re.findall(r'href="(/download/[^"]+)"', page_html.replace("&amp;", "&"))


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages).split())


def test_issue_a_certificate_from_the_list(signed_in):
    job_id = finish(signed_in, signed_in.post("/honorees/hd-2024-001/certificate"))
    page = signed_in.client.get(f"/jobs/{job_id}")
    assert "Finished. 1 certificate made." in text(page)
    [link] = links(page.get_data(as_text=True))
    serial = link.rsplit("/", 1)[1]
    assert re.fullmatch(r"MNUMS-HD-2024-\d{4}", serial)
    download = signed_in.client.get(link)
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert f"filename={serial}.pdf" in download.headers["Content-Disposition"]
    assert "Park Hyunwoo" in pdf_text(download.data) and serial in pdf_text(download.data)
    progress = signed_in.client.get(f"/jobs/{job_id}/progress").get_json()
    assert progress["state"] == "done" and progress["percent"] == 100 and progress["count"] == progress["total"] == 1
    assert progress["files"][0]["url"] == link
    listing = text(signed_in.client.get("/honorees?q=hd-2024-001"))
    assert serial in listing and "Download PDF" in listing and "Print again" in listing
    # printing again keeps the serial
    again = finish(signed_in, signed_in.post("/honorees/hd-2024-001/certificate"))
    assert links(signed_in.client.get(f"/jobs/{again}").get_data(as_text=True)) == [link]


def test_a_ceremony_in_one_print_file(signed_in):
    records = load_records(signed_in.records)
    members = [h for h in records.honorees if h.ceremony == "ceremony-2025-10"]
    job_id = finish(signed_in, signed_in.post("/ceremonies/ceremony-2025-10/certificates"))
    page = signed_in.client.get(f"/jobs/{job_id}")
    assert f"Finished. {len(members)} certificates made." in text(page)
    found = links(page.get_data(as_text=True))
    assert found[0] == "/download/ceremony/ceremony-2025-10" and len(found) == len(members) + 1
    ceremony = signed_in.client.get(found[0])
    reader = PdfReader(io.BytesIO(ceremony.data))
    assert len(reader.pages) == len(members)
    assert all(h.display_name in pdf_text(ceremony.data) for h in members)
    assert "Download the print file" in text(signed_in.client.get("/honorees"))


def test_a_certificate_that_cannot_be_printed_names_its_problem(signed_in):
    path = signed_in.records / "honorees.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "hd-2024-001,honorary-doctorate,Park,Hyunwoo,박현우", "hd-2024-001,honorary-doctorate,Park,Hyunwoo,박\ue000우"
        ),
        encoding="utf-8",
    )
    job_id = finish(signed_in, signed_in.post("/honorees/hd-2024-001/certificate"))
    job = signed_in.app.extensions["irdocs"].jobs.get(job_id)
    assert job.state == "failed"
    page = text(signed_in.client.get(f"/jobs/{job_id}"))
    assert "This could not be done." in page and "Could not be made" in page
    assert "honoree hd-2024-001" in page and "honorees.csv" in page and "U+E000" in page


@pytest.mark.parametrize(("language", "suffix"), [("en", ""), ("en+mn", ".en-mn")])
def test_draft_an_agreement(signed_in, language, suffix):
    job_id = finish(signed_in, signed_in.post("/agreements/hankuk-university-2022/draft", {"language": language}))
    [link] = links(signed_in.client.get(f"/jobs/{job_id}").get_data(as_text=True))
    download = signed_in.client.get(link)
    assert download.status_code == 200 and f"filename=hankuk-university-2022{suffix}.docx" in download.headers["Content-Disposition"]
    words = " ".join(p.text for p in WordDocument(io.BytesIO(download.data)).paragraphs)
    words += " ".join(cell.text for table in WordDocument(io.BytesIO(download.data)).tables for row in table.rows for cell in row.cells)
    assert "Hankuk University" in words


def test_renewal_draft_from_the_renewals_page(signed_in):
    page = signed_in.client.get("/renewals?within=3650").get_data(as_text=True)
    agreement_id = re.search(r'action="/agreements/([\w-]+)/draft"', page).group(1)
    job_id = finish(signed_in, signed_in.post(f"/agreements/{agreement_id}/draft", {"language": "en", "renewal": "1"}))
    [link] = links(signed_in.client.get(f"/jobs/{job_id}").get_data(as_text=True))
    assert link == f"/download/agreement/{agreement_id}?language=en&renewal=1"
    download = signed_in.client.get(link)
    assert download.status_code == 200 and f"{agreement_id}.renewal.docx" in download.headers["Content-Disposition"]


def test_fact_sheets_regenerate_in_the_background(tmp_path, monkeypatch, mini):
    small = make_site(tmp_path, monkeypatch, records=mini)
    small.sign_in()
    response = small.post("/factsheets", {"language": "en"})
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    # the page answers at once, while the work goes on
    running = small.client.get(f"/jobs/{job_id}")
    assert running.status_code == 200
    assert small.client.get("/").status_code == 200
    job = small.app.extensions["irdocs"].jobs.get(job_id)
    assert job.finished.wait(WAIT)
    assert (job.state, job.count, job.total) == ("done", 6, 6)  # department, JP, alpha-university: PDF and Word each
    page = small.client.get("/factsheets").get_data(as_text=True)
    found = links(page)
    assert len(found) == 6 and "/download/factsheet/country/JP?language=en&format=pdf" in found
    sheet = small.client.get("/download/factsheet/department?language=en&format=pdf")
    assert sheet.status_code == 200 and "Mongolian National University of Medical Sciences" in pdf_text(sheet.data)
    word = small.client.get("/download/factsheet/partner/alpha-university?language=en&format=docx")
    assert word.status_code == 200 and "Alpha University" in " ".join(p.text for p in WordDocument(io.BytesIO(word.data)).paragraphs)


def test_the_job_page_works_without_javascript(tmp_path, monkeypatch, mini):
    small = make_site(tmp_path, monkeypatch, records=mini)
    small.sign_in()
    queue = small.app.extensions["irdocs"].jobs
    hold = threading.Event()

    def held_work(reporter) -> Outcome:
        hold.wait(WAIT)
        return Outcome()

    blocker = queue.submit("Waiting", "anna", held_work, ("factsheets",))
    job_id = small.post("/factsheets", {"language": "mn"}).headers["Location"].rsplit("/", 1)[1]
    page = small.client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "Number 1 in line: it starts when “Waiting” has finished." in page and "<progress" in page
    assert 'src="/static/progress.js"' in page
    hold.set()
    assert blocker.finished.wait(WAIT) and queue.get(job_id).finished.wait(WAIT)
    done = small.client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "http-equiv" not in done and "Finished." in done


def test_the_api_makes_and_sends_documents(tmp_path, monkeypatch, mini):
    small = make_site(tmp_path, monkeypatch, records=mini)
    client = small.client
    started = client.post("/api/factsheets", headers=GOOD, json={"language": "en"})
    assert started.status_code in (200, 202) and started.get_json()["status_url"].startswith("/api/jobs/")
    answer = client.post("/api/honorees/hd-2020-001/certificate", headers=GOOD, json={"wait": True})
    assert answer.status_code == 200
    job = answer.get_json()
    assert job["state"] == "done" and job["files"][0]["url"].startswith("/api/download/certificate/MNUMS-HD-2020-")
    pdf = client.get(job["files"][0]["url"], headers=GOOD)
    assert pdf.status_code == 200 and "Yamada Taro" in pdf_text(pdf.data)
    honorees = client.get("/api/honorees", headers=GOOD).get_json()["honorees"]
    [entry] = [h for h in honorees if h["id"] == "hd-2020-001"]
    assert entry["certificate"]["status"] == "issued" and entry["certificate"]["url"] == job["files"][0]["url"]
    draft = client.post("/api/agreements/alpha-mou-2020/draft", headers=GOOD, json={"language": "mn", "wait": True}).get_json()
    assert draft["state"] == "done" and draft["files"][0]["url"] == "/api/download/agreement/alpha-mou-2020?language=mn&renewal=0"
    assert client.get(draft["files"][0]["url"], headers=GOOD).status_code == 200
    sheets = small.app.extensions["irdocs"].jobs.get(started.get_json()["status_url"].rsplit("/", 1)[1])
    assert sheets.finished.wait(WAIT)  # the certificate did not wait for the sheets: they may still be at work
    status = client.get(started.get_json()["status_url"], headers=GOOD).get_json()
    assert status["state"] == "done" and len(status["files"]) == 2


# --------------------------------------------------------------------------- two jobs at once, in line, cancelled


def _held(queue, label: str, kinds: tuple[str, ...]):
    hold = threading.Event()

    def held_work(reporter) -> Outcome:
        reporter.start(4, "documents")
        reporter.done("first")
        hold.wait(WAIT)
        return Outcome(message="held")

    return hold, queue.submit(label, "anna", held_work, kinds)


def test_a_ceremony_does_not_wait_behind_the_fact_sheets(tmp_path, monkeypatch, mini):
    """Observed: a ceremony job waited 66.5 s behind a colleague's "Make all fact sheets again"
    with "Waiting for the work before it to finish..." and no position or estimate."""
    small = make_site(tmp_path, monkeypatch, records=mini)
    small.sign_in()
    queue = small.app.extensions["irdocs"].jobs
    hold, sheets = _held(queue, "Fact sheets (English)", ("factsheets",))
    try:
        job_id = finish(small, small.post("/honorees/hd-2020-001/certificate"))  # finishes while the sheets are at work
        assert queue.get(job_id).state == "done" and not sheets.over
    finally:
        hold.set()
    assert sheets.finished.wait(WAIT)


@pytest.mark.parametrize(
    ("language", "in_line", "left", "cancelled"),
    [
        (
            "en",
            "Number 1 in line: it starts when “Fact sheets (English)” has finished.",
            "About ",
            "Cancelled before it started.",
        ),
        (
            "mn",
            "Дараалалд 1-т байна: «Танилцуулга (англи)» дуусмагц эхэлнэ.",
            "Ойролцоогоор ",
            "Эхлэхээс өмнө цуцалсан.",
        ),
    ],
)
def test_a_job_in_line_shows_its_place_and_can_be_cancelled(tmp_path, monkeypatch, mini, language, in_line, left, cancelled):
    small = make_site(tmp_path, monkeypatch, records=mini, language=language)
    small.sign_in()
    queue = small.app.extensions["irdocs"].jobs
    hold, sheets = _held(queue, "Fact sheets (English)", ("factsheets",))
    try:
        job_id = small.post("/factsheets", {"language": "mn"}).headers["Location"].rsplit("/", 1)[1]
        page = text(small.client.get(f"/jobs/{job_id}"))
        assert in_line in page
        progress = small.client.get(f"/jobs/{job_id}/progress").get_json()
        assert (progress["state"], progress["position"], progress["said"]) == ("queued", 1, in_line)
        running = small.client.get(f"/jobs/{sheets.id}/progress").get_json()
        assert running["left"].startswith(left) and running["seconds_left"] is not None
        assert small.post(f"/jobs/{job_id}/cancel", {}).status_code == 302
        assert queue.get(job_id).state == "cancelled"
        assert cancelled in text(small.client.get(f"/jobs/{job_id}"))
    finally:
        hold.set()
    assert sheets.finished.wait(WAIT)
    assert not (tmp_path / "out" / "factsheets").exists() or not any((tmp_path / "out" / "factsheets").rglob("*.mn.*"))


def test_a_running_ceremony_cancelled_keeps_what_it_made(tmp_path, monkeypatch):
    """Cancel stops the engine between two documents: the certificates made stay (with their
    serials), the ceremony's print file is not made, and the page says how many were made."""
    from irdocs.web.jobs import JobQueue, JobReporter

    site = make_site(tmp_path, monkeypatch)
    site.sign_in()
    original = JobReporter.done

    def done_then_cancel(self, name, status="built"):  # the officer presses "Cancel" after the first certificate
        original(self, name, status)
        if self.job.count == 1:
            JobQueue.cancel(site.app.extensions["irdocs"].jobs, self.job)

    monkeypatch.setattr(JobReporter, "done", done_then_cancel)
    job_id = finish(site, site.post("/ceremonies/ceremony-2025-10/certificates"))
    job = site.app.extensions["irdocs"].jobs.get(job_id)
    assert job.state == "cancelled", (job.state, job.outcome.message, job.failures)
    made = sorted((tmp_path / "out" / "certificates").glob("MNUMS-*.pdf"))
    assert 1 <= len(made) < 7
    assert not list((tmp_path / "out" / "certificates").glob("ceremony*.pdf"))
    assert f"Cancelled: {len(made)} certificate{'s' if len(made) != 1 else ''} made before it stopped." in text(site.client.get(f"/jobs/{job_id}"))


def test_only_who_started_a_job_or_an_administrator_may_cancel_it(tmp_path, monkeypatch, mini):
    from tests.web.test_web_roles import add, as_user

    small = make_site(tmp_path, monkeypatch, records=mini)
    small.sign_in()
    queue = small.app.extensions["irdocs"].jobs
    hold, sheets = _held(queue, "Fact sheets (English)", ("factsheets",))
    try:
        add("saraa", "officer")
        other = as_user(small, "saraa")
        assert "Cancel this work" not in text(other.client.get(f"/jobs/{sheets.id}"))
        refused = other.post(f"/jobs/{sheets.id}/cancel", {})
        assert refused.status_code == 403 and not sheets.cancel.is_set()
        assert "Cancel this work" in text(small.client.get(f"/jobs/{sheets.id}"))  # anna, an administrator
        assert small.post(f"/jobs/{sheets.id}/cancel", {}).status_code == 302 and sheets.cancel.is_set()
    finally:
        hold.set()
    assert sheets.finished.wait(WAIT)


@pytest.mark.parametrize(
    ("language", "none_yet"),
    [
        ("en", "A fact sheet is made for a partner with a signed agreement; this one has none yet."),
        ("mn", "Танилцуулгыг гэрээ байгуулсан хамтрагч байгууллагад үүсгэнэ; энэ байгууллага одоогоор гэрээгүй байна."),
    ],
)
def test_one_partners_fact_sheet_from_its_page(tmp_path, monkeypatch, mini, language, none_yet):
    """Issue 17: a single fact sheet from its record's page (it was only 'make all fact sheets')."""
    small = make_site(tmp_path, monkeypatch, records=mini, language=language)
    small.sign_in()
    page = small.client.get("/partners/alpha-university").get_data(as_text=True)
    assert 'action="/partners/alpha-university/factsheet"' in page
    job_id = finish(small, small.post("/partners/alpha-university/factsheet", {"language": "en"}))
    job = small.app.extensions["irdocs"].jobs.get(job_id)
    assert (job.state, job.count, job.total) == ("done", 2, 2)  # the PDF and the Word file, nothing else
    made = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.*") if not p.name.startswith("."))
    assert made == ["factsheets/partners/alpha-university.docx", "factsheets/partners/alpha-university.pdf"]
    assert "/download/factsheet/partner/alpha-university?language=en&format=pdf" in links(small.client.get(f"/jobs/{job_id}").get_data(as_text=True))
    assert "Alpha University" in pdf_text(small.client.get("/download/factsheet/partner/alpha-university?language=en&format=pdf").data)
    records = load_records(small.records)
    other = next(p.id for p in records.partners if p.id != "alpha-university")
    assert 'action="/partners/' + other + '/factsheet"' not in small.client.get(f"/partners/{other}").get_data(as_text=True)
    refused = small.post(f"/partners/{other}/factsheet", {"language": "en"})
    assert refused.status_code == 409 and none_yet in text(refused)
