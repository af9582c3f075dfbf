"""The report's sections, in order: each a function of the results and the messages.

Every figure is taken from ``results.json`` and formatted through the
language's ``Messages``; every sentence comes from the message catalogs
(``section.<id>.*`` and the shared words of ``revkit.report.words``). Charts
are returned as data (``blocks.Chart``) that ``revkit.report.charts`` draws.
A builder returns ``None`` where the client gave no data for its section.
"""

from __future__ import annotations

from revkit.report.sections import appendix, crm, decision, progress, structure, summary
from revkit.report.sections.base import ordered_actions
from revkit.report.sections.structure import survey_note

ORDER = (
    ("brief", summary.brief),
    ("findings", summary.key_findings),
    ("scores", structure.scores),
    ("silos", structure.silos),
    ("survey", structure.survey),
    ("metrics", structure.metrics),
    ("process", structure.process),
    ("recommendation", decision.recommendation),
    ("functions", decision.functions),
    ("roadmap", decision.roadmap),
    ("progress", progress.progress),
    ("crm", crm.crm),
    ("components", appendix.components),
    ("function_table", appendix.function_table),
    ("definitions", appendix.definitions),
    ("crm_detail", crm.crm_detail),
    ("completeness", appendix.completeness),
    ("about", appendix.about),
    ("glossary", appendix.glossary),
)

__all__ = ["ORDER", "ordered_actions", "survey_note"]
