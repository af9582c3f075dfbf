"""The kit's fixed vocabulary: the ids every stage shares, defined once.

Ids that are data (teams, metrics, handoffs, questions, functions, entities)
live in the catalogs under ``revkit/data/catalog`` and are read through
``revkit.catalog``; the ones here are part of the kit's structure — the
result's shape depends on them. Standard library only, so that a batch can
use them before anything heavy is imported.
"""

from __future__ import annotations

# The three scored dimensions, in report order; ``overall`` combines them.
DIMENSIONS = ("silos", "metric_coverage", "process_alignment")
OVERALL = "overall"
SCORE_KEYS = DIMENSIONS + (OVERALL,)

# The question bank's dimension ids (spec §3) and the score dimension each feeds.
SURVEY_DIMENSIONS = {"silos": "silos", "metrics": "metric_coverage",
                     "process": "process_alignment"}

# Recommendations, from least to most operations scope.
VERDICTS = ("salesops_only", "salesops_then_revops", "full_revops")

# Maturity levels 1..5 (their names are messages: ``level.1`` ..).
LEVELS = (1, 2, 3, 4, 5)

# Revenue models and go-to-market motions a profile may name (data_contracts/profile.yaml
# lists the same values for the intake; a test keeps them equal).
REVENUE_MODELS = ("recurring", "transactional", "hybrid")
GTM_MOTIONS = ("sales_led", "product_led", "hybrid", "channel")

# How a client comes: a folder holding this profile file, or a workbook.
PROFILE_FILE = "profile.yaml"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# Files a spreadsheet program leaves beside an open workbook, never clients.
LOCK_FILE_PREFIXES = ("~$", ".")

# The result every run writes beside the reports.
RESULTS_FILE = "results.json"

# Survey answers of teams too small to publish are pooled under this group id.
POOLED = "pooled"
# Team label of quoted comments from groups too small to publish.
UNATTRIBUTED = "unattributed"


def is_workbook(name: str) -> bool:
    """Whether a file name is a client workbook (not a lock file a spreadsheet left)."""
    lower = name.lower()
    return lower.endswith(WORKBOOK_SUFFIXES) and not name.startswith(LOCK_FILE_PREFIXES)
