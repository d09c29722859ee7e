"""replies: kinds, matching, suggestions, attachments, learned addresses, notes, IMAP state, follow-up days

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01 17:08:47

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None

CHANNELS = ('email', 'post', 'phone', 'in_person', 'other')
OLD_CHANNEL = sa.Enum(*CHANNELS, name='replychannel', native_enum=False, create_constraint=True, length=32)
NEW_CHANNEL = sa.Enum(*CHANNELS, 'public_statement', 'supporter_report', name='replychannel', native_enum=False,
                      create_constraint=True, length=32)
SUGGESTED_QUALITY = sa.Enum('unclassified', 'substantive', 'standard', 'acknowledgement', 'refusal', 'auto_reply',
                            name='suggestedquality', native_enum=False, create_constraint=True, length=32)
KIND = sa.Enum('reply', 'auto_reply', 'bounce', name='replykind', native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table('mailbox_states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mailbox', sa.String(length=500), nullable=False),
    sa.Column('uid_validity', sa.BigInteger(), nullable=False),
    sa.Column('last_uid', sa.BigInteger(), nullable=False),
    sa.Column('leased_until', sa.DateTime(), nullable=True),
    sa.Column('last_polled_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailbox_states')),
    sa.UniqueConstraint('mailbox', name=op.f('uq_mailbox_states_mailbox'))
    )
    op.create_table('tracking_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_tracking_notes_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_tracking_notes_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recipient_id'], ['recipients.id'], name=op.f('fk_tracking_notes_recipient_id_recipients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracking_notes'))
    )
    with op.batch_alter_table('tracking_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tracking_notes_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tracking_notes_recipient_id'), ['recipient_id'], unique=False)

    op.create_table('recipient_addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('email_canonical', sa.String(length=254), nullable=False),
    sa.Column('reply_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_recipient_addresses_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recipient_id'], ['recipients.id'], name=op.f('fk_recipient_addresses_recipient_id_recipients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reply_id'], ['replies.id'], name=op.f('fk_recipient_addresses_reply_id_replies'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recipient_addresses')),
    sa.UniqueConstraint('email_canonical', name=op.f('uq_recipient_addresses_email_canonical'))
    )
    with op.batch_alter_table('recipient_addresses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recipient_addresses_recipient_id'), ['recipient_id'], unique=False)

    op.create_table('reply_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reply_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['reply_id'], ['replies.id'], name=op.f('fk_reply_attachments_reply_id_replies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_attachments'))
    )
    with op.batch_alter_table('reply_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reply_attachments_reply_id'), ['reply_id'], unique=False)

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow_up_days', sa.Integer(), nullable=False, server_default='21'))

    texts = ('from_name', 'sender_domain', 'to_address', 'forwarded_by', 'original_text', 'match_method',
             'failed_address', 'text_fingerprint')
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', KIND, nullable=False, server_default='reply'))
        for name in texts:
            length = {'from_name': 200, 'match_method': 20, 'text_fingerprint': 64, 'original_text': None}.get(name, 254)
            column_type = sa.Text() if length is None else sa.String(length=length)
            batch_op.add_column(sa.Column(name, column_type, nullable=False, server_default=''))
        batch_op.add_column(sa.Column('source', sa.String(length=20), nullable=False, server_default='manual'))
        batch_op.add_column(sa.Column('suggested_quality', SUGGESTED_QUALITY, nullable=False, server_default='unclassified'))
        batch_op.add_column(sa.Column('publication_allowed', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('classified_at', sa.DateTime(), nullable=True))
        batch_op.alter_column('campaign_id', existing_type=sa.INTEGER(), nullable=True)
        batch_op.alter_column('channel', existing_type=OLD_CHANNEL, type_=NEW_CHANNEL, existing_nullable=False)
        batch_op.create_index(batch_op.f('ix_replies_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_replies_sender_domain'), ['sender_domain'], unique=False)
        batch_op.create_index(batch_op.f('ix_replies_text_fingerprint'), ['text_fingerprint'], unique=False)



def downgrade():
    # Replies without a campaign (unmatched mail) and those on the new channels cannot exist before this revision.
    op.execute("DELETE FROM replies WHERE campaign_id IS NULL")
    op.execute("UPDATE replies SET channel = 'other' WHERE channel IN ('public_statement', 'supporter_report')")
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_replies_text_fingerprint'))
        batch_op.drop_index(batch_op.f('ix_replies_sender_domain'))
        batch_op.drop_index(batch_op.f('ix_replies_kind'))
        batch_op.alter_column('channel', existing_type=NEW_CHANNEL, type_=OLD_CHANNEL, existing_nullable=False)
        batch_op.alter_column('campaign_id', existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column('classified_at')
        batch_op.drop_column('publication_allowed')
        batch_op.drop_constraint(batch_op.f('ck_replies_suggestedquality'), type_='check')
        batch_op.drop_column('suggested_quality')
        batch_op.drop_column('source')
        for name in ('text_fingerprint', 'failed_address', 'match_method', 'original_text', 'forwarded_by',
                     'to_address', 'sender_domain', 'from_name'):
            batch_op.drop_column(name)
        batch_op.drop_constraint(batch_op.f('ck_replies_replykind'), type_='check')
        batch_op.drop_column('kind')

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_column('follow_up_days')

    with op.batch_alter_table('reply_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reply_attachments_reply_id'))

    op.drop_table('reply_attachments')
    with op.batch_alter_table('recipient_addresses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recipient_addresses_recipient_id'))

    op.drop_table('recipient_addresses')
    with op.batch_alter_table('tracking_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tracking_notes_recipient_id'))
        batch_op.drop_index(batch_op.f('ix_tracking_notes_campaign_id'))

    op.drop_table('tracking_notes')
    op.drop_table('mailbox_states')
