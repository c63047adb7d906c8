"""What the article page shows around the body: the register prompts and the appeal.

Each prompt is rendered by templates/paywall/prompt_<kind>.html, with the editors' copy. The
HTML holds nothing about the reader beyond the prompt itself (no CSRF token: dismissing the
appeal is exempt, see paywall/views.py), so each worker keeps what it rendered.
"""

import functools
import re
from dataclasses import dataclass

from django.template.loader import render_to_string

from paywall.policy import Decision


@dataclass(frozen=True)
class PromptView:
    kind: str  # "nudge", "wall" or "donate": the data-paywall value
    text: str
    reads: int = 0

    @property
    def template(self) -> str:
        return f"paywall/prompt_{self.kind}.html"


def prompts_build(*, decision: Decision, appeal: bool, rules) -> tuple[PromptView, ...]:
    prompts = []
    if decision.prompt:
        copy = rules.wall_text if decision.prompt == "wall" else rules.nudge_text
        text = str(copy).replace("{reads}", str(decision.reads))
        prompts.append(PromptView(kind=str(decision.prompt), text=text, reads=decision.reads))
    if appeal:
        prompts.append(PromptView(kind="donate", text=str(rules.donate_text)))
    return tuple(prompts)


# Stand-ins rendered in place of the page's path and article id, then replaced: letters and
# digits only, so that escaping and URL-encoding leave them as they are.
PATH_MARK, ARTICLE_MARK = "promptpathmark7f3a", "promptarticlemark7f3a"
# A path that escaping and URL-encoding leave unchanged (an article's slug path) may replace
# its mark; any other is rendered in full.
PLAIN_PATH = re.compile(r"[A-Za-z0-9/_-]*")


def prompt_html(prompt: PromptView, article_id: int, path: str) -> str:
    if not PLAIN_PATH.fullmatch(path):
        return _prompt_render(prompt, article_id, path)
    html = _prompt_render(prompt, ARTICLE_MARK, PATH_MARK)
    return html.replace(PATH_MARK, path).replace(ARTICLE_MARK, str(article_id))


@functools.lru_cache(maxsize=256)
def _prompt_render(prompt: PromptView, article_id: int | str, path: str) -> str:
    return render_to_string(
        prompt.template, {"prompt": prompt, "article_id": article_id, "path": path}
    )
