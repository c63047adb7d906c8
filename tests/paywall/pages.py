"""Reading article pages as a reader does, and what the paywall put on them."""

import re
from dataclasses import dataclass

PROMPT = re.compile(r'data-paywall="(nudge|wall|donate)"(?: data-reads="(\d+)")?')
# The sentences of tests.factories.BODY: its two-paragraph lead, then the gated rest.
LEAD = [f"only this paragraph has: marker-{n}." for n in (1, 2)]
GATED = [f"only this paragraph has: marker-{n}." for n in range(3, 9)]


@dataclass
class Page:
    status: int
    html: str
    prompts: dict

    @property
    def full(self) -> bool:
        return all(marker in self.html for marker in GATED)

    @property
    def lead_only(self) -> bool:
        return all(m in self.html for m in LEAD) and not any(m in self.html for m in GATED)


def read(client, article, **extra) -> Page:
    response = client.get(article.get_absolute_url(), **extra)
    html = response.content.decode()
    prompts = {kind: int(reads) if reads else None for kind, reads in PROMPT.findall(html)}
    return Page(response.status_code, html, prompts)
