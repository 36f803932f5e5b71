"""Every action of the gateway; importing this package registers them all."""
from . import accounts, meta  # noqa: F401
from . import activities, agent, computers  # noqa: F401
from . import collections  # noqa: F401
from . import packages  # noqa: F401
from . import package_states  # noqa: F401
from . import acls  # noqa: F401
from . import admin  # noqa: F401
from . import packagers  # noqa: F401
from . import reports  # noqa: F401
