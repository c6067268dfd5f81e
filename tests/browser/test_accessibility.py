"""axe-core over every page, for each role that may open it, in FR and NL, at 360 and 1280 px;
and no page wider than a 360 px phone, in FR, NL and EN."""

import time
from collections import defaultdict
from urllib.parse import urlsplit

import pytest

from tests.browser.a11y import (
    LANGUAGES,
    NOT_PAGE_NAMESPACES,
    NOT_PAGES,
    PAGES,
    PHONE_WIDTH,
    ROLES,
    SECOND_STEP,
    WIDTH_ONLY_LANGUAGES,
    WIDTHS,
    axe_violations,
    build_world,
    document_width,
    language_cookie,
    pages_for,
    session_cookie,
    url_names,
    with_axe,
)


def test_axe_finds_a_violation_when_there_is_one(chromium):
    context = with_axe(chromium.new_context())
    page = context.new_page()
    page.set_content(
        '<html lang="fr"><title>Test</title><body><main>'
        '<img src="x.png"><span aria-label="unknown">—</span></main></body></html>'
    )
    found = {violation["id"] for violation in axe_violations(page)}
    assert found == {"image-alt", "aria-prohibited-attr"}
    context.close()


def test_every_url_is_either_a_page_to_check_or_set_aside_with_a_reason():
    names = set(url_names())
    unlisted = sorted(
        name
        for name in names
        if name not in PAGES
        and name not in NOT_PAGES
        and name.split(":")[0] not in NOT_PAGE_NAMESPACES
    )
    assert not unlisted, f"add these URL names to PAGES or NOT_PAGES in a11y.py: {unlisted}"
    assert not (set(PAGES) | set(NOT_PAGES)) - names, "a11y.py lists URL names that are gone"
    assert not set(PAGES) & set(NOT_PAGES)
    assert all(page.roles for page in PAGES.values()), "every page is checked for someone"


# Where a signed-in person who may not (yet) open a page is sent instead.
SENT_AWAY = ("/accounts/login/", "/accounts/mfa/")


@pytest.mark.django_db(transaction=True)
def test_no_page_breaks_a_wcag_21_aa_rule_or_scrolls_sideways_for_any_role_language_or_width(
    live_server, chromium, item_bank
):
    base = live_server.url
    world = build_world()
    found = defaultdict(list)  # (rule, element) -> where
    failures = []
    too_wide = []  # pages wider than the phone: sideways scrolling
    started, checks = time.perf_counter(), 0
    for role in (*ROLES, SECOND_STEP):
        context = with_axe(chromium.new_context(viewport={"width": WIDTHS[0], "height": 900}))
        if role != "anonymous":
            cookie = session_cookie(world.users[role], base, second_step_done=role != SECOND_STEP)
            context.add_cookies([cookie])
        page = context.new_page()
        page.set_default_timeout(15_000)
        for language in (*LANGUAGES, *WIDTH_ONLY_LANGUAGES):
            context.add_cookies([language_cookie(language, base)])
            for name, spec in pages_for(role):
                url = spec.url(name, world)
                response = page.goto(base + url)
                landed = urlsplit(page.url).path
                sent_away = landed != urlsplit(url).path and landed.startswith(SENT_AWAY)
                if response.status != 200 or sent_away:
                    failures.append(f"{role} {url}: {response.status}, at {landed}")
                    continue
                if page.locator("html").get_attribute("lang") != language:
                    failures.append(f"{role} {url}: not in {language}")
                if language in WIDTH_ONLY_LANGUAGES:
                    page.set_viewport_size({"width": PHONE_WIDTH, "height": 900})
                    if (width := document_width(page)) > PHONE_WIDTH:
                        too_wide.append(f"{role} {language} {url}: {width} px")
                    continue
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900})
                    if width == PHONE_WIDTH and (wide := document_width(page)) > PHONE_WIDTH:
                        too_wide.append(f"{role} {language} {url}: {wide} px")
                    checks += 1
                    violations = axe_violations(page)
                    for violation in violations:
                        for node in violation["nodes"]:
                            key = (violation["id"], violation["help"], node["target"])
                            found[key].append(
                                (
                                    f"{role} {language} {width}px {url}",
                                    node["html"],
                                    node["summary"],
                                )
                            )
                page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        context.close()
    elapsed = time.perf_counter() - started
    print(f"\naxe: {checks} page checks in {elapsed:.1f} s")

    report = []
    for (rule, help_text, target), where in sorted(found.items()):
        first_place, html, summary = where[0]
        report.append(
            f"{rule} ({help_text}) at {target} on {len(where)} checks, e.g. {first_place}\n"
            f"    {html}\n    {(summary or '').replace(chr(10), ' ')[:400]}"
        )
    assert not failures and not report and not too_wide, "\n".join(
        failures
        + [f"{len(too_wide)} pages wider than {PHONE_WIDTH} px:"]
        + too_wide
        + [f"{len(report)} axe violations:"]
        + report
    )
