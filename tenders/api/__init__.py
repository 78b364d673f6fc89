"""The tenders REST API: the public notices, and the buyer's and supplier's actions.

Thin, in the HackSoft style: each endpoint parses with its nested
InputSerializer, calls one service (which checks the actor's permission
again), and answers with an OutputSerializer. DomainErrors become
problem+json through core.api. Values are cleaned by the services
(tenders/validation.py), so the input serializers only give them shape.

    public      the notice and its parts (tenders/api_urls.py maps the addresses)
    buyer       drafts, lots and items, the workflow, answers, invitations, outages
    supplier    following, and the caller's own lists
"""
