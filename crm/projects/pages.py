"""What the project pages show: choices for forms and filters, the project page, the move form, home."""
import json
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from flask import request
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import func, select

from crm.auth.models import User
from crm.core import choices
from crm.core.errors import ServiceError
from crm.core.formatting import local_today, percent
from crm.core.permissions import Role
from crm.events.models import Event
from crm.extensions import db
from crm.parks.models import Chain, ChainLink, Park
from crm.parks.queries import industry_options
from crm.projects import detail_rows, editing, followup, funds, listing, services
from crm.projects.forms import (
    FundsForm,
    ProblemForm,
    ProjectForm,
    RegistrationForm,
    SupervisionForm,
    TaskForm,
)
from crm.projects.models import (
    FUNDS_EVIDENCE,
    FUNDS_USES,
    PROBLEM_STATUS_LABELS,
    REVIEW_LABELS,
    Project,
)
from crm.projects.queries import (
    AMOUNT_BANDS,
    funds_arrived,
    is_late,
    needs_update,
    open_supervisions_owned,
    read,
    visible_projects,
)
from crm.projects.stages import PATH, REQUIRED_FACTS, SIGNED_OR_LATER, STAGE_LABELS, Stage, is_allowed, skipped
from crm.projects.web import company_url

# Cards per board column: the most recently changed; the column's count links to the full filtered list.
BOARD_LIMIT = 30
FACT_LABELS = {"negotiating_date": "在谈日期", "signed_date": "签约日期", "agreed_investment": "签约投资额（万元）",
               "preparing_date": "前期工作开始日期", "started_date": "实际开工日期", "producing_date": "投产日期",
               "dropped_date": "终止日期", "dropped_reason": "终止原因", "event_id": "签约展会活动",
               "registered_date": "注册落地日期", "local_credit_code": "本地公司统一社会信用代码"}


def park_options() -> list[tuple[int, str, str]]:
    return choices.cached("parks", {"parks"}, lambda: [
        tuple(row) for row in read(select(Park.id, Park.name, Park.code)
                                   .order_by(Park.parent_id.is_not(None), Park.id))])


def _users(*roles) -> list[tuple[int, str]]:
    """(id, name) of the active users in these roles: choices need no User entities."""
    return choices.cached("users:" + ",".join(roles), {"users"}, lambda: [
        tuple(row) for row in read(select(User.id, listing.user_name(User))
                                   .where(User.active.is_(True), User.role.in_(roles)).order_by(User.username))])


def fill_choices(form: ProjectForm) -> None:
    form.park_id.choices = [("", "—")] + [(str(i), f"{name}（{code}）") for i, name, code in park_options()]
    form.industry_id.choices = [("", "—")] + [(str(i), name) for i, name in industry_options()]
    links = db.session.execute(select(ChainLink.id, ChainLink.name, Chain.name).join(Chain)
                               .order_by(Chain.park_id, Chain.position, ChainLink.position)).all()
    form.link_id.choices = [("", "—")] + [(str(i), f"{chain}：{name}") for i, name, chain in links]
    form.officer_id.choices = [("", "—")] + [(str(i), name) for i, name in _users(Role.officer, Role.manager)]


def filter_choices() -> dict:
    return {"parks": park_options(),
            "events": choices.cached("events", {"events"}, lambda: [
                tuple(row) for row in read(select(Event.id, Event.name).order_by(Event.year.desc()))]),
            "industries": industry_options(),
            "officers": _users(Role.officer, Role.manager),
            "bands": [(key, label) for key, label, _low, _high in AMOUNT_BANDS]}


def prefill_edit(form: ProjectForm, project: Project) -> None:
    for field in ("park_id", "industry_id", "link_id", "officer_id"):
        getattr(form, field).data = str(getattr(project, field) or "")
    for field in editing.MONEY_FIELDS:
        value = getattr(project, field)
        getattr(form, field).data = "" if value is None else f"{value.normalize():f}"
    form.company.data, form.company_id.data = project.company.name, str(project.company_id)
    form.version.data = str(project.version)
    form.original.data = json.dumps(editing.snapshot_for_form(project), ensure_ascii=False)


