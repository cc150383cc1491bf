"""招商引资管理系统 — the investment-promotion CRM."""
from crm.app import create_app

__all__ = ["create_app"]
