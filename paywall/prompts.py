"""What the article page shows around the body: the register prompts and the appeal.

Each prompt is rendered by templates/paywall/prompt_<kind>.html, with the editors' copy.
"""

from dataclasses import dataclass

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
