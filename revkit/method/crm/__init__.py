"""Metrics, data-quality findings and contradictions measured from a client's CRM exports."""

from revkit.method.crm.contradictions import confidence_penalty, contradictions
from revkit.method.crm.measure import measure

__all__ = ["confidence_penalty", "contradictions", "measure"]
