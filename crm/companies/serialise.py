"""JSON shapes of companies, contacts and contact logs (the API's words are the model's words)."""
from crm.companies.models import Company, Contact, ContactLog


def _money(value) -> str | None:
    return None if value is None else str(value)


def company_json(c: Company) -> dict:
    return company_fields(c, industry=c.industry.name if c.industry else None,
                          officer=c.officer.name if c.officer else None, tiers=c.tiers)


def company_fields(c, *, industry: str | None, officer: str | None, tiers) -> dict:
    """The company's JSON from anything with its columns as attributes (an entity or a plain row, the API list
    reads rows: listing.api_rows), its industry and officer names and its tiers (.tier, .year, .rank)."""
    return {
        "id": c.id, "name": c.name, "former_names": list(c.former_names or []),
        "aliases": list(c.aliases or []), "credit_code": c.credit_code,
        "ownership": c.ownership, "tiers": [{"tier": t.tier, "year": t.year, "rank": t.rank} for t in tiers],
        "listed_exchange": c.listed_exchange, "listed_code": c.listed_code, "hq_province": c.hq_province,
        "hq_city": c.hq_city, "industry_id": c.industry_id,
        # the industry as the company writes it, else the dictionary's name; and its GB/T 4754-2017 code
        "industry": getattr(c, "industry_text", "") or industry, "industry_name": industry,
        "industry_code": getattr(c, "gbt_code", "") or "",
        "main_business": c.main_business, "registered_capital": _money(c.registered_capital),
        "revenue": _money(c.revenue), "website": c.website, "source": c.source, "officer_id": c.officer_id,
        "officer": officer, "tags": list(c.tags or []), "notes": c.notes,
        "last_contact_on": c.last_contact_on.isoformat() if c.last_contact_on else None,
        "merged_into_id": c.merged_into_id, "version": c.version,
        "created_at": c.created_at.isoformat() if c.created_at else None,
        "updated_at": c.updated_at.isoformat() if c.updated_at else None,
    }


def contact_json(c: Contact) -> dict:
    return {"id": c.id, "company_id": c.company_id, "name": c.name, "title": c.title, "mobile": c.mobile,
            "phone": c.phone, "email": c.email, "wechat": c.wechat, "notes": c.notes, "is_primary": c.is_primary}


def log_json(log: ContactLog) -> dict:
    return log_fields(log, officer=log.officer.name if log.officer else None,
                      contact_ids=[c.id for c in log.contacts])


def log_fields(log, *, officer: str | None, contact_ids: list[int]) -> dict:
    """The log's JSON from anything with its columns as attributes (an entity, or a row: contacts.queries)."""
    return {"id": log.id, "company_id": log.company_id, "date": log.date.isoformat(), "kind": log.kind,
            "officer_id": log.officer_id, "officer": officer, "summary": log.summary, "next_step": log.next_step,
            "next_follow_up": log.next_follow_up.isoformat() if log.next_follow_up else None,
            "project_id": log.project_id, "trip_id": log.trip_id, "contact_ids": contact_ids}
