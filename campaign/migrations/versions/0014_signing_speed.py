"""signing speed: outbox mail queued as a draft whose MIME bytes are built at the first claim

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 21:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages') as batch_op:
        batch_op.add_column(sa.Column('draft', sa.JSON(), nullable=True))
        batch_op.alter_column('raw', existing_type=sa.LargeBinary(), nullable=True)


def downgrade():
    # A draft not yet claimed has no MIME bytes: give it up rather than keep a row that cannot be sent.
    op.execute("UPDATE outbox_messages SET raw = '', status = 'dead' WHERE raw IS NULL")
    with op.batch_alter_table('outbox_messages') as batch_op:
        batch_op.alter_column('raw', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column('draft')
