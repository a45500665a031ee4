"""Storage layer: SQLite (default, WAL + FTS5) or PostgreSQL via SQLAlchemy Core.

>>> with Store.open(tmp_path / "marsad.db") as store:   # doctest: +SKIP
...     store.save([analysis])
...     store.search("الحسكه")
"""

from .queries import SaveResult, StoreError
from .search import SearchHit
from .store import Store

__all__ = ["SaveResult", "SearchHit", "Store", "StoreError"]
