"""Writes of the matching domain: turn a ranked candidate into a lead project (线索) for a link."""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from crm.companies.models import Company
from crm.core.errors import ServiceError
from crm.extensions import db
from crm.matching.queries import find_link
from crm.projects import editing
from crm.projects.models import Project


def create_lead(*, company_id: int, link_id: int, actor, now: datetime) -> Project:
    """A lead at the link's park, filling the link; refused when the company already has an open
    project on this link. Goes through the projects domain's own create verb (which audits it)."""
    found = find_link(link_id)
    company = db.session.get(Company, company_id)
    if found is None or company is None:
        raise ServiceError(_("企业或产业链环节不存在。"), status=404, code="not_found")
    park, link = found
    existing = db.session.scalar(select(Project.id).where(
        Project.company_id == company.id, Project.park_id == park.id, Project.link_id == link.id,
        Project.stage != "dropped"))
    if existing:
        raise ServiceError(_("该企业在此环节已有未终止的项目。"), status=409, code="conflict")
    name = _("%(company)s（%(link)s）", company=company.name, link=link.name)[:200]
    values = {"name": name, "company_id": company.id, "park_id": park.id, "link_id": link.id,
              "industry_id": company.industry_id,
              "content": _("产业链招商：%(park)s 产业链「%(chain)s」环节「%(link)s」", park=park.name,
                           chain=link.chain, link=link.name)}
    return editing.create_project(actor=actor, values=values, now=now)
