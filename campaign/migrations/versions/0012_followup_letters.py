"""follow-up letters: a letter may follow up another one, a campaign's follow-up template, replies to a follow-up

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-01 21:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow_up_of_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_letters_follow_up_of_id'), ['follow_up_of_id'])
        batch_op.create_foreign_key(batch_op.f('fk_letters_follow_up_of_id_letters'), 'letters',
                                    ['follow_up_of_id'], ['id'], ondelete='CASCADE')
    with op.batch_alter_table('letter_templates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_follow_up', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow_up_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_replies_follow_up_id_letters'), 'letters',
                                    ['follow_up_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_replies_follow_up_id_letters'), type_='foreignkey')
        batch_op.drop_column('follow_up_id')
    with op.batch_alter_table('letter_templates', schema=None) as batch_op:
        batch_op.drop_column('is_follow_up')
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_letters_follow_up_of_id_letters'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_letters_follow_up_of_id'), type_='unique')
        batch_op.drop_column('follow_up_of_id')
