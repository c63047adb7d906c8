"""What the headless-Chromium tests share: Debian's Chromium and its flags, axe-core from
npm, and the window sizes screenshots are taken at (they go to the `artifacts` fixture's
folder, tests/integration/conftest.py)."""

from pathlib import Path

from django.conf import settings

from tests.conftest import require_service

CHROMIUM = Path("/usr/bin/chromium")
# Chromium runs as root in CI, where its sandbox cannot start; nothing runs in the background.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# Screenshots: NEWSROOM_TEST_ARTIFACTS (newsroom/test_settings.py), else test-artifacts/.
ARTIFACTS = Path(settings.TEST_ARTIFACTS or Path(settings.BASE_DIR) / "test-artifacts")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# The admin's change form is taller than a reader's page.
ADMIN = {"width": 1280, "height": 1000}
# How long an email the site sends may take to reach the test's SMTP sink.
MAIL_SECONDS = 15


def chromium_required(*, axe: bool = False) -> None:
    require_service("Chromium", CHROMIUM.exists(), "run bin/install-browser")
    if axe:
        require_service("axe-core", AXE.exists(), "run npm ci")


def chromium_launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page. Evaluated over the DevTools
    protocol, so the site's CSP stays on, as readers get it."""
    page.evaluate(AXE.read_text())
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def staff_sign_in(page, base_url: str, user) -> None:
    """Through the admin's sign-in, as staff do (the address must be confirmed), with the
    test factories' password."""
    password = "correct-horse-battery"
    page.goto(base_url + "/admin/")
    page.fill("[name=login]", user.email)
    page.fill("[name=password]", password)
    page.locator("form:has([name=password]) [type=submit]").click()
    page.wait_for_url(base_url + "/admin/")
