"""The shortlist page kept whole, base.html around its content included, and the one query that
checks a reader's access to a shortlist.

The page around the cards (the menu, the language switcher, the footer) is the same for every
member of the organisation reading in one language, so it is kept with the cards; each reader
still gets their own CSRF token, their own address in the language switcher and their own
messages, and erasure forgets the whole page.
"""

# The fixtures come from the shortlist tests: pytest passes them by name (F811).
# ruff: noqa: F811

import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import Http404
from django.test import Client
from django.utils.html import escape
from rest_framework.renderers import JSONRenderer

from candidates.models import CandidateProfile
from employers.models import Vacancy
from employers.shortlists import views
from employers.shortlists.selectors import (
    candidate_ref,
    kept_shortlist_keys,
    shortlist_vacancy_for,
)
from tests import factories
from tests.employers.shortlists.test_shortlists import (  # noqa: F401 - fixtures
    api_url,
    client,
    invite_url,
    login_api,
    page_url,
    pool,
    skills,
    vacancy,
    yasmine,
)

pytestmark = pytest.mark.django_db
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def without_tokens(response):
    return CSRF_VALUE.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())


def test_the_kept_page_is_the_page_base_html_renders_around_the_content(
    client, cast, vacancy, pool, monkeypatch
):
    client.force_login(cast.employer_member)
    cache.clear()
    for language in ("fr", "nl", "en"):
        kept = client.get(page_url(vacancy), {"page": "1"}, HTTP_ACCEPT_LANGUAGE=language)
        assert kept.status_code == 200
        # With a message waiting, the page is rendered around the kept content by base.html
        # itself (here no message is shown: the test only takes that path).
        monkeypatch.setattr(views, "get_messages", lambda request: [None])
        rendered = client.get(page_url(vacancy), {"page": "1"}, HTTP_ACCEPT_LANGUAGE=language)
        monkeypatch.undo()
        assert without_tokens(kept) == without_tokens(rendered)
        assert kept["Content-Type"] == rendered["Content-Type"]
        assert kept["Cache-Control"] == rendered["Cache-Control"] == "private, no-store"


def test_each_reader_gets_their_own_address_and_token_in_the_kept_frame(cast, vacancy, pool):
    colleague = factories.EmployerMemberFactory(
        membership__employer=cast.employer_member.membership.employer
    )
    cache.clear()
    first = Client(HTTP_ACCEPT_LANGUAGE="en")
    first.force_login(cast.employer_member)
    first.get(page_url(vacancy))
    second = Client(HTTP_ACCEPT_LANGUAGE="en")
    second.force_login(colleague)
    response = second.get(page_url(vacancy), {"page": "1", "from": '"<b>&'})
    page = response.content.decode()
    path = response.wsgi_request.get_full_path()
    assert f'name="next" type="hidden" value="{escape(path)}"' in page
    assert "passerelle-" not in page.replace("passerelle.css", "")
    token = second.cookies["csrftoken"].value
    assert token  # the page asked for one, as before
    assert len(CSRF_VALUE.findall(page)) > 2  # the logout and language forms, and the cards'


def test_a_message_is_shown_to_its_reader_only_and_never_kept(cast, vacancy, pool):
    colleague = factories.EmployerMemberFactory(
        membership__employer=cast.employer_member.membership.employer
    )
    cache.clear()
    inviter = Client(HTTP_ACCEPT_LANGUAGE="en")
    inviter.force_login(cast.employer_member)
    inviter.get(page_url(vacancy))  # the page kept
    ref = candidate_ref(vacancy, pool["strong"])
    redirect = inviter.post(invite_url(vacancy, ref), {"page": "1"})
    assert redirect.status_code == 302
    name = pool["strong"].user.full_name
    shown = inviter.get(redirect["Location"]).content.decode()
    assert f"Invitation sent to {name}" in shown
    reader = Client(HTTP_ACCEPT_LANGUAGE="en")
    reader.force_login(colleague)
    page = reader.get(page_url(vacancy)).content.decode()
    assert "Invitation sent" not in page
    assert name in page  # revealed to the organisation
    assert "Invitation sent" not in inviter.get(page_url(vacancy)).content.decode()


def test_erasure_forgets_the_kept_page_frame_and_all(client, cast, vacancy, pool):
    cache.clear()
    client.force_login(cast.employer_member)
    ref = candidate_ref(vacancy, pool["partial"])
    assert ref in client.get(page_url(vacancy)).content.decode()
    (key,) = kept_shortlist_keys([vacancy.pk])
    kept = cache.get(key)
    assert "<!doctype html>" in "".join(kept["head"]) and ref in "".join(kept["content"])
    CandidateProfile.objects.filter(pk=pool["partial"].pk).delete()
    assert cache.get(key) is None
    assert ref not in client.get(page_url(vacancy)).content.decode()


# The reader's access -------------------------------------------------------------------------


def test_a_member_gets_the_vacancy_and_whether_it_is_published(cast, vacancy):
    found, is_published = shortlist_vacancy_for(cast.employer_member, vacancy.pk)
    assert (found, is_published) == (vacancy, True)
    assert found.title_fr == vacancy.title_fr and found.closes_on == vacancy.closes_on
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.DRAFT)
    assert shortlist_vacancy_for(cast.employer_member, vacancy.pk) == (vacancy, False)


@pytest.mark.parametrize(
    "who", ["other_employer_member", "candidate", "counsellor", "staff", "anonymous"]
)
def test_anyone_but_a_member_gets_a_404_from_the_access_check(cast, vacancy, who):
    user = AnonymousUser() if who == "anonymous" else getattr(cast, who)
    with pytest.raises(Http404):
        shortlist_vacancy_for(user, vacancy.pk)
    with pytest.raises(Http404):
        shortlist_vacancy_for(cast.employer_member, vacancy.pk + 1000)


def test_the_api_404_says_what_it_said(api_client, cast, vacancy):
    other = login_api(api_client, cast.other_employer_member)
    response = other.get(api_url(vacancy), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# The API's kept rows ---------------------------------------------------------------------------


def test_the_api_writes_its_kept_rows_as_the_renderer_writes_the_page(
    api_client, cast, vacancy, pool
):
    """The rows are kept as JSON text and go into the page as they are: the bytes are those of
    the page written whole, fresh or kept, and an indented page is indented throughout."""
    api = login_api(api_client, cast.employer_member)
    cache.clear()
    fresh = api.get(api_url(vacancy))
    kept = api.get(api_url(vacancy))
    assert fresh.content == kept.content == JSONRenderer().render(fresh.json())
    assert json.loads(kept.content)["count"] == 5
    indented = api.get(api_url(vacancy), HTTP_ACCEPT="application/json; indent=2")
    assert indented.content.decode() == json.dumps(fresh.json(), indent=2, ensure_ascii=False)
    assert indented.json() == fresh.json()
