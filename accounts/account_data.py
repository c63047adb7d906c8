"""What each app keeps of a reader, for the reader's data export and the account's deletion.

Every app that stores something about a reader registers an `AccountPart` in its
`AppConfig.ready()`: `export(user)` gives its JSON-ready data under the part's name, and
`delete(user)` removes or anonymises it inside the deletion's transaction, before the user
row goes. Accounts itself knows none of the parts.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class AccountPart:
    name: str
    export: Callable[[object], object]
    delete: Callable[[object], None]


_parts: dict[str, AccountPart] = {}


def account_part_register(part: AccountPart) -> None:
    _parts[part.name] = part


def account_parts() -> tuple[AccountPart, ...]:
    return tuple(_parts.values())
