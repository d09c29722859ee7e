"""signing: listing choice, organisation and function, confirmation mails, removed status, counter shards,
consent texts, handover lists

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 18:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

OLD_STATUS = sa.Enum('pending', 'confirmed', 'withdrawn', 'erased', name='signaturestatus', native_enum=False,
                     create_constraint=True, length=32)
NEW_STATUS = sa.Enum('pending', 'confirmed', 'withdrawn', 'removed', 'erased', name='signaturestatus',
                     native_enum=False, create_constraint=True, length=32)
LISTING = sa.Enum('full_name', 'initial', 'hidden', name='listing', native_enum=False, create_constraint=True,
                  length=32)


def upgrade():
    op.create_table('signature_counts',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('shard', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('confirmed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_signature_counts_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'shard', name=op.f('pk_signature_counts'))
    )
    op.create_table('consent_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_consent_texts_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_texts')),
    sa.UniqueConstraint('version', name=op.f('uq_consent_texts_version'))
    )
    op.create_table('handover_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('signatures', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_handover_lists_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_handover_lists_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handover_lists'))
    )
    with op.batch_alter_table('handover_lists', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handover_lists_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handover_lists_fingerprint'), ['fingerprint'], unique=False)

    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('listing', LISTING, nullable=False, server_default='hidden'))
        batch_op.add_column(sa.Column('organisation', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('function', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('confirmation_sent_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('confirmation_mails', sa.Integer(), nullable=False, server_default='0'))
        batch_op.alter_column('status', existing_type=OLD_STATUS, type_=NEW_STATUS, existing_nullable=False)
        batch_op.create_index(batch_op.f('ix_signatures_created_at'), ['created_at'], unique=False)
    op.execute("UPDATE signatures SET listing = 'full_name' WHERE show_name_publicly")
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_column('show_name_publicly')
    # Counts of the signatures confirmed before this revision.
    op.execute("INSERT INTO signature_counts (campaign_id, shard, confirmed) "
               "SELECT campaign_id, 0, COUNT(*) FROM signatures WHERE status = 'confirmed' GROUP BY campaign_id")


def downgrade():
    op.execute("UPDATE signatures SET status = 'withdrawn' WHERE status = 'removed'")
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('show_name_publicly', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE signatures SET show_name_publicly = (listing <> 'hidden')")
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signatures_created_at'))
        batch_op.alter_column('status', existing_type=NEW_STATUS, type_=OLD_STATUS, existing_nullable=False)
        batch_op.drop_column('confirmation_mails')
        batch_op.drop_column('confirmation_sent_at')
        batch_op.drop_column('function')
        batch_op.drop_column('organisation')
        batch_op.drop_constraint(batch_op.f('ck_signatures_listing'), type_='check')
        batch_op.drop_column('listing')

    with op.batch_alter_table('handover_lists', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handover_lists_fingerprint'))
        batch_op.drop_index(batch_op.f('ix_handover_lists_campaign_id'))
    op.drop_table('handover_lists')
    op.drop_table('consent_texts')
    op.drop_table('signature_counts')
