"""The portfolio view: every client's results side by side (``index.html``, ``portfolio.csv``)."""
