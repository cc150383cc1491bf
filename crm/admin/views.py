"""Admin pages: the audit log (search, filter, export) and the security settings."""
from datetime import datetime

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.admin import audit_words, services
from crm.admin.forms import AuditFilterForm, SecuritySettingsForm
from crm.admin.queries import audit_entries
from crm.admin.retention import retention_days
from crm.core.pagination import page_args, paginate
from crm.core.permissions import Role, roles_required
from crm.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@roles_required(Role.admin)
def index():
    return redirect(url_for("admin.audit_log"))


def _filters() -> tuple[AuditFilterForm, dict]:
    form = AuditFilterForm(request.args)
    form.validate()  # bad values are shown beside the field and ignored
    values = {name: (field.data if not field.errors else None) for name, field in form._fields.items()}
    return form, {k: (v.strip()[:200] if isinstance(v, str) else v) for k, v in values.items() if v not in (None, "")}


@bp.get("/audit")
@roles_required(Role.admin)
def audit_log():
    form, filters = _filters()
    page, per_page = page_args(50)
    result = paginate(db.session, audit_entries(**filters), page, per_page)
    return render_template("admin/audit.html", form=form, page=result, filters=filters,
                           args={k: v for k, v in request.args.items() if k != "page"},
                           retention=retention_days(), words=audit_words,
                           names=audit_words.object_names(result.items))


@bp.get("/audit/export.csv")
@roles_required(Role.admin)
def audit_export():
    _form, filters = _filters()
    entries = db.session.scalars(audit_entries(**filters).limit(services.EXPORT_LIMIT))
    body = services.export_csv(entries, actor=current_user, filters={k: str(v) for k, v in filters.items()})
    db.session.commit()
    name = f"audit-{datetime.now().strftime('%Y%m%d-%H%M')}.csv"  # noqa: DTZ005 - a local file name only
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}", "Cache-Control": "no-store"})


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(Role.admin)
def security_settings():
    form = SecuritySettingsForm(data=services.security_settings())
    if form.validate_on_submit():
        services.save_security_settings({name: form[name].data for name in services.SECURITY_KEYS},
                                        actor=current_user)
        db.session.commit()
        flash(_("安全设置已保存。"), "success")
        return redirect(url_for("admin.security_settings"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/settings.html", form=form), status
