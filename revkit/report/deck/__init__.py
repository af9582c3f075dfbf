"""The deck: one client's report as an editable PowerPoint presentation (``<slug>.pptx``).

``build(model, results)`` returns the file's bytes; ``revkit.report.writers``
registers it as the ``pptx`` format. See ``docs/report.md`` (the deck).
"""

from revkit.report.deck.build import build

__all__ = ["build"]
