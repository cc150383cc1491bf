"""Park pages: the tree of key parks and bases; each park's positioning and chain map; admin edits."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from crm.auth.models import User
from crm.core.audit import AuditEntry
from crm.core.permissions import Role, has_role
from crm.core.scope import get_visible_or_404, may_see_park
from crm.extensions import db
from crm.matching import queries as matching
from crm.parks import pictures, services
from crm.parks.forms import ChainForm, LinkForm, ProfileForm
from crm.parks.models import Chain, ChainLink
from crm.parks.queries import park_by_code, parks_with_chains

bp = Blueprint("parks", __name__, url_prefix="/parks")
STATE_LABELS = {"filled": "已有企业", "partly": "在谈", "gap": "缺链"}


@bp.get("/")
@login_required
def index():
    parks = db.session.scalars(parks_with_chains()).all()
    key_parks = [p for p in parks if p.parent is None]
    return render_template("parks/index.html", key_parks=key_parks)


def _maps(park) -> list[tuple]:
    """(park, link states) for the park and, for a key park, each of its bases."""
    parks = [park, *park.children]
    return [(p, matching.link_states(matching.park_profile(p.code), current_user)) for p in parks
            if p is park or p.chains]


def _history(park) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.object_type == "parks", AuditEntry.object_id == park.id)
    return db.session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(30)).all()


def _authors(history) -> dict[int, str]:
    ids = {p.author_id for p in history if p.author_id}
    return {user.id: user.name for user in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


@bp.get("/<code>")
@bp.get("/<code>/chains")
@login_required
def detail(code: str):
    return _detail_page(get_visible_or_404(db.session, park_by_code(code)))


def _detail_page(park, failed=None, status: int = 200):
    """The park page; `failed` is the form just posted with bad input, shown again with it (its action, form)."""
    maps = _maps(park)
    db.session.commit()  # keeps company terms recomputed on the way (stale ones are refreshed lazily)
    history = pictures.history(park)
    profile_form = ProfileForm(formdata=None, positioning=park.positioning,
                               industries="、".join(park.industries or []), anchors="、".join(park.anchors or []))
    if failed and isinstance(failed[1], ProfileForm):
        profile_form = failed[1]
    return render_template("parks/detail.html", park=park, maps=maps, history=_history(park),
                           pictures=history, picture_authors=_authors(history),
                           may_edit=may_edit_park(current_user, park),
                           profile_form=profile_form, chain_form=ChainForm(formdata=None),
                           link_form=LinkForm(formdata=None), state_labels=STATE_LABELS,
                           failed={"action": request.path, "form": failed[1]} if failed else None), status


def may_edit_park(user, park) -> bool:
    """Admins edit every park; park staff edit the picture of their own parks."""
    return has_role(user, Role.admin) or (has_role(user, Role.park_staff) and may_see_park(user, park.id))


def _park(code: str):
    """The park to edit: 404 when absent or out of scope, 403 when the user may see it but not edit it."""
    park = get_visible_or_404(db.session, park_by_code(code))
    if not may_edit_park(current_user, park):
        abort(403)
    return park


def _done(park, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("parks.detail", code=park.code))


def _invalid(park, form):
    """Bad input: the park page again, the posted form keeping what was typed, each error beside its field."""
    db.session.rollback()
    return _detail_page(park, ("", form), status=422)


@bp.post("/<code>/profile")
@login_required
def edit_profile(code: str):
    park, form = _park(code), ProfileForm()
    if not form.validate():
        return _invalid(park, form)
    services.update_profile(park, positioning=form.positioning.data or "",
                            industries=services.split_list(form.industries.data),
                            anchors=services.split_list(form.anchors.data), valid_from=form.valid_from.data,
                            source=form.source.data or "", reason=form.reason.data or "", actor=current_user)
    return _done(park, _("产业定位已保存。"))


@bp.post("/<code>/chains")
@login_required
def add_chain(code: str):
    park, form = _park(code), ChainForm()
    if not form.validate():
        return _invalid(park, form)
    services.add_chain(park, name=form.name.data, actor=current_user)
    return _done(park, _("产业链已添加。"))


def _chain(park, chain_id: int) -> Chain:
    chain = db.session.get(Chain, chain_id)
    if chain is None or chain.park_id != park.id:
        abort(404)
    return chain


def _link(park, link_id: int) -> ChainLink:
    link = db.session.get(ChainLink, link_id)
    if link is None or link.chain.park_id != park.id:
        abort(404)
    return link


@bp.post("/<code>/chains/<int:chain_id>/delete")
@login_required
def delete_chain(code: str, chain_id: int):
    park = _park(code)
    services.delete_chain(_chain(park, chain_id), actor=current_user)
    return _done(park, _("产业链已删除。"))


@bp.post("/<code>/chains/<int:chain_id>/links")
@login_required
def add_link(code: str, chain_id: int):
    park, form = _park(code), LinkForm()
    if not form.validate():
        return _invalid(park, form)
    services.add_link(_chain(park, chain_id), name=form.name.data,
                      keywords=services.split_list(form.keywords.data), actor=current_user)
    return _done(park, _("环节已添加。"))


@bp.post("/<code>/links/<int:link_id>")
@login_required
def edit_link(code: str, link_id: int):
    park, form = _park(code), LinkForm()
    if not form.validate():
        return _invalid(park, form)
    services.update_link(_link(park, link_id), name=form.name.data, keywords=services.split_list(form.keywords.data),
                         position=form.position.data, actor=current_user)
    return _done(park, _("环节已保存。"))


@bp.post("/<code>/links/<int:link_id>/delete")
@login_required
def delete_link(code: str, link_id: int):
    park = _park(code)
    services.delete_link(_link(park, link_id), actor=current_user)
    return _done(park, _("环节已删除。"))
