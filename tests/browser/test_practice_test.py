"""A job-seeker takes a short practice test on a phone with the keyboard only, reloading midway."""

import pytest

from assessments.models import Attempt, Response
from tests import factories
from tests.assessments.test_attempts import tiny_battery
from tests.browser.conftest import PASSWORD, choose_language, fits, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def focused(page, selector):
    return page.evaluate(f"document.activeElement.matches({selector!r})")


def tab_to(page, selector, limit=60):
    """Presses Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def answer_with_keyboard(page, attempt, position, *, right):
    """Tab into the options, move to the wanted one with the arrow keys, Space, Tab, Enter."""
    attempt_item = attempt.attempt_items.select_related("item").get(position=position)
    options = {option.pk: option for option in attempt_item.item.options.all()}
    shown = attempt_item.option_order
    wanted = next(index for index, pk in enumerate(shown) if options[pk].is_correct is right)
    tab_to(page, "input[name=choice]")
    for _ in range(wanted):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.locator(f"#option-{shown[wanted]}").is_checked()
    tab_to(page, "button[type=submit].button", limit=3)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return attempt_item.item


def test_a_job_seeker_takes_a_short_practice_test_on_a_phone(live_server, phone, item_bank):
    base = live_server.url
    user = factories.CandidateFactory(email="karim@example.org", preferred_language="en")
    tiny_battery("short", sections=(("verbal", 3, 10),), pass_percent=60)

    phone.goto(base + "/accounts/login/?next=/tests/")
    choose_language(phone, "en")
    phone.wait_for_load_state()
    phone.locator("#id_username").fill("karim@example.org")
    phone.locator("#id_password").fill(PASSWORD)
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    phone.wait_for_url(base + "/tests/")
    assert fits(phone)
    screenshot(phone, "tests-list-en-360")

    phone.goto(base + "/tests/short/")
    assert "Answers are final once saved" in phone.content()
    assert phone.locator("#id_mode_0").is_checked()  # practice
    assert phone.locator("#id_language").input_value() == "en"
    tab_to(phone, ".start-form button[type=submit]")
    phone.keyboard.press("Enter")
    phone.wait_for_url(f"{base}/tests/attempts/**")
    attempt = Attempt.objects.get(user=user)
    runner = f"{base}/tests/attempts/{attempt.pk}/"
    assert "Question 1 of 3" in phone.locator("h1").inner_text()
    assert phone.locator("#timer").inner_text().endswith("left")
    assert fits(phone)
    screenshot(phone, "practice-item-en-360")

    item = answer_with_keyboard(phone, attempt, 1, right=True)
    assert "Right" in phone.locator("h1").inner_text()
    assert item.explanation_en in phone.locator(".explanation").inner_text()
    assert fits(phone)
    screenshot(phone, "practice-feedback-en-360")
    tab_to(phone, "#next-question")
    phone.keyboard.press("Enter")
    phone.wait_for_url(runner)

    # The connection drops: a reload lands on the same unanswered question, nothing lost.
    assert "Question 2 of 3" in phone.locator("h1").inner_text()
    phone.reload()
    assert "Question 2 of 3" in phone.locator("h1").inner_text()
    assert Response.objects.filter(attempt_item__attempt=attempt).count() == 1

    item = answer_with_keyboard(phone, attempt, 2, right=False)
    assert "Not right" in phone.locator("h1").inner_text()
    assert item.explanation_en in phone.locator(".explanation").inner_text()
    phone.reload()
    assert "Not right" in phone.locator("h1").inner_text()
    tab_to(phone, "#next-question")
    phone.keyboard.press("Enter")
    phone.wait_for_url(runner)

    item = answer_with_keyboard(phone, attempt, 3, right=True)
    assert item.explanation_en in phone.locator(".explanation").inner_text()
    tab_to(phone, "main button[type=submit]")
    phone.keyboard.press("Enter")
    phone.wait_for_url(f"{runner}result/")
    content = phone.content()
    assert "Score: 67 %" in content
    assert "at least 60 % overall" in content
    assert "Passed by the rule of the real test" in content
    assert phone.locator("svg.history-chart title").count() == 1
    assert fits(phone)
    screenshot(phone, "practice-result-en-360")
    assert [r.score for r in Response.objects.order_by("attempt_item__position")] == [1, 0, 1]
