"""The renewals digest by e-mail (``irdocs renewals --email``), sent to a real SMTP server on loopback.

The server is aiosmtpd on 127.0.0.1 with STARTTLS (a certificate made for the test, trusted through
``ca_file``) and a sign-in; the message it receives is parsed as a mail program would.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import ssl
from pathlib import Path

import pytest

from irdocs.records.stats import expiring
from irdocs.records.validate import load_records
from tests.web.webtools import copy_sample, isolate

TODAY = "2026-12-01"
USER, SECRET = "irdocs", "mail server password"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the test's own authority), as PEM files."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "server.pem", folder / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path


class Mailbox:
    def __init__(self):
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult, LoginPassword

        if isinstance(auth_data, LoginPassword):
            self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
            return AuthResult(success=auth_data.login.decode() == USER and auth_data.password.decode() == SECRET, handled=False)
        return AuthResult(success=False, handled=False)


@pytest.fixture
def smtp_server(tmp_path):
    """aiosmtpd on 127.0.0.1: STARTTLS required, a sign-in required."""
    from aiosmtpd.controller import Controller

    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    box = Mailbox()
    port = _free_port()
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        authenticator=box.authenticate,
        server_hostname="127.0.0.1",
    )
    controller.start()
    try:
        yield {"box": box, "port": port, "cert": cert}
    finally:
        controller.stop()


@pytest.fixture
def office(tmp_path, monkeypatch):
    config = isolate(tmp_path, monkeypatch)
    records = copy_sample(tmp_path)
    mail_toml = config / "irdocs" / "mail.toml"
    mail_toml.parent.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("IRDOCS_SMTP_USER", USER)
    monkeypatch.setenv("IRDOCS_SMTP_PASSWORD", SECRET)
    return records, mail_toml


def _settings(path: Path, port: int, cert: Path | None, **extra) -> None:
    lines = [
        'host = "127.0.0.1"',
        f"port = {port}",
        "starttls = true",
        'from = "irdocs@mnums.edu.mn"',
        'to = ["foreign@mnums.edu.mn", "director.ir@mnums.edu.mn"]',
    ]
    if cert:
        lines.append(f'ca_file = "{cert}"')
    lines += [f"{key} = {value}" for key, value in extra.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_digest_arrives_in_mongolian_and_english(office, smtp_server, run):
    records_dir, mail_toml = office
    _settings(mail_toml, smtp_server["port"], smtp_server["cert"])
    result = run("renewals", "--within", "180", "--today", TODAY, "--email", "--records", str(records_dir))
    assert result.exit_code == 0, result.output
    records = load_records(records_dir)
    due = expiring(records, 180, dt.date.fromisoformat(TODAY))
    assert f"Sent the renewals digest ({len(due)} agreements) to foreign@mnums.edu.mn, director.ir@mnums.edu.mn." in result.stdout
    box = smtp_server["box"]
    assert box.logins == [(USER, SECRET)]
    [(sender, recipients, raw)] = box.messages
    assert sender == "irdocs@mnums.edu.mn" and recipients == ["foreign@mnums.edu.mn", "director.ir@mnums.edu.mn"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == f"Гэрээ сунгах сануулга: {len(due)} · Agreements to renew: {len(due)}"
    body = message.get_content()
    assert body.startswith(f"Дараах {len(due)} гэрээ 2026 оны 12-р сарын 1-аас хойш 180 хоногийн дотор дуусах")
    assert f"{len(due)} agreements end within 180 days of 1 December 2026, or ended while still marked active:" in body
    first, end = due[0]
    assert f"({(end - dt.date.fromisoformat(TODAY)).days} хоногийн дараа): {first.title_mn or first.title}" in body
    assert f"(in {(end - dt.date.fromisoformat(TODAY)).days} days): {first.title}" in body
    for agreement, _ in due:
        assert agreement.id in body


def test_nothing_due_sends_nothing(office, smtp_server, run):
    records_dir, mail_toml = office
    _settings(mail_toml, smtp_server["port"], smtp_server["cert"])
    result = run("renewals", "--within", "0", "--today", "2000-01-01", "--email", "--records", str(records_dir))
    assert result.exit_code == 0 and "Nothing to renew: no e-mail sent." in result.stdout
    assert smtp_server["box"].messages == []


def test_off_until_it_is_set_up(office, run):
    records_dir, mail_toml = office
    result = run("renewals", "--email", "--records", str(records_dir))
    assert result.exit_code == 2
    assert f"e-mail is not set up: write {mail_toml} with host, port, starttls, from and to" in result.stderr
    assert "Traceback" not in result.output


def test_a_wrong_password_is_one_line(office, smtp_server, run, monkeypatch):
    records_dir, mail_toml = office
    _settings(mail_toml, smtp_server["port"], smtp_server["cert"])
    monkeypatch.setenv("IRDOCS_SMTP_PASSWORD", "not the password")
    result = run("renewals", "--today", TODAY, "--email", "--records", str(records_dir))
    assert result.exit_code == 2
    assert f"127.0.0.1:{smtp_server['port']}: the mail server refused the name and password in IRDOCS_SMTP_USER and IRDOCS_SMTP_PASSWORD" in result.stderr
    assert smtp_server["box"].messages == []


def test_an_untrusted_certificate_is_refused(office, smtp_server, run):
    records_dir, mail_toml = office
    _settings(mail_toml, smtp_server["port"], None)  # the test's authority is not among the system's
    result = run("renewals", "--today", TODAY, "--email", "--records", str(records_dir))
    assert result.exit_code == 2
    assert "the mail server's certificate is not trusted" in result.stderr and "set ca_file in" in result.stderr
    assert smtp_server["box"].logins == [] and smtp_server["box"].messages == []  # the password never left


def test_no_server_listening(office, run):
    records_dir, mail_toml = office
    port = _free_port()
    _settings(mail_toml, port, None)
    result = run("renewals", "--today", TODAY, "--email", "--records", str(records_dir))
    assert result.exit_code == 2 and f"127.0.0.1:{port}: cannot reach the mail server" in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'host = "x"\nfrom = "a@b.mn"\nto = ["c@d.mn"]\nsender = "a@b.mn"\n',
            "mail.toml: sender: unknown setting (the settings are: ca_file, from, host, port, starttls, to)",
        ),
        ('host = "x"\nfrom = "a@b.mn"\nto = ["not an address"]\n', 'mail.toml: to: one address or a list of them, e.g. to = ["foreign@mnums.edu.mn"]'),
        ('host = "x"\nfrom = "a@b.mn"\nto = "c@d.mn"\nstarttls = "yes"\n', "mail.toml: starttls: true or false (without quotes)"),
        ('host = "x"\nfrom = "a@b.mn"\nto = "c@d.mn"\nstarttls = false\n', "mail.toml: starttls: a password is never sent without STARTTLS"),
        ("host = \n", "mail.toml: "),
    ],
)
def test_setting_mistakes_are_named(office, run, text, message):
    records_dir, mail_toml = office
    mail_toml.write_text(text, encoding="utf-8")
    result = run("renewals", "--today", TODAY, "--email", "--records", str(records_dir))
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output


def test_a_server_inside_the_office_without_starttls_or_sign_in(office, run, monkeypatch):
    from aiosmtpd.controller import Controller

    records_dir, mail_toml = office
    monkeypatch.delenv("IRDOCS_SMTP_USER")
    monkeypatch.delenv("IRDOCS_SMTP_PASSWORD")
    box = Mailbox()
    port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        mail_toml.write_text(
            f'host = "127.0.0.1"\nport = {port}\nstarttls = false\nfrom = "irdocs@mnums.edu.mn"\nto = "foreign@mnums.edu.mn"\n', encoding="utf-8"
        )
        result = run("renewals", "--today", TODAY, "--email", "--records", str(records_dir))
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    assert len(box.messages) == 1 and box.messages[0][1] == ["foreign@mnums.edu.mn"]
