"""Hypothesis strategies shared by the property tests of the Arabic core: texts built from
pieces that exercise tokenisation (given per test), short arbitrary strings and Arabic-block
characters, and the settings those tests run with (MARSAD_HYPOTHESIS_EXAMPLES sets the count)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=int(os.environ.get("MARSAD_HYPOTHESIS_EXAMPLES", "300")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def texts_of(pieces: list[str], *, arbitrary: int) -> st.SearchStrategy[str]:
    """Up to 40 items joined: one of ``pieces``, an arbitrary string of up to ``arbitrary``
    characters, or one character of the Arabic block."""
    return st.lists(
        st.one_of(st.sampled_from(pieces), st.text(max_size=arbitrary),
                  st.characters(min_codepoint=0x0600, max_codepoint=0x06FF).map(str)),
        max_size=40,
    ).map("".join)
