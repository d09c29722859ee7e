"""dashboard: confirmed signatures per campaign and day (pre-aggregated), indexes for their refresh

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 18:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('signature_days',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('confirmed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_signature_days_campaign_id_campaigns'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'day', name=op.f('pk_signature_days'))
    )
    op.create_table('signature_day_states',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('last_signature_id', sa.Integer(), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'],
                            name=op.f('fk_signature_day_states_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', name=op.f('pk_signature_day_states'))
    )
    op.create_index('ix_signatures_campaign_id_confirmed_at', 'signatures', ['campaign_id', 'confirmed_at'])
    op.create_index('ix_signatures_campaign_id_withdrawn_at', 'signatures', ['campaign_id', 'withdrawn_at'])


def downgrade():
    op.drop_index('ix_signatures_campaign_id_withdrawn_at', table_name='signatures')
    op.drop_index('ix_signatures_campaign_id_confirmed_at', table_name='signatures')
    op.drop_table('signature_day_states')
    op.drop_table('signature_days')
