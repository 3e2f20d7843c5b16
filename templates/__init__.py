"""The report templates shipped with aseanctl (installed as the package data ``aseanctl.templates``).

A plan repository's own ``templates/`` folder overrides these by name; see docs/reports.md.
"""
