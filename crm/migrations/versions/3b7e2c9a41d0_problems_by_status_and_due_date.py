"""problems indexed by status and due date

Revision ID: 3b7e2c9a41d0
Revises: f53d6638fc5a
Create Date: 2026-12-03 14:50:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3b7e2c9a41d0'
down_revision = 'f53d6638fc5a'
branch_labels = None
depends_on = None


def upgrade():
    # status and due date in one index: it also serves the lookups by status alone
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_problems_status'))
        batch_op.create_index('ix_problems_status_due', ['status', 'due_date'], unique=False)


def downgrade():
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.drop_index('ix_problems_status_due')
        batch_op.create_index(batch_op.f('ix_problems_status'), ['status'], unique=False)
