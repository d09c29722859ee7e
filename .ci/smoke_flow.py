"""The smoke test's steps over HTTP and the CLI: sign and confirm, rate limits, send letters, import a reply."""

from __future__ import annotations

import http.client
import json
import re
import ssl
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import formatdate, make_msgid
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import redis
from smoke_stack import PUBLIC_HOST, SmokeFailure, Stack, wait_for

SLUG = "nrw-jetzt-erst-gerecht"  # the demo campaign (`campaign seed-demo`)
ORGANISER = "organisation@example.org"
PASSWORD = "Smoke-Test-Passwort-2026"
SUPPORTER = "Łukasz.Wójcik@example.org"
# A letter's subject ends with its reference code: „Ihr Leitantrag [NRW-2026-0001]“.
REFERENCE = re.compile(r"\[[A-Z0-9]+(?:-[A-Z0-9]+)+\]$")


def run_flow(stack: Stack) -> None:
    """Every step of the production guide, in order, each failing with a German message that says what broke."""
    step("Datenbank migrieren, Demo-Kampagne und Konto anlegen")
    stack.campaign("db", "upgrade")
    stack.campaign("seed-demo")
    stack.campaign("users", "create", ORGANISER, "--role", "organiser", stdin=PASSWORD + "\n")
    step("gunicorn (2 Prozesse), nginx davor und zwei Job-Worker starten")
    stack.start_web()
    stack.start_proxy()
    stack.start_workers(2)
    check_https_redirect(stack)
    confirm_path = sign_and_confirm(stack)
    check_rate_limits(stack)
    sent = send_letters(stack)
    import_reply(stack, sent[0], len(sent))
    check_backup(stack)
    check_access_log(stack, confirm_path)


STARTED = time.monotonic()


def step(text: str) -> None:
    print(f"== {time.monotonic() - STARTED:5.1f} s  {text}", flush=True)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


@dataclass
class Browser:
    """A browser on its own loopback address, talking HTTPS to nginx (which adds X-Forwarded-For and -Proto)."""

    stack: Stack
    address: str
    # A client that sends its own X-Forwarded-For: nginx must replace it, the app must not believe it.
    forged_forwarded_for: str = ""
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, str] | None = None, referer: str = "") -> Response:
        headers = {"Host": PUBLIC_HOST, "Accept-Language": "de"}
        if self.forged_forwarded_for:
            headers["X-Forwarded-For"] = self.forged_forwarded_for
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Over https, Flask-WTF checks that a form comes from a page of the same site.
            headers["Referer"] = f"https://{PUBLIC_HOST}{referer or path}"
        context = ssl.create_default_context(cafile=str(self.stack.certificate))
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.stack.https_port, timeout=60, context=context, source_address=(self.address, 0)
        )
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read().decode("utf-8", "replace"))
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str, expect: int = 200) -> Response:
        response = self.request("GET", path)
        if response.status != expect:
            raise SmokeFailure(f"GET {path}: Status {response.status} statt {expect}\n{response.body[:2000]}")
        return response

    def submit(self, page_path: str, action: str, values: dict[str, str], expect: int = 302) -> Response:
        """Fill in the form of `page_path` whose action ends with `action` and send it, with its CSRF token."""
        page = self.get(page_path)
        form = find_form(page.body, action, page_path)
        form.update(values)
        response = self.request("POST", form.pop("__action__"), form=form, referer=page_path)
        if response.status != expect:
            raise SmokeFailure(f"POST {action}: Status {response.status} statt {expect}\n{response.body[:2000]}")
        return response


