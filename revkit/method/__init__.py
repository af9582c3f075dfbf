"""Method: score a validated client with a methodology and assess it into ``results.json``.

``methodology`` (the versioned file) → ``survey``, ``silos``, ``coverage``,
``alignment`` → ``scoring`` (dimensions, levels) → ``functions``, ``recommend``,
``flip``, ``roadmap`` → ``assess`` (the result dict); ``crm/`` measures metrics
and data quality from the CRM exports.
"""
