"""What the web app does, without Flask: records, register, jobs and the files they make.

The pages (``office``), the JSON API (``api``) and the public verification page (``public``) all
call this one object, and it calls the library: the same selection, validation, register and
renderers as the command line.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from pathlib import Path

from ..accounts import Accounts
from ..build import BuildResult
from ..documents.certificates.register import Entry, Register, register_path
from ..records.load import RECORD_FILES
from ..records.model import Records
from ..reporter import Reporter
from .jobs import Download, JobQueue, Outcome
from .ratelimit import RateLimiter

SERIAL_PATTERN = re.compile(r"[A-Z]{2,10}-[A-Z]{2}-\d{4}-\d{4}")
DOWNLOAD_KINDS = ("certificate", "ceremony", "agreement", "factsheet")
FILE_TYPES = {".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


class NotFound(Exception):
    """A download that does not exist (or was never made): the message says which, in plain words."""


class Service:
    def __init__(
        self,
        records_dir: Path,
        out_dir: Path,
        templates_dir: Path,
        accounts: Accounts,
        verify_limit: float = 30,
        login_limit: float = 10,
    ):
        from ..documents.certificates.verify import load_key

        self.records_dir = Path(records_dir)
        self.out_dir = Path(out_dir)
        self.templates_dir = Path(templates_dir)
        self.accounts = accounts
        self.key = load_key(self.records_dir)
        self.jobs = JobQueue()
        #: worker processes per job for big batches (the engine renders a few documents itself)
        self.workers = min(2, os.cpu_count() or 1)
        self.verify_limiter = RateLimiter(verify_limit)
        self.login_limiter = RateLimiter(login_limit)
        self._cache_lock = threading.Lock()
        self._cache: tuple[tuple, tuple[Records, list]] | None = None
        self._local = threading.local()

    # ------------------------------------------------------------------ records

    def _stamp(self) -> tuple:
        """What decides whether the records must be read again: the files' sizes and times, and the day."""
        stamp: list = [dt.date.today()]
        for name in RECORD_FILES:
            try:
                stat = (self.records_dir / name).stat()
                stamp.append((name, stat.st_mtime_ns, stat.st_size))
            except OSError:
                stamp.append((name, None, None))
        return tuple(stamp)

    def records_and_problems(self) -> tuple[Records, list]:
        """The valid records and the problems of the others (read again only when a file changed)."""
        from ..records.validate import load_records_partial

        stamp = self._stamp()
        with self._cache_lock:
            if self._cache is None or self._cache[0] != stamp:
                self._cache = (stamp, load_records_partial(self.records_dir))
            return self._cache[1]

    def records(self, targets=()) -> Records:
        """The valid records; RecordsError when a problem leaves out a record of ``targets`` ((kind, id)
        pairs, see ``irdocs.records.partial``): an action on the others goes on, the pages show the problems."""
        from ..records.partial import usable

        return usable(*self.records_and_problems(), targets)[0]

    # ------------------------------------------------------------------ register

    def register(self) -> Register | None:
        """This thread's read connection to the register; None while no certificate was ever issued."""
        register = getattr(self._local, "register", None)
        if register is None:
            if not register_path(self.records_dir).exists():
                return None
            register = self._local.register = Register(register_path(self.records_dir), create=False)
        return register

    def certificate_entries(self) -> dict[str, Entry]:
        """Honoree id -> their latest serial."""
        register = self.register()
        if register is None:
            return {}
        latest: dict[str, Entry] = {}
        for entry in register.entries():
            known = latest.get(entry.honoree_id)
            if known is None or (entry.issued_at, entry.sequence) >= (known.issued_at, known.sequence):
                latest[entry.honoree_id] = entry
        return latest

    def verify(self, serial: str, code: str):
        from ..documents.certificates.verify import Verdict, verify

        serial = serial.strip().upper()
        register = self.register()
        if register is None or not SERIAL_PATTERN.fullmatch(serial):
            return Verdict("unknown", serial, "no certificate with this serial was issued")
        return verify(register, self.key, serial, code)

    # ------------------------------------------------------------------ jobs

    def make(self, reporter: Reporter, kinds: tuple[str, ...], settings=None, **named) -> BuildResult:
        """The documents ``named`` selects, made by the build engine, as the command line does."""
        from ..build import make
        from ..documents.document import Settings
        from ..records.partial import for_documents

        records, problems = self.records_and_problems()
        own, _, named = for_documents(self.records_dir, records, problems, kinds, (), named)  # the others are on every page
        return make(
            records,
            own,
            self.templates_dir,
            self.out_dir,
            kinds,
            settings or Settings(),
            named=named,
            reporter=reporter,
            jobs=self.workers,
            cancel=getattr(reporter, "cancel", None),  # a job's "Cancel" (see jobs.JobReporter)
            partial=True,
            left_out=bool(problems),
        )

    def issue_certificates(self, owner: str, honoree_ids: list[str], ceremony: str | None = None):
        """A job that issues (or reprints) certificates, and for a ceremony also its print file."""
        if ceremony:
            label = f"Certificates of {ceremony}"
        else:
            known = self.records_and_problems()[0].honorees_by_id
            label = "Certificate for " + ", ".join(f"{known[i].display_name} ({i})" if i in known else i for i in honoree_ids)

        def work(reporter: Reporter) -> Outcome:
            from ..documents.document import Settings

            named = {"id": honoree_ids or None, "ceremony": ceremony, **({} if ceremony else {"document": "certificate"})}
            result = self.make(reporter, ("certificates",), Settings(ceremony_order=tuple(honoree_ids)), **named)
            outcome = Outcome()
            for document in result.selected:
                if document.after and document.subject not in {f.name for f in result.failed}:
                    outcome.downloads.append(Download(f"All {len(document.after)} certificates of {ceremony}, in one PDF for printing", "ceremony", ceremony))
            failed = {f.name for f in result.failed}
            for document in result.documents:  # who issued each new serial, for the activity page
                if not document.after and document.payload.new:
                    self.record(owner, "issue", document.payload.serial, document.payload.honoree.id)
            certificates = [d for d in result.selected if not d.after and d.subject not in failed]
            for document in certificates:
                planned = document.payload
                outcome.downloads.append(Download(f"{planned.honoree.display_name}: certificate {planned.serial}", "certificate", planned.serial))
            outcome.message = _summary(result, "certificate", made=[d for d in result.documents if not d.after])
            if ceremony and result.failed:
                outcome.message += " The ceremony's print file was not made: correct the failed certificates first."
            return outcome

        return self.jobs.submit(label, owner, work, ("certificates",))

    def draft_agreement(self, owner: str, agreement_id: str, language: str = "en", renewal: bool = False):
        def work(reporter: Reporter) -> Outcome:
            from ..documents.agreements.kind import default_draft_date
            from ..documents.document import Settings

            settings = Settings(language=language, renewal=renewal, date=default_draft_date())
            result = self.make(reporter, ("agreements",), settings, id=[agreement_id])
            params = (("language", language), ("renewal", "1" if renewal else "0"))
            kind = "renewal draft" if renewal else "draft"
            made = not result.failed and result.selected
            downloads = [Download(f"Word {kind} of {agreement_id} ({language})", "agreement", agreement_id, params)] if made else []
            return Outcome(downloads, _summary(result, f"Word {kind}"))

        return self.jobs.submit(f"{'Renewal draft' if renewal else 'Draft'} of {agreement_id}", owner, work, ("agreements",))

    def regenerate_factsheets(self, owner: str, language: str = "en", partner_id: str | None = None):
        """A job that makes every fact sheet in ``language`` or, with ``partner_id``, that partner's
        only (PDF and Word), as ``irdocs factsheet --all`` / ``irdocs factsheet partner ID`` do."""
        if partner_id:
            name = self.records().partners_by_id[partner_id].name
            label, ident, file_label = f"Fact sheet of {name}", f"partner/{partner_id}", f"Fact sheet of {name}"
        else:
            label, ident, file_label = f"Fact sheets ({'English' if language == 'en' else 'Mongolian'})", "department", "Department fact sheet"

        def work(reporter: Reporter) -> Outcome:
            from ..documents.document import Settings

            result = self.make(reporter, ("factsheets",), Settings(language=language), **({"partner": [partner_id]} if partner_id else {}))
            made = not partner_id or (not result.failed and result.selected)
            downloads = [
                Download(f"{file_label} ({fmt.upper()})", "factsheet", ident, (("language", language), ("format", fmt))) for fmt in ("pdf", "docx") if made
            ]
            return Outcome(downloads, _summary(result, "file"))

        return self.jobs.submit(label, owner, work, ("factsheets",))

    # ------------------------------------------------------------------ downloads

    def resolve(self, kind: str, ident: str, params: dict[str, str]) -> Path:
        """The file in out/ named by validated ids: a serial in the register, an agreement, ceremony or sheet in the records.

        Nothing the person typed becomes part of a path unless it is one of those ids; the result
        must still lie inside out/ and exist.
        """
        from ..documents.agreements.kind import LANGUAGE_CHOICES, output_name
        from ..documents.certificates.kind import ceremony_file_name
        from ..documents.factsheets.kind import find_sheet, sheet_path
        from ..errors import UsageError
        from ..localize import LANGUAGES

        records, _ = self.records_and_problems()
        if kind == "certificate":
            register = self.register()
            if not SERIAL_PATTERN.fullmatch(ident) or register is None or register.get(ident) is None:
                raise NotFound(f"there is no certificate with the serial '{ident}'")
            path = self.out_dir / "certificates" / f"{ident}.pdf"
        elif kind == "ceremony":
            if ident not in {h.ceremony for h in records.honorees if h.ceremony}:
                raise NotFound(f"there is no ceremony '{ident}' in honorees.csv")
            path = self.out_dir / "certificates" / ceremony_file_name(ident)
        elif kind == "agreement":
            language, renewal = params.get("language", "en"), params.get("renewal", "0")
            if ident not in records.agreements_by_id or language not in LANGUAGE_CHOICES or renewal not in ("0", "1"):
                raise NotFound(
                    f"there is no agreement '{ident}' in agreements.yaml" if ident not in records.agreements_by_id else "unknown language or draft kind"
                )
            path = self.out_dir / "agreements" / output_name(ident, language, renewal == "1")
        elif kind == "factsheet":
            sheet_kind, _, key = ident.partition("/")
            language, fmt = params.get("language", "en"), params.get("format", "pdf")
            if language not in LANGUAGES or fmt not in ("pdf", "docx"):
                raise NotFound("unknown language or file format")
            try:
                sheet = find_sheet(records, sheet_kind, key)
            except UsageError as exc:
                raise NotFound(str(exc)) from None
            path = sheet_path(self.out_dir, sheet, language, fmt)
        else:
            raise NotFound(f"unknown kind of file '{kind}'")
        out = self.out_dir.resolve()
        resolved = path.resolve()
        if not resolved.is_relative_to(out) or resolved.suffix not in FILE_TYPES:
            raise NotFound("this file is not among the documents")
        if not resolved.is_file():
            raise NotFound(f"{path.name} has not been made yet")
        return resolved

    # ------------------------------------------------------------------ register: revoke and reissue (the register pages)

    def revoke_certificate(self, serial: str, reason: str):
        """Revoke ``serial``, as ``irdocs register revoke`` does (UsageError with the reason it cannot be)."""
        from ..documents.certificates.actions import revoke

        return revoke(self.records_dir, serial, reason)

    def record(self, user: str, action: str, serial: str, detail: str = "") -> None:
        """A certificate's change made from a page, for the activity page (after it succeeded)."""
        from .activity import record

        record(self.records_dir, user, action, "certificate", serial, detail)

    def reissue_certificate(self, owner: str, serial: str, reason: str = ""):
        """A job that reissues ``serial`` as ``irdocs register reissue`` does: its checks first (UsageError
        at once), then the one engine: the new certificate, and a ceremony's print file again."""
        from ..documents.certificates.actions import reissue_steps, reissue_target

        register = self.register()
        entry = register.get(serial.strip().upper()) if register is not None else None
        records = self.records({("honoree", entry.honoree_id)} if entry else ())  # its honoree's problems are this action's own
        old = reissue_target(records, self.records_dir, serial)
        honoree = records.honorees_by_id[old.honoree_id]

        def work(reporter: Reporter) -> Outcome:
            outcome = Outcome()
            (settings, named), *ceremony = reissue_steps(self.records(), old, reason)
            result = self.make(reporter, ("certificates",), settings, **named)
            for document in result.documents:
                planned = document.payload
                outcome.downloads.append(Download(f"{planned.honoree.display_name}: certificate {planned.serial}", "certificate", planned.serial))
                self.record(owner, "reissue", planned.serial, reason)
                self.record(owner, "supersede", serial, reason)  # the old one, set aside by the same act
            outcome.message = _summary(result, "certificate")
            for settings, named in ceremony if result.documents else ():
                again = self.make(reporter, ("certificates",), settings, **named)
                for document in again.documents:
                    name = named["ceremony"]
                    outcome.downloads.append(Download(f"All {len(document.after)} certificates of {name}, in one PDF for printing", "ceremony", name))
            return outcome

        return self.jobs.submit(f"Certificate for {honoree.display_name} ({honoree.id})", owner, work, ("certificates",))


def _summary(result: BuildResult, noun: str, made: list | None = None) -> str:
    made, failed, unchanged = len(result.documents if made is None else made), len(result.failed), len(result.unchanged)
    if result.cancelled:
        return f"Cancelled: {made} {noun}{'s' if made != 1 else ''} made before it stopped."
    text = f"{made} {noun}{'s' if made != 1 else ''} made."
    if unchanged:
        text += f" {unchanged} already up to date."
    if failed:
        text += f" {failed} could not be made: see the reasons below."
    return text
