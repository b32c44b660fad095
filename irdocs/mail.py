"""The renewals digest by e-mail (``irdocs renewals --email``), through the office's own mail server.

Off until it is set up: a file ``mail.toml`` in irdocs' configuration folder (beside users.json;
or the file named by ``IRDOCS_MAIL``) says where to send::

    host = "mail.mnums.edu.mn"
    port = 587                 # 587 with STARTTLS (the default), 25 without
    starttls = true            # true (the default) or false: only on a server inside the office
    from = "irdocs@mnums.edu.mn"
    to = ["foreign@mnums.edu.mn", "director.ir@mnums.edu.mn"]
    # ca_file = "/etc/ssl/mnums-ca.pem"   # a server whose certificate the office made itself

and, when the server asks for a sign-in, the environment gives it (never the file):
``IRDOCS_SMTP_USER`` and ``IRDOCS_SMTP_PASSWORD``. One message, in Mongolian then English, lists
the agreements that end within the window (and those that ended while still marked active); when
none does, nothing is sent.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from .errors import ConfigError

MAIL_ENV = "IRDOCS_MAIL"
MAIL_FILE_NAME = "mail.toml"
USER_ENV, PASSWORD_ENV = "IRDOCS_SMTP_USER", "IRDOCS_SMTP_PASSWORD"
ADDRESS = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[A-Za-z]{2,}")
KEYS = {"host", "port", "starttls", "from", "to", "ca_file"}


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    starttls: bool
    sender: str
    recipients: tuple[str, ...]
    ca_file: Path | None = None
    user: str | None = None
    password: str | None = None


def mail_path() -> Path:
    from .accounts import config_dir

    value = os.environ.get(MAIL_ENV, "").strip()
    return Path(value) if value else config_dir() / MAIL_FILE_NAME


def load_settings(path: Path | None = None) -> MailSettings:
    """The mail settings, or a one-line ConfigError naming the file and the key to write."""
    import tomllib

    path = Path(path) if path else mail_path()
    if not path.is_file():
        raise ConfigError(
            f"e-mail is not set up: write {path} with host, port, starttls, from and to (see 'irdocs renewals --help'), "
            f"and set {USER_ENV} and {PASSWORD_ENV} if the mail server asks for a sign-in"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f'{path}: {exc}; write it as key = value lines, e.g. host = "mail.mnums.edu.mn"') from None

    def wrong(key: str, expected: str) -> ConfigError:
        return ConfigError(f"{path}: {key}: {expected}")

    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise wrong(unknown[0], f"unknown setting (the settings are: {', '.join(sorted(KEYS))})")
    host = data.get("host")
    if not isinstance(host, str) or not host.strip():
        raise wrong("host", 'missing: the mail server\'s name, e.g. host = "mail.mnums.edu.mn"')
    starttls = data.get("starttls", True)
    if not isinstance(starttls, bool):
        raise wrong("starttls", "true or false (without quotes)")
    port = data.get("port", 587 if starttls else 25)
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise wrong("port", "a number such as 587 (STARTTLS) or 25")
    sender = data.get("from")
    if not isinstance(sender, str) or not ADDRESS.fullmatch(sender.strip()):
        raise wrong("from", 'the address the digest comes from, e.g. from = "irdocs@mnums.edu.mn"')
    to = data.get("to")
    recipients = (to,) if isinstance(to, str) else to
    if not isinstance(recipients, (list, tuple)) or not recipients or not all(isinstance(r, str) and ADDRESS.fullmatch(r.strip()) for r in recipients):
        raise wrong("to", 'one address or a list of them, e.g. to = ["foreign@mnums.edu.mn"]')
    ca_file = data.get("ca_file")
    if ca_file is not None and (not isinstance(ca_file, str) or not Path(ca_file).is_file()):
        raise wrong("ca_file", f"'{ca_file}' is not a file: the certificate (PEM) of the authority that signed the mail server's")
    user = os.environ.get(USER_ENV) or None
    password = os.environ.get(PASSWORD_ENV) or None
    if user and not password:
        raise ConfigError(f"{USER_ENV} is set but {PASSWORD_ENV} is not: set both, or neither if the mail server needs no sign-in")
    if user and not starttls:
        raise wrong("starttls", f"a password is never sent without STARTTLS: set starttls = true, or unset {USER_ENV}")
    return MailSettings(host.strip(), port, starttls, sender.strip(), tuple(r.strip() for r in recipients), Path(ca_file) if ca_file else None, user, password)


def renewals_digest(records, days: int, today: dt.date, sender: str, recipients: tuple[str, ...]) -> EmailMessage | None:
    """The digest of agreements to renew (Mongolian, then English), or None when none is due."""
    from .localize import format_date
    from .records.stats import expiring

    found = expiring(records, days, today)
    if not found:
        return None

    def partners(agreement, language: str) -> str:
        chosen = [records.partners_by_id[p] for p in agreement.partners]
        return ", ".join((p.name_mn or p.name) if language == "mn" else p.name for p in chosen)

    mn = [
        f"Дараах {len(found)} гэрээ {format_date(today, 'mn')}-аас хойш {days} хоногийн дотор дуусах буюу аль хэдийн дууссан боловч хүчинтэй гэж тэмдэглэгдсэн байна:",
        "",
    ]
    en = [f"{len(found)} agreement{'s' if len(found) != 1 else ''} end within {days} days of {format_date(today)}, or ended while still marked active:", ""]
    for agreement, end in found:
        left = (end - today).days
        mn_when = f"{left} хоногийн дараа" if left >= 0 else f"{-left} хоногийн өмнө дууссан"
        en_when = f"in {left} day{'s' if left != 1 else ''}" if left >= 0 else f"ended {-left} day{'s' if left != -1 else ''} ago"
        mn += [f"- {format_date(end, 'mn')} ({mn_when}): {agreement.title_mn or agreement.title}", f"  {partners(agreement, 'mn')} · {agreement.id}"]
        en += [f"- {format_date(end)} ({en_when}): {agreement.title}", f"  {partners(agreement, 'en')} · {agreement.id}"]
    mn += ["", 'Сунгах гэрээний төслийг вэб хуудасны "Сунгалт" хэсгээс, эсвэл: irdocs agreement ID --renewal']
    en += ["", "Make a renewal draft from the Renewals page, or with: irdocs agreement ID --renewal"]
    message = EmailMessage()
    message["Subject"] = f"Гэрээ сунгах сануулга: {len(found)} · Agreements to renew: {len(found)}"
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    message["Content-Language"] = "mn, en"
    message.set_content("\n".join([*mn, "", "-" * 40, "", *en]) + "\n", charset="utf-8")
    return message


def send(message: EmailMessage, settings: MailSettings, timeout: float = 30) -> None:
    """Hand the message to the office's mail server (STARTTLS and sign-in as set up); a one-line ConfigError if it cannot."""
    import smtplib
    import ssl

    where = f"{settings.host}:{settings.port}"
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=timeout) as server:
            server.ehlo()
            if settings.starttls:
                context = ssl.create_default_context(cafile=str(settings.ca_file) if settings.ca_file else None)
                server.starttls(context=context)
                server.ehlo()
            if settings.user:
                server.login(settings.user, settings.password or "")
            server.send_message(message)
    except smtplib.SMTPAuthenticationError:
        raise ConfigError(f"{where}: the mail server refused the name and password in {USER_ENV} and {PASSWORD_ENV}") from None
    except smtplib.SMTPNotSupportedError as exc:
        raise ConfigError(
            f"{where}: the mail server does not offer {'STARTTLS' if 'STARTTLS' in str(exc) else 'this'} ({exc}); check starttls in {mail_path()}"
        ) from None
    except ssl.SSLError as exc:
        raise ConfigError(
            f"{where}: the mail server's certificate is not trusted ({exc.reason or exc}); set ca_file in {mail_path()} to its authority's certificate"
        ) from None
    except smtplib.SMTPException as exc:
        raise ConfigError(f"{where}: the mail server refused the digest ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"{where}: cannot reach the mail server ({exc.strerror or exc}); check host and port in {mail_path()}") from None
