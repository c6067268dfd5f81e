"""A job-seeker on a 360 px phone, without JavaScript and with the keyboard only, marks the
suspicious lines of a log and types a short answer; axe finds no WCAG 2.1 AA violation on either
page, and a long log line wraps inside its own box instead of widening the page."""

import pytest

from assessments.models import Attempt, Item
from tests import factories
from tests.assessments.test_attempts import tiny_battery
from tests.assessments.test_mark_and_typed import mark_item, typed_item
from tests.browser.a11y import (
    axe_violations,
    describe,
    press_and_wait,
    session_cookie,
    tab_to,
    with_axe,
)
from tests.browser.conftest import fits, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_mark_and_a_typed_item_work_on_a_phone_without_javascript(
    live_server, chromium, item_bank
):
    base = live_server.url
    user = factories.CandidateFactory(email="ines@example.org", preferred_language="en")
    Item.objects.filter(competency__in=["cyber_analysis", "cyber_codes"]).update(
        status=Item.Status.RETIRED
    )
    mark = mark_item()
    typed_item()
    battery = tiny_battery(
        "mark-typed", sections=(("cyber_analysis", 1, 10), ("cyber_codes", 1, 10))
    )

    plain = chromium.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="en-GB"
    )
    plain.add_cookies([session_cookie(user, base)])
    page = plain.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/tests/{battery.slug}/?lang=en")
    tab_to(page, ".start-form button[type=submit]")
    press_and_wait(page)
    attempt = Attempt.objects.get(user=user)
    runner = f"{base}/tests/attempts/{attempt.pk}/"
    page.wait_for_url(runner)

    # The log: one checkbox per line, in order, reached and ticked with Tab and Space.
    boxes = page.locator("fieldset#answer input[type=checkbox]")
    assert boxes.count() == 5
    assert page.locator("fieldset#answer legend").inner_text() == "Tick the suspicious lines."
    assert fits(page), "a long log line widened the page"
    screenshot(page, "mark-item-no-js-en-360")
    for option in mark.options.filter(is_correct=True):
        tab_to(page, f"#option-{option.pk}")
        page.keyboard.press("Space")
        assert page.locator(f"#option-{option.pk}").is_checked()
    tab_to(page, "button[type=submit].button")
    press_and_wait(page)
    assert "Right" in page.locator("h1").inner_text()
    assert "Because the two FAIL lines" in page.locator(".explanation").inner_text()
    assert fits(page)
    tab_to(page, "#next-question")
    press_and_wait(page)
    page.wait_for_url(runner)

    # The short answer: a labelled text field; a blank answer comes back with its message.
    assert page.locator("label[for=id_value]").inner_text() == "Your answer"
    tab_to(page, "#id_value")
    press_and_wait(page)
    assert "Type an answer." in page.locator("#value-error").inner_text()
    assert page.locator("#id_value").get_attribute("aria-invalid") == "true"
    screenshot(page, "typed-item-error-no-js-en-360")
    tab_to(page, "#id_value")
    page.keyboard.type(" « SecretWord » ")
    press_and_wait(page)
    assert "Right" in page.locator("h1").inner_text()
    assert fits(page)
    plain.close()

    # (fits reads the width at once: without JavaScript no animation frame ever comes.)
    # axe over both item pages of a second attempt (axe itself needs JavaScript to run).
    attempt.delete()
    checked = with_axe(chromium.new_context(viewport={"width": 360, "height": 740}))
    checked.add_cookies([session_cookie(user, base)])
    page = checked.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/tests/{battery.slug}/?lang=fr")
    page.locator(".start-form button[type=submit]").click()
    page.wait_for_url(f"{base}/tests/attempts/**")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.locator("fieldset#answer input[type=checkbox]").first.check()
    page.locator("button[type=submit].button").click()
    page.wait_for_load_state()
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.locator("#next-question").click()
    page.wait_for_load_state()
    assert page.locator("#id_value").count() == 1
    violations = axe_violations(page)
    assert not violations, describe(violations)
    checked.close()
