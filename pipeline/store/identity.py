"""The identity of a database: a random id made once, stored in the database itself.

The private files of a database (the pseudonym key and the names review) live in a folder
named after this id (`pipeline.privacy.keys`), so two databases never share names, and a
database that is moved or copied keeps its key.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import DateTime, Integer, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from pipeline.store.database import Base, Store


class IdentityRow(Base):
    __tablename__ = "store_identity"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    database_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


def database_id(store: Store) -> str:
    """The id of this database (32 hex digits), made on first use."""
    IdentityRow.__table__.create(store.engine, checkfirst=True)
    with store.session() as session:
        row = session.get(IdentityRow, 1)
        if row is not None:
            return row.database_id
    try:
        with store.session() as session:
            session.add(IdentityRow(id=1, database_id=uuid.uuid4().hex,
                                    created_at=dt.datetime.now(dt.timezone.utc)))
    except IntegrityError:  # another process made it first
        pass
    with store.session() as session:
        return session.scalars(select(IdentityRow.database_id)).one()
