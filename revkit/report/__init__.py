"""Report: turn ``results.json`` into what a reader sees — the notebook, HTML and PDF."""
