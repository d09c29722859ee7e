"""failing e-mail addresses of recipients

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 17:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('recipients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_failed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('email_failure', sa.String(length=500), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('recipients', schema=None) as batch_op:
        batch_op.drop_column('email_failure')
        batch_op.drop_column('email_failed_at')
