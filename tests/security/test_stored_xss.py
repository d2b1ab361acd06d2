"""Stored XSS: hostile text in every text field of every model, then every page that shows it.

The world of the marker crawl (tests/staff/test_marker_crawl.py: records of every kind,
visibility and consent, made through the services) plus a public entry with a hometown, tags,
a source and petitions (`payloads.seed_extras`); then `payloads.poison()` writes payloads into
every free-text field of every stored record (iterated through `apps.get_models()`). Then:

1. every address of the site (the marker crawl's `addresses`: read from the URL
   configuration, so a new page is covered without anything to do here), plus each search box
   with a query that finds the poisoned records, is requested as an administrator (who sees
   everything): no answer is a server error, no HTML answer carries a payload unescaped or a
   `javascript:` address in a link, and every HTML answer has a CSP without 'unsafe-inline'
   scripts; the public site alone (`aigaq serve --public`'s URLs and middleware) likewise;
2. every HTML page that answered is opened in Debian's Chromium **with the CSP bypassed**
   (so that this tests the escaping, not only the CSP behind it), and htmx's fragments are
   let load: the test fails if `window.__xss` is set or a dialog opens.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import resolve

from tests.security.payloads import FIELDS, RAW_SIGNS, poison, seed_extras
from tests.staff.test_marker_crawl import addresses, body, seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# An attribute that makes the browser go to its value: href, src, action, formaction, htmx's.
LINK_ATTRIBUTE = re.compile(
    r"""\b(href|src|action|formaction|hx-get|hx-post|poster|data)\s*=\s*["']?\s*javascript:""",
    re.IGNORECASE,
)
#: Routes not requested: signing out (it would end the session the crawl reads with).
SKIPPED_ROUTES = {"staff:logout"}


def script_sources(csp: str) -> str:
    """The sources scripts may come from: script-src, else default-src."""
    directives = {d.strip().split(" ", 1)[0]: d.strip() for d in csp.split(";") if d.strip()}
    return directives.get("script-src") or directives.get("default-src") or ""


def check_html(address: str, response: Any, data: bytes, problems: list[str]) -> None:
    text = data.decode("utf-8", "replace")
    for sign in RAW_SIGNS:
        if sign in text:
            at = text.index(sign)
            problems.append(f"{address}: unescaped {text[max(0, at - 60) : at + 60]!r}")
    for found in LINK_ATTRIBUTE.finditer(text):
        problems.append(f"{address}: a javascript: address in {found.group(0)!r}")
    csp = response.get("Content-Security-Policy", "")
    scripts = script_sources(csp)
    if not scripts or "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts:
        problems.append(f"{address}: Content-Security-Policy lets scripts run: {csp!r}")


def search_addresses(public_number: int) -> list[str]:
    """Every search box, with a query that finds the poisoned records (the name index was
    built before the names were poisoned)."""
    return [
        "/persons/?q=Publicxss",
        "/persons/?q=Ashyqmarker",
        "/testimonies/?q=Anonmarker",
        "/persons/suggest/?q=Ashyqmarker",
        "/places/suggest/?q=Xss",
        "/testifiers/suggest/?q=Anonmarker",
        "/search/persons/?q=Ashyqmarker",
        "/search/places/?q=Xss",
        "/desk/relatives/?q=Ishkimarker",
        "/public/en/entries/?q=Publicxss",
        f"/public/ar/entries/{public_number}/",
        f"/public/zh-hans/entries/{public_number}/",
    ]


def one_or_two_per_route(pages: list[str]) -> list[str]:
    """The pages opened in Chromium: at most two of each route (the records of one kind share
    a template; the test client has read every one of them already)."""
    seen: dict[str, int] = {}
    out = []
    for address in pages:
        route = resolve(address.split("?", 1)[0]).view_name
        seen[route] = seen.get(route, 0) + 1
        if seen[route] <= 2 or "?" in address:
            out.append(address)
    return out


