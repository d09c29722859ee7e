"""campaigns: channels, a template per target (by hand or by recipient tag), organisation logo and footer

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 18:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

CHANNELS = sa.Enum('email', 'post', 'both', name='campaignchannels', native_enum=False, create_constraint=True,
                   length=32)


def upgrade():
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channels', CHANNELS, nullable=False, server_default='post'))

    with op.batch_alter_table('letter_templates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient_tag', sa.String(length=80), nullable=False, server_default=''))

    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_targets_template_id'), ['template_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_targets_template_id_letter_templates'), 'letter_templates',
                                    ['template_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('footer_lines', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('logo', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('logo_type', sa.String(length=40), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('logo_type')
        batch_op.drop_column('logo')
        batch_op.drop_column('footer_lines')

    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_targets_template_id_letter_templates'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_targets_template_id'))
        batch_op.drop_column('template_id')

    with op.batch_alter_table('letter_templates', schema=None) as batch_op:
        batch_op.drop_column('recipient_tag')

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_campaigns_campaignchannels'), type_='check')
        batch_op.drop_column('channels')
