"""Hypothesis settings for the property tests, and how many examples each kind tries.

Two profiles, loaded by ``tests/conftest.py``:

- ``revkit-test`` (``make test``): seeded and deterministic (``derandomize``: the same
  examples on every machine and every run), no example database, a modest number of
  examples, so the property tests together stay well under a minute;
- ``revkit-long`` (``make test-long``, ``pytest --long``): the same properties with
  many more examples (thousands of corruptions), still deterministic, so a failure
  found there is found again by rerunning it.

A third, ``revkit-explore`` (``pytest --hypothesis-profile=revkit-explore``), is for
hunting new failures by hand: random (a new seed each run), the long budgets, no
shrinking (a failure is printed as found).

A test asks ``examples(kind)`` for its budget under the profile in force.
"""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings

TEST, LONG, EXPLORE = "revkit-test", "revkit-long", "revkit-explore"

# examples per test, by kind of property and profile
EXAMPLES = {
    # make test: 122 random valid clients, 750 corruptions (intake 200, CRM 100,
    # methodology 150, brand and logo 300), about 45 s on two cores
    TEST: {"clients": 30, "monotonic": 15, "rendered": 2, "run": 1, "corruptions": 200,
           "crm": 100, "methodology": 150, "brand": 300},
    # make test-long: 1,623 random valid clients (3 through `revkit run` to HTML, PDF
    # and PPTX), 10,000 corruptions
    LONG: {"clients": 400, "monotonic": 200, "rendered": 20, "run": 3, "corruptions": 4000,
           "crm": 2000, "methodology": 2000, "brand": 2000},
}

_COMMON = {
    "derandomize": True,
    "database": None,
    "deadline": None,            # the machine is shared: time per example varies
    "print_blob": True,
    # generated clients are large by design; writing them as files is slow by design
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                              HealthCheck.filter_too_much],
}

settings.register_profile(TEST, max_examples=EXAMPLES[TEST]["clients"], **_COMMON)
settings.register_profile(LONG, max_examples=EXAMPLES[LONG]["clients"], **_COMMON)
settings.register_profile(EXPLORE, max_examples=EXAMPLES[LONG]["clients"],
                          **{**_COMMON, "derandomize": False},
                          phases=[Phase.explicit, Phase.generate])
EXAMPLES[EXPLORE] = EXAMPLES[LONG]


def load(long: bool, chosen: str | None = None) -> None:
    """The profile for this run: one chosen with ``--hypothesis-profile``, else by ``--long``."""
    settings.load_profile(chosen or (LONG if long else TEST))


def examples(kind: str) -> settings:
    """The settings of a property of ``kind`` under the profile in force."""
    profile = settings.get_current_profile_name()
    return settings(max_examples=EXAMPLES.get(profile, EXAMPLES[TEST])[kind])
