"""company short names (aliases) and the words the search finds a company by

Revision ID: a25c0e5f1b7d
Revises: a7c41e2b9d10
Create Date: 2026-12-08 00:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a25c0e5f1b7d'
down_revision = 'a7c41e2b9d10'
branch_labels = None
depends_on = None


def upgrade():
    # Existing companies start with no aliases and no search words: `flask crm reindex-company-search` fills
    # the words (the name's pinyin) and the search index from what the companies say.
    op.add_column('companies', sa.Column('aliases', sa.JSON(), nullable=False, server_default='[]'))
    op.add_column('companies', sa.Column('search_words', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_column('search_words')
        batch_op.drop_column('aliases')
