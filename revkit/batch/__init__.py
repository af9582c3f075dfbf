"""Batches: find the clients, decide what must run, run it in parallel, summarise."""
