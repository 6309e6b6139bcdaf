"""The practice layer (P1-P3 of the science documents) as a library.

Instruments (validated questionnaires and clinician scores), the client diary, personal trigger
analysis, plans, personalised projection and client reports. No web code lives here: the web app
and the CLI only call this API. Wellness framing, not diagnosis.
"""
