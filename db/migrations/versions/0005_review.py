"""review: audit log, tags, trackers, analysis, scorecards, playlists (issue 6)

Revision ID: 0005
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('review_scorecards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_scorecards')),
    sa.UniqueConstraint('name', name=op.f('uq_review_scorecards_name'))
    )
    op.create_table('review_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('hotkey', sa.String(length=8), nullable=False),
    sa.Column('polarity', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_tags')),
    sa.UniqueConstraint('name', name=op.f('uq_review_tags_name'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('login', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=False),
    sa.Column('object_id', sa.String(length=64), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_log_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index('ix_audit_log_action', 'audit_log', ['action'], unique=False)
    op.create_index('ix_audit_log_at', 'audit_log', ['at'], unique=False)
    op.create_table('review_options',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_review_options_changed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_review_options'))
    )
    op.create_table('review_playlists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_review_playlists_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_playlists'))
    )
    op.create_table('review_scorecard_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scorecard_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('max_points', sa.Integer(), nullable=False),
    sa.Column('instant_fail', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['scorecard_id'], ['review_scorecards.id'], name=op.f('fk_review_scorecard_items_scorecard_id_review_scorecards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_scorecard_items'))
    )
    op.create_index('ix_review_scorecard_items_scorecard_id', 'review_scorecard_items', ['scorecard_id'], unique=False)
    op.create_table('review_signin_state',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_sign_in', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_review_signin_state_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_review_signin_state'))
    )
    op.create_table('review_trackers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('phrases', sa.Text(), nullable=False),
    sa.Column('speaker', sa.Integer(), nullable=True),
    sa.Column('tag_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['tag_id'], ['review_tags.id'], name=op.f('fk_review_trackers_tag_id_review_tags'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_trackers')),
    sa.UniqueConstraint('name', name=op.f('uq_review_trackers_name'))
    )
    op.create_table('review_call_analysis',
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('script_version_id', sa.Integer(), nullable=True),
    sa.Column('checklist_total', sa.Integer(), nullable=False),
    sa.Column('checklist_covered', sa.Integer(), nullable=False),
    sa.Column('checklist_json', sa.Text(), nullable=False),
    sa.Column('bonus_mentioned', sa.Boolean(), nullable=False),
    sa.Column('bonus_before_care', sa.Boolean(), nullable=False),
    sa.Column('deadline_named', sa.Boolean(), nullable=False),
    sa.Column('talk_ratio', sa.Float(), nullable=False),
    sa.Column('longest_monologue_s', sa.Float(), nullable=False),
    sa.Column('interruptions', sa.Integer(), nullable=False),
    sa.Column('silence_share', sa.Float(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_review_call_analysis_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('call_id', name=op.f('pk_review_call_analysis'))
    )
    op.create_table('review_call_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('scorecard_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('total', sa.Float(), nullable=False),
    sa.Column('failed', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_review_call_scores_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_review_call_scores_reviewer_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scorecard_id'], ['review_scorecards.id'], name=op.f('fk_review_call_scores_scorecard_id_review_scorecards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_call_scores')),
    sa.UniqueConstraint('call_id', 'scorecard_id', 'reviewer_id', name='uq_review_call_scores_call_card_reviewer')
    )
    op.create_table('review_call_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_review_call_tags_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_review_call_tags_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['review_tags.id'], name=op.f('fk_review_call_tags_tag_id_review_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_call_tags')),
    sa.UniqueConstraint('call_id', 'tag_id', name='uq_review_call_tags_call_tag')
    )
    op.create_index('ix_review_call_tags_tag_id', 'review_call_tags', ['tag_id'], unique=False)
    op.create_table('review_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at_s', sa.Float(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_review_comments_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_review_comments_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_comments'))
    )
    op.create_index('ix_review_comments_call_id', 'review_comments', ['call_id'], unique=False)
    op.create_table('review_playlist_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('playlist_id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_review_playlist_items_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['playlist_id'], ['review_playlists.id'], name=op.f('fk_review_playlist_items_playlist_id_review_playlists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_playlist_items'))
    )
    op.create_index('ix_review_playlist_items_playlist_id', 'review_playlist_items', ['playlist_id'], unique=False)
    op.create_table('review_rejected_tags',
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_review_rejected_tags_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['review_tags.id'], name=op.f('fk_review_rejected_tags_tag_id_review_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('call_id', 'tag_id', name=op.f('pk_review_rejected_tags'))
    )
    op.create_table('review_call_score_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('score_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['review_scorecard_items.id'], name=op.f('fk_review_call_score_answers_item_id_review_scorecard_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['score_id'], ['review_call_scores.id'], name=op.f('fk_review_call_score_answers_score_id_review_call_scores'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_call_score_answers'))
    )
    op.create_index('ix_review_call_score_answers_score_id', 'review_call_score_answers', ['score_id'], unique=False)
    op.create_table('review_playlist_bookmarks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('start_s', sa.Float(), nullable=False),
    sa.Column('stop_s', sa.Float(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['review_playlist_items.id'], name=op.f('fk_review_playlist_bookmarks_item_id_review_playlist_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_playlist_bookmarks'))
    )
    op.create_index('ix_review_playlist_bookmarks_item_id', 'review_playlist_bookmarks', ['item_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_review_playlist_bookmarks_item_id', table_name='review_playlist_bookmarks')
    op.drop_table('review_playlist_bookmarks')
    op.drop_index('ix_review_call_score_answers_score_id', table_name='review_call_score_answers')
    op.drop_table('review_call_score_answers')
    op.drop_table('review_rejected_tags')
    op.drop_index('ix_review_playlist_items_playlist_id', table_name='review_playlist_items')
    op.drop_table('review_playlist_items')
    op.drop_index('ix_review_comments_call_id', table_name='review_comments')
    op.drop_table('review_comments')
    op.drop_index('ix_review_call_tags_tag_id', table_name='review_call_tags')
    op.drop_table('review_call_tags')
    op.drop_table('review_call_scores')
    op.drop_table('review_call_analysis')
    op.drop_table('review_trackers')
    op.drop_table('review_signin_state')
    op.drop_index('ix_review_scorecard_items_scorecard_id', table_name='review_scorecard_items')
    op.drop_table('review_scorecard_items')
    op.drop_table('review_playlists')
    op.drop_table('review_options')
    op.drop_index('ix_audit_log_at', table_name='audit_log')
    op.drop_index('ix_audit_log_action', table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_table('review_tags')
    op.drop_table('review_scorecards')