def test_no_stored_payload_is_sent_unescaped_or_runs_in_chromium(
    make_user: Any, live_server: Any, browser: Any
) -> None:
    admin = make_user("admin", "xss-admin", is_superuser=True, is_staff=True)
    world = seed()
    extras = seed_extras(world.persons)
    crawl, problems = addresses(world)
    assert not problems, "\n".join(problems)
    written = poison(keep_users={admin.pk})
    # The fields the issue names are among those poisoned (a rename would silently drop one).
    for name in (
        "people.PersonName.full_name",
        "people.Person.biography",
        "people.Person.primary_name",
        "testimonies.Testimony.summary",
        "testimonies.Testifier.full_name",
        "people.PlaceName.name",
        "people.Place.local_names",
        "people.Tag.label",
        "people.StatusEvent.facility",
        "people.StatusEvent.note",
        "petitions.Petition.entries",
        "petitions.Petition.answer",
        "petitions.Petition.next_action",
        "corrections.Submission.message",
        "mirrors.Mirror.title",
        "intake.Visit.visitor_name",
        "intake.Visit.notes",
        "intake.FieldTrip.notes",
        "core.AuditEntry.note",
        "casework.CaseContact.notes",
        "transcripts.Mention.text",
    ):
        assert written.get(name), f"{name} was not poisoned: {sorted(written)}"

    client = Client()
    client.force_login(admin)
    found: list[str] = []
    pages: list[str] = []
    staff = [a for r, a in crawl if r not in SKIPPED_ROUTES]
    staff += [f"/public/en/entries/{extras.public_person.entry_no}/"]
    staff += search_addresses(extras.public_person.entry_no)
    for address in staff:
        response = client.get(address)
        data = body(response)
        if response.status_code >= 500:
            found.append(f"{address}: {response.status_code}")
        if response.get("Content-Type", "").startswith("text/html"):
            check_html(address, response, data, found)
            if response.status_code == 200:
                pages.append(address)
    from django.conf import settings

    with override_settings(
        ROOT_URLCONF=settings.PUBLIC_URLCONF, MIDDLEWARE=settings.PUBLIC_MIDDLEWARE
    ):
        visitor = Client()
        n = extras.public_person.entry_no
        for address in (
            "/en/",
            "/en/entries/",
            "/en/entries/?q=Publicxss",
            f"/en/entries/{n}/",
            f"/ar/entries/{n}/",
            "/en/statistics/",
            "/en/map/",
            "/en/correction/",
            "/en/data/",
        ):
            response = visitor.get(address)
            if response.status_code >= 500:
                found.append(f"public {address}: {response.status_code}")
            if response.get("Content-Type", "").startswith("text/html"):
                check_html(f"public {address}", response, body(response), found)
    assert not found, "\n".join(found) + f"\n(payload numbers: {list(enumerate(FIELDS))})"

    # The same pages in Chromium, the CSP switched off: the escaping alone must hold.
    context = browser.new_context(locale="en-GB", bypass_csp=True)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    # Count htmx's settled swaps, to wait for the fragments a page loads on its own.
    context.add_init_script(
        "document.addEventListener('htmx:afterSettle', () => {"
        " window.__settled = (window.__settled || 0) + 1 })"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    ran: list[str] = []
    try:
        for address in one_or_two_per_route(pages):
            page.goto(live_server.url + address, wait_until="load")
            loading = page.locator("[hx-trigger=load]").count()
            if loading:  # the petitions panel: wait for its fragment
                page.wait_for_function(f"(window.__settled || 0) >= {loading}")
            value = page.evaluate("window.__xss")
            if value is not None:
                label = FIELDS[value] if isinstance(value, int) and value < len(FIELDS) else value
                ran.append(f"{address}: a payload from {label} ran")
            links = page.evaluate(
                """() => [...document.querySelectorAll('[href],[src],[action],[formaction]')]
                   .flatMap(e => ['href','src','action','formaction'].map(a => e.getAttribute(a)))
                   .filter(v => v && /^\\s*javascript:/i.test(v))"""
            )
            if links:
                ran.append(f"{address}: javascript: links {links}")
    finally:
        context.close()
    assert len(pages) > 40, pages  # the crawl did reach the pages
    assert not ran and not dialogs, "\n".join(ran + dialogs)
