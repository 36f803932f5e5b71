"""Every action of the gateway; importing this package registers them all."""
from . import accounts, meta  # noqa: F401
from . import activities, agent, computers  # noqa: F401
from . import acls, admin, collections, package_states, packagers, packages, reports  # noqa: F401
