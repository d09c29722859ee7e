"""letters on paper: the day they were posted or handed over becomes their sending time, as the app now stores it

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 17:10:00

"""
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

# As campaign.services.sending.offline.paper_sent_at, written out: a migration keeps doing what it did when it was
# written, whatever that module becomes. Noon German time of the day, as naive UTC, never later than now.
GERMAN_TIMEZONE = ZoneInfo("Europe/Berlin")
NOON = time(12, 0)

letters = sa.table(
    'letters',
    sa.column('sent_at', sa.DateTime()),
    sa.column('delivered_on', sa.Date()),
    sa.column('delivery', sa.String()),
)
# Only what mark_delivered wrote before: a sent letter with its day and no sending time.
WITHOUT_TIME = sa.and_(
    letters.c.sent_at.is_(None), letters.c.delivered_on.is_not(None), letters.c.delivery.in_(('post', 'in_person'))
)


def upgrade():
    connection = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    days = connection.scalars(sa.select(letters.c.delivered_on).where(WITHOUT_TIME).distinct()).all()
    # One UPDATE per day (a campaign posts on few days), in the database's own date and time types.
    for day in days:
        noon = datetime.combine(day, NOON, GERMAN_TIMEZONE).astimezone(UTC).replace(tzinfo=None)
        connection.execute(
            letters.update().where(WITHOUT_TIME, letters.c.delivered_on == day).values(sent_at=min(noon, now))
        )


def downgrade():
    # Nothing to undo: the older code reads such a sending time correctly too, and clearing it could not tell the
    # times filled in here from those the app stored itself since.
    pass
