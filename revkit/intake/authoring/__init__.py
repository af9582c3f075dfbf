"""Authoring helpers: blank intakes (``revkit init``), folder → workbook, the contract docs.

Nothing here reads or scores a client for a report, so changing it re-runs no client.
"""
