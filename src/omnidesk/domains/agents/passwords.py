"""The staff password policy: long enough, not a common password, not the person's own name.

The common-password list is the 30,000 most frequent passwords that ship inside the `zxcvbn`
package (no download at run time); a password matches when it, lower-cased and with trailing
digits and symbols stripped, is on the list (so "Password123!" is refused as "password").
"""

from __future__ import annotations

import functools
import re

from omnidesk.core.errors import InvalidInput

TAIL = re.compile(r"[\d\W_]+$")


@functools.cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    """Tell whether a password is, or is a common one with digits/symbols appended."""
    lowered = password.lower()
    stem = TAIL.sub("", lowered)
    return lowered in _common() or (len(stem) >= 4 and stem in _common())


def check_password(password: str, *, min_length: int, email: str = "", name: str = "") -> None:
    """Raise InvalidInput (field `password`) with the reason a password is refused."""
    if len(password) < min_length:
        raise InvalidInput(f"the password needs at least {min_length} characters",
                           field="password")
    if len(set(password)) < 4:
        raise InvalidInput("the password repeats too few characters", field="password")
    if is_common(password):
        raise InvalidInput("this password is on the list of common passwords; choose another",
                           field="password")
    lowered = password.lower()
    own = [email.split("@")[0].lower(), *(p.lower() for p in name.split())]
    if any(len(part) >= 4 and part in lowered for part in own):
        raise InvalidInput("the password must not contain your name or email",
                           field="password")
