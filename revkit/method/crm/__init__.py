"""Metrics and data-quality findings measured from a client's CRM exports."""

from revkit.method.crm.measure import measure

__all__ = ["measure"]
