"""What the build engine and the document kinds share: a planned ``Document``, a ``Failure``, the
``Settings`` of a request, and the ``DocumentKind`` interface with its registry.

A document kind (certificates, agreement drafts, fact sheets) is one object that says

- which documents the records imply (``plan``), each with the plain ``context`` its template
  receives and the ``tags`` a selection (``--where``) matches;
- how one document's bytes are made (``render``, in a worker process);
- what must happen in the build's own process when a document is written (``writer``): a
  certificate's serial comes into being in the register in the same transaction as its file, and
  never before.

The kinds import this module, never the engine (``irdocs.build``); the engine finds them through
``KINDS``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..errors import Location


@dataclass(frozen=True)
class Failure:
    name: str  # the output (or record) that failed
    message: str  # the error, with its file:line when it comes from a record or template


@dataclass(frozen=True)
class Note:
    """Something a person should know about a plan that is not a failure: a revoked certificate
    that is no longer printed, say."""

    name: str
    message: str


@dataclass(frozen=True)
class Document:
    """One output the records imply, with everything its rendering depends on."""

    kind: str  # the kind's name: 'certificates', 'agreements', 'factsheets'
    name: str  # path under out/, e.g. 'certificates/MNUMS-HD-2024-0037.pdf'
    subject: str  # what it is made from, for messages: 'honoree hd-2024-001'
    context: dict[str, Any]  # the plain data the template receives (JSON-serializable)
    templates: tuple[str, ...] = ()  # template files (under templates/) it renders with
    files: tuple[str, ...] = ()  # other input files (under records/), e.g. the emblem
    location: Location | None = None  # the record it comes from
    after: tuple[str, ...] = ()  # outputs it is assembled from (a ceremony PDF from certificates)
    tags: dict[str, str] = field(default_factory=dict)  # what --where selects on: title, year, country, partner...
    #: which set of outputs of its kind it belongs to: '' for the build's own (English drafts and
    #: sheets), e.g. 'mn' or 'renewal' for the others. A full build removes outputs it no longer
    #: implies only within the variants it planned, never the Mongolian drafts a command made.
    variant: str = ""
    #: objects the renderer needs (records, serials...); not part of the fingerprint: ``context`` must
    #: already contain everything that changes the output
    payload: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Settings:
    """How the documents of one request are made: the same for every entry point."""

    #: agreements: en, mn, en+mn; fact sheets: en, mn, ja, ko, zh-Hans, zh-Hant, ru; '' each kind's
    #: default (drafts in English, fact sheets in English and in Mongolian)
    language: str = ""
    #: fact sheets made with the default language: also the country and partner sheets in each of
    #: these delegation languages (ja, ko, zh-Hans, zh-Hant, ru)
    languages: tuple[str, ...] = ()
    renewal: bool = False  # agreement drafts: the renewal instead of the agreement
    date: dt.date | None = None  # printed on drafts and fact sheets (None: today / SOURCE_DATE_EPOCH)
    ceremony_order: tuple[str, ...] = ()  # honoree ids: the order of a ceremony's print file
    reissue: Mapping[str, str] = field(default_factory=dict)  # serial -> reason: give these honorees a new serial
    now: str = ""  # the register's timestamp (never printed); '' means the clock


def clock() -> str:
    """The register's timestamp (never printed on a certificate)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Writer:
    """What a kind does in the build's own process around writing a document: nothing, by default.

    ``commit`` is called once the bytes are made and already on disk under a temporary name; it
    must call ``publish()`` (one rename puts the file in place, at ``target``) and may record state
    of its own first (a certificate's serial and file hash, in one register transaction). An ``IrdocsError``
    refuses the document: the file does not appear.
    """

    def commit(self, document: Document, data: bytes, sha: str, publish: Callable[[], None], target: Path) -> None:
        publish()

    def retire(self, name: str, path: Path) -> Path | None:
        """An output the records no longer imply (named in the state, inside the output folder):
        deleted by default; a kind may keep it elsewhere instead. Returns where it went, or None."""
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return None

    def close(self) -> None:
        pass


@runtime_checkable
class DocumentKind(Protocol):
    """One kind of document. See the module's docstring."""

    name: str
    #: what its documents are called in messages: "agreement drafts"
    noun: str
    #: the --where fields this kind's documents carry, see ``irdocs.records.select``
    fields: Mapping[str, Any]

    def plan(self, records, settings: Settings, select: Callable[[dict[str, str]], bool]) -> list[Document | Failure | Note]:
        """Every document of this kind the records imply whose tags ``select`` accepts."""
        ...

    def variants(self, settings: Settings) -> set[str]:
        """The ``Document.variant`` of the documents these settings make."""
        ...

    def worker_records(self, records):
        """What worker processes get of the records (a pickled copy)."""
        ...

    def render(self, document: Document, workspace) -> bytes:
        """The document's bytes (in a worker process)."""
        ...

    def writer(self, records, settings: Settings) -> contextlib.AbstractContextManager[Writer]:
        """The build process's writer for this kind's documents (and its retired outputs)."""
        ...


@contextlib.contextmanager
def plain_writer(*_args) -> Iterator[Writer]:
    yield Writer()


#: kind name -> module holding its ``KIND`` object
KINDS: dict[str, str] = {
    "certificates": "irdocs.documents.certificates.kind",
    "agreements": "irdocs.documents.agreements.kind",
    "factsheets": "irdocs.documents.factsheets.kind",
}


def kind(name: str) -> DocumentKind:
    return importlib.import_module(KINDS[name]).KIND
