"""Intake: read a client's folder or workbook, check it against the data contracts, build the ``Client``.

``readers`` (raw cells) → ``contracts`` (types and rules) → ``validate`` (one pass,
every problem) → ``model.Client``; ``crm/`` reads the optional CRM exports.
``authoring/`` writes blank intakes and converts between forms; it never reads a
client for a report.
"""
