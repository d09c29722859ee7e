"""supporter letters: the language of the pages a letter was written on, for the mails to its writer

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 07:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('supporter_letters') as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=8), server_default='de', nullable=False))


def downgrade():
    with op.batch_alter_table('supporter_letters') as batch_op:
        batch_op.drop_column('locale')
