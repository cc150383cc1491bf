"""Open follow-ups: a contact log's next follow-up stays open until a later contact with the same company by
its officer or by anyone of the officer's unit (the unit answers for the company, not one person)."""
from datetime import date

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from crm.auth.models import User
from crm.companies.models import Company, ContactLog
from crm.extensions import db


def owner_id():
    """Whose follow-up a log is: its officer, else the company's officer."""
    return func.coalesce(ContactLog.officer_id, Company.officer_id)


def closed_by_later_contact():
    """True for a log followed by a later one with the company, by its owner or by a colleague of the same unit."""
    later, by, owner = aliased(ContactLog), aliased(User), aliased(User)
    owner_unit = select(owner.unit).where(owner.id == owner_id()).correlate(ContactLog, Company).scalar_subquery()
    return exists(
        select(later.id).outerjoin(by, by.id == later.officer_id)
        .where(later.company_id == ContactLog.company_id,
               or_(later.date > ContactLog.date, and_(later.date == ContactLog.date, later.id > ContactLog.id)),
               or_(later.officer_id == owner_id(), and_(by.unit != "", by.unit == owner_unit)))
        .correlate(ContactLog, Company))


def open_follow_ups(*, due_by: date) -> Select:
    """Logs with a next follow-up on or before `due_by` that no later contact has closed; companies not merged."""
    return (select(ContactLog).join(Company, Company.id == ContactLog.company_id)
            .where(ContactLog.next_follow_up <= due_by, Company.merged_into_id.is_(None), ~closed_by_later_contact()))


def due_for(user, *, today: date, limit: int | None = None) -> tuple[list[ContactLog], int]:
    """The user's open follow-ups due today or earlier, the newest due first, and how many there are in all."""
    query = open_follow_ups(due_by=today).where(owner_id() == user.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    query = (query.options(selectinload(ContactLog.company))
             .order_by(ContactLog.next_follow_up.desc(), ContactLog.id.desc()))
    return list(db.session.scalars(query.limit(limit) if limit else query)), int(total or 0)
