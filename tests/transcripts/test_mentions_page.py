"""The mentions page (/testimonies/<n>/mentions/<lang>/): words of a segment linked to a
person's or a place's record through the cross-script search, listed, unlinked; permissions
as the transcript editor's. The browser test selects the words with the mouse."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from aigaq.core.models import AuditEntry
from aigaq.people.models import Place
from aigaq.people.services import place_save
from aigaq.transcripts import selectors as transcript_selectors
from aigaq.transcripts.models import Mention
from tests import factories
from tests.transcripts.conftest import segs
from tests.transcripts.test_pages import as_user


def _url(transcript: Any) -> str:
    return reverse(
        "staff:transcript_mentions", args=[transcript.testimony.number, transcript.language]
    )


@pytest.mark.django_db
def test_words_typed_without_javascript_are_found_searched_and_linked_to_the_person(
    client: Any, interviewer: Any, transcript: Any
) -> None:
    erlan = factories.person("Ерлан Серікұлы")
    first = segs(transcript)[0]
    c = as_user(client, interviewer)
    found = c.get(_url(transcript), {"segment": first.pk, "words": "Ерлан", "kind": "person"})
    page = found.content.decode()
    assert found.status_code == 200
    assert f'value="{erlan.pk}"' in page  # the search found him by the typed words
    answer = c.post(
        _url(transcript),
        {
            "action": "link",
            "segment": first.pk,
            "words": "Ерлан",
            "kind": "person",
            "target": erlan.pk,
        },
    )
    assert answer.status_code == 302
    mention = Mention.objects.get()
    assert (mention.person, mention.text) == (erlan, "Ерлан")
    assert first.text[mention.start : mention.end] == "Ерлан"
    assert list(transcript_selectors.testimonies_mentioning(reader=interviewer, person=erlan)) == [
        transcript.testimony
    ]
    listed = c.get(_url(transcript)).content.decode()
    assert 'data-testid="mention"' in listed and f"/persons/{erlan.entry_no}/" in listed
    # Unlinked: the link goes, audited; the words stay.
    c.post(_url(transcript), {"action": "remove", "mention": mention.pk})
    assert not Mention.objects.exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, object_id=str(mention.pk))


@pytest.mark.django_db
def test_a_place_is_linked_and_words_not_in_the_segment_are_refused(
    client: Any, interviewer: Any, transcript: Any
) -> None:
    ghulja = place_save(Place(code="test-ghulja", kind="county", name="Құлжа"))
    second = segs(transcript)[1]
    c = as_user(client, interviewer)
    wrong = c.post(
        _url(transcript),
        {
            "action": "link",
            "segment": second.pk,
            "words": "Алматы",
            "kind": "place",
            "target": ghulja.pk,
        },
    )
    assert wrong.status_code == 400 and "is not in segment 2" in wrong.content.decode()
    assert not Mention.objects.exists()
    at = second.text.index("Құлжа")
    c.post(
        _url(transcript),
        {
            "action": "link",
            "segment": second.pk,
            "words": "Құлжа",
            "start": at,
            "end": at + 5,
            "kind": "place",
            "target": ghulja.pk,
        },
    )
    assert Mention.objects.get().place == ghulja


@pytest.mark.django_db
def test_a_viewer_reads_the_links_but_cannot_make_them(
    client: Any, make_user: Any, transcript: Any
) -> None:
    erlan = factories.person("Ерлан Серікұлы")
    first = segs(transcript)[0]
    reader = make_user("viewer", "reader")
    c = as_user(client, reader)
    # The testimony is internal: a viewer does not see it at all.
    assert c.get(_url(transcript)).status_code == 404
    answer = c.post(
        _url(transcript),
        {
            "action": "link",
            "segment": first.pk,
            "words": "Ерлан",
            "kind": "person",
            "target": erlan.pk,
        },
    )
    assert answer.status_code == 404
    assert not Mention.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_words_selected_with_the_mouse_are_linked_to_the_person_found(
    page: Any, live_server: Any, make_user: Any, transcript: Any
) -> None:
    from tests.transcripts.test_browser_pages import screenshot, sign_in

    erlan = factories.person("Ерлан Серікұлы")
    editor = make_user("interviewer", "linker")
    base = live_server.url
    sign_in(page, base, editor)
    page.goto(base + f"/testimonies/{transcript.testimony.number}/transcript/kk/")
    page.click("[data-testid=mentions-link]")
    page.wait_for_selector("[data-testid=mentions-page]")
    # Select "Ерлан" in the first segment's text as a person would, with the mouse.
    page.evaluate(
        """() => { const p = document.querySelector('[data-testid=segment-text]');
        const node = p.firstChild; const at = node.textContent.indexOf('Ерлан');
        const r = document.createRange(); r.setStart(node, at); r.setEnd(node, at + 5);
        const s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
        p.dispatchEvent(new MouseEvent('mouseup', {bubbles: true})); }"""
    )
    assert page.input_value("[data-testid=mention-words]") == "Ерлан"
    assert page.input_value("[data-testid=mention-query]") == "Ерлан"
    page.click("[data-testid=mention-find]")
    page.wait_for_selector("[data-testid=mention-link]")
    screenshot(page, "mentions")
    page.locator("[data-testid=mention-link]", has_text=f"#{erlan.entry_no} ").click()
    page.wait_for_selector("[data-testid=mention]")
    mention = Mention.objects.get()
    assert mention.person == erlan and mention.text == "Ерлан"
    assert page.locator("[data-testid=mentions] tbody tr").count() == 1