class FormParser(HTMLParser):
    """The forms of a page: their action and the values a browser would send unchanged (hidden, checked)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append({"__action__": values.get("action", "").split("#")[0]})
        elif tag == "input" and self.forms and values.get("name"):
            kind = values.get("type", "text")
            if kind in {"hidden", "text", "email"} or (kind in {"radio", "checkbox"} and "checked" in values):
                self.forms[-1][values["name"]] = values.get("value", "")


def find_form(page: str, action: str, page_path: str = "") -> dict[str, str]:
    """The form posting to a path ending in `action` (a form without action posts to its page, `page_path`)."""
    parser = FormParser()
    parser.feed(page)
    for form in parser.forms:
        form["__action__"] = form["__action__"] or page_path
        if form["__action__"].endswith(action):
            return form
    raise SmokeFailure(f"Kein Formular mit dem Ziel …{action} auf der Seite.")


def check_https_redirect(stack: Stack) -> None:
    """Plain HTTP gets a permanent redirect to the same path over HTTPS."""
    connection = http.client.HTTPConnection("127.0.0.1", stack.http_port, timeout=10)
    try:
        connection.request("GET", f"/c/{SLUG}", headers={"Host": PUBLIC_HOST})
        response = connection.getresponse()
    finally:
        connection.close()
    if response.status != 301 or response.headers["Location"] != f"https://{PUBLIC_HOST}/c/{SLUG}":
        raise SmokeFailure(f"HTTP leitet nicht auf HTTPS um: {response.status} {response.headers['Location']}")


def sign_and_confirm(stack: Stack) -> str:
    """A supporter signs on /c/<slug>, confirms with the link from the mail (GET shows, POST confirms), is counted."""
    step("Mitzeichnen, Bestätigungsmail empfangen, per POST bestätigen, Zähler der API prüfen")
    browser = Browser(stack, "127.0.0.23")
    signed = browser.submit(
        f"/c/{SLUG}",
        f"/c/{SLUG}/sign",
        {"first_name": "Łukasz", "last_name": "Wójcik", "email": SUPPORTER, "postcode": "44135", "city": "Dortmund"}
        | {"consent": "y"},
    )
    if not signed.location.endswith(f"/c/{SLUG}/signed"):
        raise SmokeFailure(f"Nach dem Mitzeichnen ging es nach {signed.location!r} statt zur Dankesseite.")
    mail = wait_for("Bestätigungsmail beim SMTP-Server", lambda: stack.mail.messages_to(SUPPORTER), 30)[0]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    link = re.search(rf"https://{re.escape(PUBLIC_HOST)}(/c/{SLUG}/confirm/\S+)", text)
    if link is None:
        raise SmokeFailure(f"Kein Bestätigungslink mit PUBLIC_URL in der Mail:\n{text}")
    confirmed = browser.submit(link.group(1), link.group(1), {}, expect=200)
    if "Ihre Mitzeichnung ist bestätigt" not in confirmed.body:
        raise SmokeFailure("Die Bestätigungsseite meldet keine bestätigte Mitzeichnung.")
    figures = json.loads(browser.get(f"/api/v1/campaigns/{SLUG}").body)
    if figures.get("confirmed_signatures") != 1:
        raise SmokeFailure(f"Die API zählt {figures.get('confirmed_signatures')} statt 1 Mitzeichnung: {figures}")
    return link.group(1)


def check_rate_limits(stack: Stack) -> None:
    """The limit per client address is shared by both gunicorn processes (Redis) and uses the forwarded address."""
    step("Ratenbegrenzung je Client-Adresse über Redis")
    noisy = Browser(stack, "127.0.0.66")
    page = noisy.get(f"/c/{SLUG}")
    form = find_form(page.body, f"/c/{SLUG}/sign")
    form.pop("__action__")
    # Without consent: refused with 400, stores nothing, but every attempt counts against the address, also when
    # the client makes up a new X-Forwarded-For each time.
    statuses = []
    for number in range(6):
        noisy.forged_forwarded_for = f"203.0.113.{number}"
        statuses.append(noisy.request("POST", f"/c/{SLUG}/sign", form=form, referer=f"/c/{SLUG}").status)
    if statuses != [400] * 5 + [429]:
        raise SmokeFailure(f"SIGN_RATE_LIMIT=5/min griff nicht wie erwartet: {statuses}")
    other = Browser(stack, "127.0.0.67")
    other.cookies = dict(noisy.cookies)  # same session, other address: the limit is per address
    status = other.request("POST", f"/c/{SLUG}/sign", form=form, referer=f"/c/{SLUG}").status
    if status != 400:
        raise SmokeFailure(f"Eine andere Client-Adresse wurde mitbegrenzt (Status {status}).")
    if not redis.Redis.from_url(stack.limits_redis).keys("LIMITS*"):
        raise SmokeFailure("In RATELIMIT_STORAGE_URL (Redis) liegen keine Zähler.")


def send_letters(stack: Stack) -> list[EmailMessage]:
    """Letters generated on the CLI, approved and queued on the sending screen, sent by the workers over SMTP."""
    step("Briefe erzeugen (CLI), freigeben und einreihen (Versandbildschirm), Zustellung durch die Worker")
    stack.campaign("letters", "generate", SLUG, "--as", ORGANISER)
    browser = Browser(stack, "127.0.0.10")
    browser.submit("/auth/login", "/auth/login", {"email": ORGANISER, "password": PASSWORD})
    sending = f"/organise/campaigns/{SLUG}/sending"
    browser.submit(sending, f"{sending}/approve", {})
    queued = browser.submit(sending, f"{sending}/queue", {})
    if "/organise/jobs/" not in queued.location:
        raise SmokeFailure(f"Nach „Einreihen“ ging es nach {queued.location!r} statt zur Auftragsseite.")
    job_url = urlsplit(queued.location).path + ".json"

    last: dict = {}

    def finished() -> dict:
        stack.check_running()
        last.update(json.loads(browser.get(job_url).body))
        return last if last["finished"] else {}

    # Generous limits: they find a stack that hangs, they do not measure it (each letter's PDF is made here).
    job = wait_for(lambda: f"ein Worker legt die Briefe in den Postausgang (zuletzt: {last})", finished, 180, every=1)
    if job["status"] != "done" or not job["done"]:
        raise SmokeFailure(f"Der Auftrag zum Einreihen endete nicht wie erwartet: {job}")
    expected = job["done"]

    def arrived() -> list[EmailMessage]:
        stack.check_running()
        letters = [item.message for item in stack.mail.received]
        letters = [message for message in letters if REFERENCE.search(message["Subject"] or "")]
        return letters if len(letters) >= expected else []

    sent = wait_for(f"{expected} Briefe beim SMTP-Server", arrived, 120, every=0.5)
    if len(sent) != expected or len({message["Message-ID"] for message in sent}) != expected:
        raise SmokeFailure(f"{len(sent)} Briefe beim SMTP-Server, erwartet {expected} verschiedene.")
    if not all(message["Reply-To"] and "antworten+" in message["Reply-To"] for message in sent):
        raise SmokeFailure("Nicht jeder Brief hat die Antwortadresse aus REPLY_ADDRESS.")
    print(f"   {expected} Briefe zugestellt", flush=True)
    return sent


def import_reply(stack: Stack, letter: EmailMessage, sent_count: int) -> None:
    """An answer to one letter, as its recipient's mail program would write it, imported and counted."""
    step("Antwort importieren (campaign replies import) und in der Statistik zählen")
    reply = EmailMessage()
    reply["From"] = letter["To"]
    reply["To"] = letter["Reply-To"] or letter["From"]
    reply["Subject"] = "AW: " + letter["Subject"]
    reply["Message-ID"] = make_msgid(domain="example.org")
    reply["In-Reply-To"] = letter["Message-ID"]
    reply["References"] = letter["Message-ID"]
    reply["Date"] = formatdate(localtime=True)
    reply.set_content(
        "Sehr geehrte Damen und Herren,\n\nvielen Dank für Ihren Brief. Wir haben Ihre Argumente zur "
        "dezentralen Unterbringung und zur frühen Integration im Landesvorstand besprochen und werden "
        "einen Änderungsantrag zu den Meldepflichten unterstützen, der die Kommunen stärkt und die "
        "Rechtssicherheit der Betroffenen verbessert. Über den weiteren Verlauf informieren wir Sie gern.\n\n"
        "Mit freundlichen Grüßen\n"
    )
    path = stack.folder / "antwort.eml"
    path.write_bytes(reply.as_bytes(policy=default_policy))
    stack.campaign("replies", "import", str(path))
    stats = json.loads(stack.campaign("stats", SLUG, "--json"))
    if stats.get("letters_replied") != 1 or stats.get("letters_sent") != sent_count:
        raise SmokeFailure(f"Die Antwort wurde nicht ihrem Brief zugeordnet: {stats}")
    print(f"   Statistik: {stats}", flush=True)


def check_backup(stack: Stack) -> None:
    """`campaign backup` with the production settings: pg_dump of the whole database into one file."""
    step("Datensicherung (campaign backup)")
    target = stack.folder / "campaign.backup"
    stack.campaign("backup", str(target))
    if not target.exists() or target.stat().st_size < 10_000:
        raise SmokeFailure(f"Die Sicherung {target} fehlt oder ist fast leer.")


def check_access_log(stack: Stack, confirm_path: str) -> None:
    """nginx logged the requests, the confirm link without its token."""
    log = stack.access_log()
    token = confirm_path.rsplit("/", 1)[1]
    if token in log:
        raise SmokeFailure("Das Zugriffsprotokoll von nginx enthält den Token eines Bestätigungslinks.")
    if f"/c/{SLUG}/confirm/[token]" not in log or "127.0.0.23" not in log:
        raise SmokeFailure("Das Zugriffsprotokoll von nginx fehlt oder hat nicht die erwartete Form.")