def original_of(form: ProjectForm) -> dict:
    try:
        data = json.loads(form.original.data or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def show_errors(form, error: ServiceError) -> None:
    """Put a service's field errors beside the form's fields; the rest goes on top of the form."""
    aliases = {"company_id": "company", "park": "park_id"}
    form.form_errors.append(error.message)
    for field, message in error.fields.items():
        target = getattr(form, aliases.get(field, field), None)
        if target is not None and hasattr(target, "errors"):
            target.errors = [*list(target.errors or []), message]


def next_stages(project: Project, user) -> list[str]:
    return [s for s in (*PATH, Stage.dropped)
            if is_allowed(Stage(project.stage), s) and services.can_move(user, project, s)]


def detail_context(project: Project, user, now: datetime) -> dict:
    arrived = funds_arrived(project.id)
    history = detail_rows.history(project.id)
    return {"project": project, "history": history, "funds": detail_rows.funds(project.id),
            "arrived": arrived, "rate": percent(arrived, project.agreed_investment) if project.agreed_investment
            else "—", "problems": detail_rows.problems(project.id), "logs": detail_rows.logs(project.id),
            "supervisions": detail_rows.supervisions(project.id),
            "tasks": detail_rows.tasks(project.id) if project.is_big else [],
            "company_url": company_url(project.company_id), "stage_names": stage_names(),
            "next_stages": next_stages(project, user), "undoable": services.last_undoable(project, history),
            "late": is_late(project, local_today(now)), "offered": offered_forms(project, user),
            "actions": ACTION_FORMS, "problem_labels": translated(PROBLEM_STATUS_LABELS),
            "review_labels": translated(REVIEW_LABELS), "uses": translated(FUNDS_USES),
            "evidence": translated(FUNDS_EVIDENCE), "fact_labels": FACT_LABELS, "can_edit": editing.can_edit(user)}


def supervision_form() -> SupervisionForm:
    """The form a manager opens a supervision with: its owner may be any active user."""
    form = SupervisionForm()
    form.owner_id.choices = [(str(i), name) for i, name in _users(*Role)]
    return form


class ActionForm(NamedTuple):
    title: str
    build: Callable[[], FlaskForm]
    may_send: Callable[[object], bool]  # the user's role may send it: the service's own rule, checked again on submit
    applies: Callable[[Project], bool] = lambda project: True  # the project, as it stands, takes it


# The project page's action forms, by the name in their URL (/projects/<id>/<name>/new). The page shows a button
# for each; the form is built and rendered when the user asks for it, since most views of a project only read it.
# Funds once signed, tasks on big projects, the local company's registration from 前期 on and only once.
ACTION_FORMS = {
    "funds": ActionForm(_l("填报到位资金"), FundsForm, funds.can_report_funds,
                        lambda project: project.stage in SIGNED_OR_LATER),
    "problems": ActionForm(_l("提出问题"), ProblemForm, followup.can_follow_up),
    "tasks": ActionForm(_l("添加任务或责任"), TaskForm, followup.can_follow_up, lambda project: project.is_big),
    "registration": ActionForm(_l("登记注册落地"), RegistrationForm, services.can_record_registration,
                               lambda project: project.stage in services.REGISTRATION_STAGES
                               and not project.registered_date),
    "supervisions": ActionForm(_l("发起督办"), supervision_form, followup.can_open_supervision),
}


def offered_forms(project: Project, user) -> set[str]:
    return {name for name, form in ACTION_FORMS.items() if form.may_send(user) and form.applies(project)}


# (language, id of a label dict) -> (that dict, its labels translated)
_TRANSLATED: dict[tuple[str, int], tuple[dict, dict[str, Markup]]] = {}


def translated(labels: dict) -> dict[str, Markup]:
    """A dict of labels (plain or lazy strings) in the user's language, for pages that show them on many rows:
    translated once per language, not once per row or page (gettext costs about 40 µs). Markup, as `_()` returns
    it in a template: the catalogue is trusted."""
    key = (str(get_locale()), id(labels))
    kept = _TRANSLATED.get(key)
    if kept is None or kept[0] is not labels:  # the id of a dict since dropped may name another
        texts = {name: gettext(label) if isinstance(label, str) else str(label) for name, label in labels.items()}
        kept = _TRANSLATED[key] = (labels, {name: Markup(text) for name, text in texts.items()})  # noqa: S704
    return kept[1]


def transition_context(project: Project, to: str, user, error: ServiceError | None) -> dict:
    fields = services.needed_facts(project.stage, to) if is_allowed(Stage(project.stage), Stage(to)) else []
    optional = []
    if to == Stage.signed or Stage.signed in skipped(Stage(project.stage), Stage(to)):
        optional.append("event_id")
    if to == Stage.preparing:
        optional += ["registered_date", "local_credit_code"]
    events = db.session.execute(select(Event.id, Event.name).order_by(Event.year.desc()).limit(100)).all()
    return {"project": project, "to": to, "fields": fields, "optional": optional, "error": error,
            "values": _submitted(), "labels": FACT_LABELS, "stages": STAGE_LABELS, "events": events,
            "allowed": is_allowed(Stage(project.stage), Stage(to)) and services.can_move(user, project, to),
            "required": REQUIRED_FACTS}


def _submitted() -> dict:
    return request.form.to_dict() if request.method == "POST" else {}


def home_items(user, now: datetime) -> dict:
    if not getattr(user, "is_authenticated", False):
        return {"updates": [], "supervisions": []}
    updates = []
    if user.role == Role.park_staff:
        updates = db.session.scalars(needs_update(user, local_today(now), now).limit(50)).all()
    return {"updates": updates, "supervisions": db.session.scalars(open_supervisions_owned(user).limit(50)).all()}


def board_columns(user) -> tuple[dict[str, list[tuple]], dict[str, int]]:
    """Each stage's latest BOARD_LIMIT cards (one statement) and every stage's count (one GROUP BY)."""
    counts = dict(read(visible_projects(user).with_only_columns(Project.stage, func.count()).group_by(Project.stage)))
    return listing.board_cards(user, PATH, BOARD_LIMIT), {stage: counts.get(stage, 0) for stage in PATH}


def board_moves(user) -> dict[str, list[str]]:
    """The button under each column's cards: the next stage, if the user may move the column's projects there."""
    return {stage: [to for to in PATH[i + 1:i + 2] if services.can_move_from(user, stage, to)]
            for i, stage in enumerate(PATH)}


def stage_names() -> dict[str, Markup]:
    return translated(STAGE_LABELS)
