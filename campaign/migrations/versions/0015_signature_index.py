"""signatures: drop the index on campaign_id alone (three indexes starting with campaign_id serve its queries)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 07:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_signatures_campaign_id', table_name='signatures')


def downgrade():
    op.create_index('ix_signatures_campaign_id', 'signatures', ['campaign_id'])
