"""The domain and store layer: what the gateway knows and how it is kept.

Named query functions (one module per area; the actions call them and hold no SQL), the
query vocabularies that name columns (:mod:`app.store.vocabularies`,
:mod:`app.store.vocabularies_catalogue`), and the definitions of statuses, roles and ACL
names. The tables themselves are :mod:`app.models`.

May import: :mod:`app.models`, the other domain modules of ``app/`` (``activity_*``,
``inventory``, ``directory``, ``idset``, ``catalogue``), :mod:`app.errors` (the error
classes every layer raises) and :mod:`query_language`; never :mod:`actions` nor the front
ends (``app.gateway``, ``app.auth``, ``app.encoding``, ``app.cli``).
"""
