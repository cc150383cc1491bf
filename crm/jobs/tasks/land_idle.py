"""The daily idle-land check: flag parcels newly idle and warn the park's staff and the project's officer,
once per parcel and finding (闲置, then 可收回)."""
from datetime import date, datetime

from crm.extensions import db
from crm.jobs import notify
from crm.jobs.kinds import LAND_IDLE
from crm.jobs.tasks.recipients import active_user_ids, park_staff_by_park
from crm.land import idle


def land_idle_check(*, today: date, now: datetime) -> int:
    staff = park_staff_by_park()
    created = 0
    for finding in idle.findings(today):
        idle.flag_idle(finding)
        supply = finding.supply
        users = {*active_user_ids((supply.project.officer_id,)), *staff.get(supply.carrier.park_id, ())}
        for user_id in sorted(users):
            key = f"land_idle:{finding.finding}:supply:{supply.id}:user:{user_id}"
            created += notify.create(notify.Message(user_id, LAND_IDLE, idle.title(finding), supply.project.name,
                                                    f"/land/carriers/{supply.carrier_id}", key), now=now)
    db.session.flush()
    return created
