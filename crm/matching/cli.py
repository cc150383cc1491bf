"""`crm match parks INPUT.csv`, `crm match companies --park CODE`, `crm match reindex`."""
import csv
import sys

import click

from crm.extensions import db
from crm.matching import index, queries, serialise
from crm.matching.scoring import CompanyProfile

match_group = click.Group("match", help="产业链招商匹配：企业→园区，环节→企业。")
REQUIRED_COLUMNS = ("name", "industry", "main_business")


@match_group.command("parks")
@click.argument("input_file", type=click.File("r", encoding="utf-8-sig"))
@click.option("--top", default=3, show_default=True, type=click.IntRange(1, 50))
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="rank as on this day: park pictures then in force, projects signed before it")
def match_parks(input_file, top, as_of):
    """Rank parks for each company of INPUT.csv (columns name,industry,main_business); CSV to stdout."""
    reader = csv.DictReader(input_file)
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise click.ClickException(f"missing CSV columns: {', '.join(missing)}")
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["name", "rank", "park_code", "park_name", "score", "strength", "reasons"])
    day = as_of.date() if as_of else None
    for row in reader:
        fields = {c: (row.get(c) or "").strip() for c in REQUIRED_COLUMNS}
        profile = CompanyProfile(**fields, industry_text=fields["industry"])
        ranking = queries.parks_for_profile(profile, top, user=None, as_of=day)
        for rank, match in enumerate(ranking.matches, 1):
            reasons = "；".join(match.reasons + [f"提示：{w}" for w in match.warnings])
            writer.writerow([profile.name, rank, match.park.code, serialise.park_label(match.park), match.score,
                             "弱相关" if match.weak else "推荐", reasons])
        if not ranking.matches:
            writer.writerow([profile.name, "", "", "", "", "", "；".join(f"提示：{w}" for w in ranking.warnings)])


@match_group.command("companies")
@click.option("--park", "park_code", required=True, help="park code, e.g. NANCHUAN")
@click.option("--link", "link_id", type=int, help="chain link id (all links of the park when omitted)")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 500))
def match_companies(park_code, link_id, top):
    """Rank the database's companies for a park's chain links; CSV to stdout."""
    park = queries.park_profile(park_code.strip())
    if park is None:
        raise click.ClickException(f"no park with code {park_code}")
    links = [link for link in park.links if link_id is None or link.id == link_id]
    if not links:
        raise click.ClickException(f"park {park_code} has no such chain link" if link_id else
                                   f"park {park_code} has no chain links")
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["link_id", "chain", "link", "rank", "company_id", "company_name", "score", "reasons",
                     "open_projects"])
    for link in links:
        matches = queries.companies_for_link(link.id, top, user=None)
        projects = queries.projects_at_park(park.id, [m.company.id for m in matches], None)
        for rank, m in enumerate(matches, 1):
            open_projects = [p.name for p in projects.get(m.company.id, []) if p.stage != "dropped"]
            writer.writerow([link.id, link.chain, link.name, rank, m.company.id, m.company.name, m.score,
                             "；".join(m.reasons), "；".join(open_projects)])
    db.session.commit()  # terms refreshed lazily on the way are kept


@match_group.command("reindex")
def reindex():
    """Recompute every company's matching terms (after a bulk import or a synonym change)."""
    index.invalidate()
    count = index.refresh_company_terms(None, rewrite_index=True)
    db.session.commit()
    click.echo(f"company terms refreshed: {count}")


commands = [match_group]
