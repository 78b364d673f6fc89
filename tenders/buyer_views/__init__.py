"""The buyer's pages: prepare a tender step by step, approve it, run it after publication.

Thin: parse with a form, call one service, render or redirect. Each view
checks the named permission first (403 otherwise); the service checks it
again. A DomainError becomes a form error on the field it names, never a 500.

    access       which tender a page shows, for whom
    wizard       the list, a new draft, and the draft's steps
    detail       the detail page, the workflow's actions, answers, amendments
    invitations  a restricted draft's invited suppliers
    outages      platform outages (administrators)
"""
