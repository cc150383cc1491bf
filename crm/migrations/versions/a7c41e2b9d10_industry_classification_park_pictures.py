"""industry classification codes, companies' industry as written, chain sources, dated park pictures

Revision ID: a7c41e2b9d10
Revises: f38497fa7ca7
Create Date: 2026-12-08 00:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = 'a7c41e2b9d10'
down_revision = 'f38497fa7ca7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('industry_text', sa.String(length=80), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('gbt_code', sa.String(length=5), nullable=False, server_default=''))
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gbt_code', sa.String(length=5), nullable=False, server_default=''))
    with op.batch_alter_table('chains', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=300), nullable=False, server_default=''))
    with op.batch_alter_table('chain_links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gbt_code', sa.String(length=5), nullable=False, server_default=''))
    with op.batch_alter_table('parks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anchors', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('places', sa.JSON(), nullable=False, server_default='[]'))
    op.create_table(
        'park_pictures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('park_id', sa.Integer(), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=True),
        sa.Column('positioning', sa.Text(), nullable=False),
        sa.Column('industries', sa.JSON(), nullable=False),
        sa.Column('anchors', sa.JSON(), nullable=False),
        sa.Column('chains', sa.JSON(), nullable=False),
        sa.Column('source', sa.String(length=300), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('summary', sa.String(length=300), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['park_id'], ['parks.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('park_pictures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_park_pictures_park_id'), ['park_id'], unique=False)


def downgrade():
    with op.batch_alter_table('park_pictures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_park_pictures_park_id'))
    op.drop_table('park_pictures')
    with op.batch_alter_table('parks', schema=None) as batch_op:
        batch_op.drop_column('places')
        batch_op.drop_column('anchors')
    with op.batch_alter_table('chain_links', schema=None) as batch_op:
        batch_op.drop_column('gbt_code')
    with op.batch_alter_table('chains', schema=None) as batch_op:
        batch_op.drop_column('source')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_column('gbt_code')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_column('gbt_code')
        batch_op.drop_column('industry_text')
