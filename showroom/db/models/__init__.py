"""All tables. Importing this package registers every model on `Base.metadata`.

One module per area (inventory, customers, leads, conversations, parts, ...). Each module
in this package is imported here, so a new area only adds its module and its Alembic
revision. Import models from their own modules: `from showroom.db.models.inventory import
Vehicle`.
"""

import importlib
import pkgutil

from showroom.db.base import Base

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["Base"]
