"""Sign-in and sign-out, the user's own profile and tokens, and the admin's user pages."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash

from crm.auth import services
from crm.auth.forms import LoginForm, PasswordForm, ProfileForm, TokenForm, UserForm
from crm.auth.models import ApiToken, User
from crm.core import audit
from crm.core.audit import client_ip
from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.core.forms import show_errors, status_of
from crm.core.permissions import Role, roles_required
from crm.extensions import db
from crm.parks.models import Park

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """A path of this site only: no other host, and nothing a header cannot hold (CR, LF) or a browser reads
    as another host (a backslash)."""
    parts = urlsplit(target or "")
    plain = target and target.isprintable() and "\\" not in target
    if plain and not parts.scheme and not parts.netloc and target.startswith("/"):
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user, message = services.authenticate(form.username.data, form.password.data,
                                              ip=client_ip(), now=utcnow())
        db.session.commit()
        if user is None:
            flash(message, "danger")
            return render_template("auth/login.html", form=form), 401
        session.permanent = True
        login_user(user)
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form, first_use=_first_use())


def _first_use() -> bool:
    """Nobody has ever signed in: the sign-in page says how to (the admin account, demo data)."""
    return db.session.scalar(select(User.id).where(User.last_login_at.is_not(None)).limit(1)) is None


@bp.post("/logout")
@login_required
def logout():
    services.end_sessions(current_user)
    audit.record("auth.logout", current_user, actor=current_user)
    db.session.commit()
    logout_user()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        form.populate_obj(current_user)
        db.session.commit()
        flash(_("已保存。"), "success")
        return redirect(url_for("auth.profile"))
    return _profile_page(form=form)


def _profile_page(**forms):
    """The profile page with its three forms; the one just posted (in `forms`) keeps its input and errors."""
    forms = {"form": ProfileForm(formdata=None, obj=current_user), "token_form": TokenForm(formdata=None),
             "password_form": PasswordForm(formdata=None), **forms}
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == current_user.id)
                                .order_by(ApiToken.created_at.desc())).all()
    status = 422 if request.method == "POST" else 200
    return render_template("auth/profile.html", tokens=tokens, new_token=session.pop("new_token", None),
                           **forms), status


@bp.post("/profile/password")
@login_required
def change_password():
    form = PasswordForm()
    if not form.validate_on_submit():
        return _profile_page(password_form=form)
    if not check_password_hash(current_user.password_hash, form.current.data):
        form.current.errors = [_("当前密码不正确。")]
        return _profile_page(password_form=form)
    try:
        services.set_password(current_user, form.new.data, now=utcnow())
    except ServiceError as error:
        db.session.rollback()
        show_errors(form, error, {"password": "new"})
        return _profile_page(password_form=form)
    db.session.commit()
    # this session continues under the new session token; others end. The user itself, not the proxy: the
    # proxy stored in the session would resolve to itself on the next lookup, without end.
    login_user(current_user._get_current_object())
    flash(_("密码已修改，其他会话已退出。"), "success")
    return redirect(url_for("auth.profile"))


@bp.post("/profile/tokens")
@login_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return _profile_page(token_form=form)
    _token, raw = services.create_token(current_user, form.name.data, access=form.access.data, days=form.days.data)
    db.session.commit()
    session["new_token"] = raw
    flash(_("令牌已创建。"), "success")
    return redirect(url_for("auth.profile"))


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    token = db.session.scalar(select(ApiToken).where(ApiToken.id == token_id,
                                                     ApiToken.user_id == current_user.id))
    if token is None:
        return render_template("errors/error.html", status=404, message=_("找不到该令牌。")), 404
    services.revoke_token(token, now=utcnow(), actor=current_user)
    db.session.commit()
    flash(_("令牌已吊销。"), "success")
    return redirect(url_for("auth.profile"))


def _user_form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user)
    form.parks.choices = [(p.code, f"{p.code} {p.name}") for p in db.session.scalars(select(Park).order_by(Park.code))]
    if user is not None and request.method == "GET":
        form.parks.data = [p.code for p in user.parks]
    return form


@bp.get("/admin/tokens")
@roles_required(Role.admin)
def tokens():
    """Every user's API tokens with their access, expiry and last use (admins)."""
    rows = db.session.scalars(select(ApiToken).options(joinedload(ApiToken.user))
                              .order_by(ApiToken.last_used_at.desc().nulls_last(), ApiToken.id.desc())).all()
    return render_template("auth/tokens.html", tokens=rows, now=utcnow())


@bp.post("/admin/tokens/<int:token_id>/revoke")
@roles_required(Role.admin)
def admin_revoke_token(token_id: int):
    token = db.get_or_404(ApiToken, token_id)
    if token.revoked_at is None:
        services.revoke_token(token, now=utcnow(), actor=current_user)
        db.session.commit()
        flash(_("令牌已吊销。"), "success")
    return redirect(url_for("auth.tokens"))


@bp.get("/admin/users")
@roles_required(Role.admin)
def users():
    rows = db.session.scalars(select(User).order_by(User.username)).all()
    return render_template("auth/users.html", users=rows, form=_user_form())


@bp.post("/admin/users")
@roles_required(Role.admin)
def create_user():
    form = _user_form()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.username.data, form.password.data or "", form.role.data,
                                        park_codes=form.parks.data, display_name=form.display_name.data,
                                        actor=current_user)
            user.unit, user.email, user.must_change_password = form.unit.data, form.email.data or "", True
            db.session.commit()
            flash(_("用户 %(name)s 已创建。", name=user.username), "success")
            return redirect(url_for("auth.users"))
        except ServiceError as error:
            db.session.rollback()
            show_errors(form, error)
    rows = db.session.scalars(select(User).order_by(User.username)).all()
    return render_template("auth/users.html", users=rows, form=form), 422


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.admin)
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = _user_form(user)
    if form.validate_on_submit():
        try:
            services.update_user(user, role=form.role.data, park_codes=form.parks.data, active=form.active.data,
                                 display_name=form.display_name.data, unit=form.unit.data,
                                 email=form.email.data or "", actor=current_user)
            if form.password.data:
                services.set_password(user, form.password.data, now=utcnow(), actor=current_user,
                                      force_change=True)
            db.session.commit()
            flash(_("已保存。"), "success")
            return redirect(url_for("auth.users"))
        except ServiceError as error:
            db.session.rollback()
            show_errors(form, error)
    return render_template("auth/user_edit.html", form=form, user=user), status_of(form)
