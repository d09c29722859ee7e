"""sending: per-campaign sending settings, who generated/approved a letter, how it left, held outbox mail

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 18:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('campaign_sending',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('require_second_approver', sa.Boolean(), nullable=False),
    sa.Column('attach_pdf', sa.Boolean(), nullable=False),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('send_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_sending_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', name=op.f('pk_campaign_sending'))
    )
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prepared_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('delivery', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('delivered_on', sa.Date(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_letters_prepared_by_id_users'), 'users', ['prepared_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_letters_approved_by_id_users'), 'users', ['approved_by_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.alter_column('delivery', server_default=None)
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_outbox_messages_held'), ['held'], unique=False)
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('held', server_default=None)


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_held'))
        batch_op.drop_column('held')
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_letters_approved_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_letters_prepared_by_id_users'), type_='foreignkey')
        batch_op.drop_column('delivered_on')
        batch_op.drop_column('delivery')
        batch_op.drop_column('approved_by_id')
        batch_op.drop_column('prepared_by_id')
    op.drop_table('campaign_sending')
