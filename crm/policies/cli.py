"""`crm policy import FILE`: read a policy file, split it into clauses, show the preview, save on confirmation."""
from pathlib import Path

import click

from crm.core.errors import ServiceError
from crm.extensions import db
from crm.policies import services
from crm.policies.models import PolicyLevel
from crm.policies.parsing import split_clauses
from crm.policies.reading import UnreadableFile, read_text, stated_date, stated_number, stated_title

PREVIEW_CHARS = 50


def _preview(values: services.DocumentValues, clauses) -> None:
    click.echo(f"标题：{values.title}")
    click.echo(f"简称：{values.key}　发文机关：{values.issuer or '（未载明）'}　文号：{values.number or '（未载明）'}"
               f"　发文日期：{values.issued_on or '（未载明）'}　层级：{values.level}")
    click.echo(f"条款：{len(clauses)}")
    for clause in clauses:
        tags = "、".join(clause.tags) or "—"
        body = clause.text.replace("\n", " ")[:PREVIEW_CHARS]
        click.echo(f"  {'　' * max(clause.depth - 1, 0)}{clause.path or '序言'} {clause.heading}　[{tags}]　{body}")


def _values(path: Path, text: str, *, key, title, issuer, number, day, level, regions,
            parks) -> services.DocumentValues:
    found_title, found_issuer = stated_title(text)
    issued = day or stated_date(text)
    return services.DocumentValues(
        key=key or path.stem[:40], title=title or found_title or path.stem, issuer=issuer or found_issuer,
        number=number or stated_number(text), level=level, year=issued.year if issued else None, issued_on=issued,
        regions=list(regions), parks=list(parks), source=path.name)


@click.group("policy")
def policy_group():
    """The policy library."""


@policy_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--issuer", default="", help="发文机关 (else what the text states)")
@click.option("--number", default="", help="文号 (else what the text states)")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="发文日期 YYYY-MM-DD (else the text's signature date)")
@click.option("--key", default="", help="short name the product cites it by (default: the file name)")
@click.option("--title", default="", help="title (else what the text states, else the file name)")
@click.option("--level", type=click.Choice([str(level) for level in PolicyLevel]), default="province")
@click.option("--region", "regions", multiple=True, help="region code it applies to (QH, QH-XN …); repeatable")
@click.option("--park", "parks", multiple=True, help="park code it is limited to; repeatable")
@click.option("--yes", is_flag=True, help="save without asking")
@click.option("--dry-run", is_flag=True, help="show the preview only")
def import_command(file, issuer, number, day, key, title, level, regions, parks, yes, dry_run):
    """Read a .txt, .docx or PDF policy, split it into clauses with guessed tags, preview, then save."""
    try:
        text = read_text(file)
    except UnreadableFile as error:
        raise click.ClickException(str(error)) from error
    clauses = split_clauses(text)
    for clause in clauses:
        clause.tags = services.guess_tags(clause.text)
    values = _values(file, text, key=key, title=title, issuer=issuer, number=number,
                     day=day.date() if day else None, level=level, regions=regions, parks=parks)
    _preview(values, clauses)
    if dry_run or not (yes or click.confirm("保存到政策库？", default=False)):
        click.echo("未保存。")
        return
    try:
        document = services.create_document(values, clauses)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(f"{error.message} {error.fields}") from error
    db.session.commit()
    click.echo(f"已保存：{document.key}（{len(clauses)} 条），编号 {document.id}")


commands = [policy_group]
