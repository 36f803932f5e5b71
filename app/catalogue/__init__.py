"""The package catalogue's rules (CATALOGUE.md): permissions, lookups, state changes, JSON.

The actions in ``actions/{collections,packages,packagers,acls,admin,reports}.py`` are thin:
they parse arguments and call these modules.
"""
