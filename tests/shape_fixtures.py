"""Organisation shapes a consultant would judge at sight, written as real intake folders.

Each shape is a profile (teams, revenue, motion), a tech stack and an answer
level; ``write_shape(name, folder)`` writes ``profile.yaml`` and the four CSVs,
so the kit reads them exactly as a client's files. Deterministic: the same
shape always gives the same bytes.
"""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from revkit import catalog

# answer level 1..5 for every question; metric/handoff quality: "none" | "some" | "full"
SHAPES = {
    "startup": {
        "profile": {"name": "Tiny Seed Ltd", "employees": 18, "annual_revenue": 1_200_000,
                    "currency": "EUR", "revenue_model": "recurring", "gtm_motion": "sales_led"},
        "teams": {"sales": (4, 0), "marketing": (2, 0)},
        "systems": [("HubSpot", "crm", "sales", ["sales", "marketing"], [], ["account", "contact",
                                                                             "lead", "opportunity"]),
                    ("Stripe", "billing", "sales", ["sales"], ["HubSpot"], ["revenue", "customer"]),
                    ("Google Sheets", "spreadsheet", "sales", ["sales", "marketing"], [], [])],
        "answers": 3, "metrics": "some", "handoffs": "some",
    },
    "product_led": {
        "profile": {"name": "Loopwise Software", "employees": 140, "annual_revenue": 15_000_000,
                    "currency": "USD", "revenue_model": "recurring", "gtm_motion": "product_led"},
        "teams": {"marketing": (12, 1), "sales": (10, 1), "customer_success": (10, 0),
                  "support": (6, 0)},
        "systems": [("Salesforce", "crm", "sales", ["sales", "customer_success"], ["Segment"],
                     ["account", "opportunity"]),
                    ("Segment", "data_warehouse", "marketing", ["marketing"], ["Salesforce"],
                     ["product_usage"]),
                    ("Amplitude", "bi", "marketing", ["marketing", "customer_success"],
                     ["Segment"], []),
                    ("Marketo", "marketing_automation", "marketing", ["marketing"], ["Salesforce"],
                     ["lead", "contact"]),
                    ("Zendesk", "support_desk", "support", ["support"], [], ["support_ticket"]),
                    ("Stripe", "billing", "customer_success", ["customer_success"], [],
                     ["revenue", "customer"]),
                    ("Gainsight", "customer_success", "customer_success", ["customer_success"],
                     ["Salesforce"], []),
                    ("Intercom", "other", "marketing", ["marketing", "support"], [], []),
                    ("Looker", "bi", "sales", ["sales"], ["Salesforce"], []),
                    ("Notion", "other", "sales", ["sales", "marketing"], [], [])],
        "answers": 3, "metrics": "some", "handoffs": "some",
    },
    "channel_led": {
        "profile": {"name": "Partnerwerk AG", "employees": 90, "annual_revenue": 20_000_000,
                    "currency": "EUR", "revenue_model": "hybrid", "gtm_motion": "channel"},
        "teams": {"sales": (12, 1), "partnerships": (10, 0), "marketing": (3, 0),
                  "finance": (4, 0)},
        "systems": [("Dynamics 365", "crm", "sales", ["sales", "partnerships", "marketing"], [],
                     ["account", "opportunity", "contact"]),
                    ("PartnerPortal", "other", "partnerships", ["partnerships"], [], []),
                    ("SAP", "billing", "finance", ["finance"], ["Dynamics 365"],
                     ["revenue", "customer"]),
                    ("Mailchimp", "marketing_automation", "marketing", ["marketing"], [],
                     ["lead"]),
                    ("Power BI", "bi", "finance", ["finance", "sales"], ["SAP"], []),
                    ("Excel", "spreadsheet", "partnerships", ["partnerships", "sales"], [], [])],
        "answers": 3, "metrics": "some", "handoffs": "some",
    },
    "enterprise_partners": {
        "profile": {"name": "Globex Industrial Software", "employees": 2500,
                    "annual_revenue": 600_000_000, "currency": "EUR",
                    "revenue_model": "recurring", "gtm_motion": "hybrid"},
        "teams": {"sales": (320, 8), "marketing": (90, 4), "customer_success": (140, 3),
                  "partnerships": (40, 1), "support": (120, 2), "finance": (40, 2)},
        "systems": [(f"System {i:02d}", cat, owner, users, [], sot) for i, (cat, owner, users, sot) in
                    enumerate([("crm", "sales", ["sales", "marketing", "customer_success",
                                                 "partnerships"], ["account", "opportunity"]),
                               ("marketing_automation", "marketing", ["marketing"], ["lead"]),
                               ("customer_success", "customer_success", ["customer_success"], []),
                               ("support_desk", "support", ["support"], ["support_ticket"]),
                               ("billing", "finance", ["finance"], ["revenue"]),
                               ("cpq", "sales", ["sales"], []),
                               ("data_warehouse", "finance", ["finance", "marketing"], [])]
                              + [("other", "sales", ["sales"], [])] * 15)],
        "answers": 2, "metrics": "some", "handoffs": "some",
    },
    "aligned_complex": {
        "profile": {"name": "Harmonia Cloud", "employees": 380, "annual_revenue": 55_000_000,
                    "currency": "EUR", "revenue_model": "recurring", "gtm_motion": "sales_led",
                    "marketing_sourced_pipeline_share": 0.45},
        "teams": {"marketing": (18, 2), "sales": (50, 3), "customer_success": (20, 2),
                  "support": (12, 1), "finance": (8, 1)},
        "systems": [("Salesforce", "crm", "sales", ["sales", "marketing", "customer_success",
                                                    "support", "finance"], ["Marketo", "Zuora",
                                                                            "Snowflake"],
                     ["account", "contact", "opportunity", "customer"]),
                    ("Marketo", "marketing_automation", "marketing", ["marketing", "sales"],
                     ["Salesforce"], ["lead"]),
                    ("Zuora", "billing", "finance", ["finance", "sales", "customer_success"],
                     ["Salesforce", "Snowflake"], ["revenue"]),
                    ("Snowflake", "data_warehouse", "finance", ["finance", "marketing", "sales",
                                                               "customer_success"],
                     ["Salesforce", "Zuora"], ["product_usage"]),
                    ("Zendesk", "support_desk", "support", ["support", "customer_success"],
                     ["Salesforce"], ["support_ticket"])],
        "answers": 5, "metrics": "full", "handoffs": "full",
    },
}


def _metric_row(metric: dict, quality: str, teams: set[str], systems: list[str]) -> list:
    owner = next((t for t in metric["owner_teams"] if t in teams), sorted(teams)[0])
    if quality == "none" or (quality == "some" and metric["scope"] == "revops"):
        return [metric["id"], "false", "", "false", "false", "false", "none", ""]
    full = quality == "full"
    return [metric["id"], "true", owner, "true", "true" if full else "false",
            "true" if full else "false", "weekly" if full else "monthly", systems[0]]


def _handoff_row(handoff: dict, quality: str) -> list:
    if quality == "none":
        return [handoff["id"], "false", "false", "", "false", "false", "false"]
    if quality == "some":
        return [handoff["id"], "true", "false", "", "false", "false", "false"]
    return [handoff["id"], "true", "true", "24", "true", "true", "true"]


def write_shape(name: str, folder: Path) -> Path:
    """Write the shape ``name`` as a client folder ``folder`` (created); returns it."""
    spec = SHAPES[name]
    folder.mkdir(parents=True, exist_ok=True)
    teams = spec["teams"]
    profile = {**spec["profile"], "slug": name.replace("_", "-"), "industry": "fixture",
               "assessment_date": "2026-05-04",
               "teams": [{"team": t, "headcount": h, "ops_headcount": o}
                         for t, (h, o) in teams.items()]}
    (folder / "profile.yaml").write_text(yaml.safe_dump(profile, sort_keys=False),
                                         encoding="utf-8")

    def write(file: str, header: list, rows: list) -> None:
        with open(folder / file, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(header)
            out.writerows(rows)

    survey = []
    for team in teams:
        for k in range(3):  # three respondents per team: every team is shown
            for q in catalog.questions():
                survey.append([f"{team}-{k}", team, q["id"], spec["answers"], ""])
    write("survey.csv", ["respondent_id", "team", "question_id", "score", "comment"], survey)
    systems = [[s, c, o, ";".join(u), ";".join(i), ";".join(t)]
               for s, c, o, u, i, t in spec["systems"]]
    write("systems.csv", ["system", "category", "owner_team", "used_by", "integrated_with",
                          "source_of_truth_for"], systems)
    names = [s[0] for s in spec["systems"]]
    write("metrics.csv", ["metric_id", "tracked", "owner_team", "definition_documented",
                          "shared_definition", "automated", "cadence", "source_system"],
          [_metric_row(m, spec["metrics"], set(teams), names) for m in catalog.metrics()])
    motion = spec["profile"]["gtm_motion"]
    write("handoffs.csv", ["handoff_id", "defined", "documented", "sla_hours", "sla_measured",
                           "automated", "feedback_loop"],
          [_handoff_row(h, spec["handoffs"]) for h in catalog.applicable_handoffs(teams, motion)])
    return folder
