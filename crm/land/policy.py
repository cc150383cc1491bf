"""The land rules of seeds/land_policy.yaml, and the figures they judge: 投资强度 and 亩均税收 (pure)."""
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from crm.core.seedfiles import load_yaml

TWO_PLACES = Decimal("0.01")


def rules() -> dict:
    return load_yaml("land_policy.yaml")


def per_mu(amount: Decimal | None, land_mu: Decimal | None) -> Decimal | None:
    """An amount (万元) per 亩, to two places; None where either is missing or the land is zero."""
    if amount is None or not land_mu:
        return None
    return (Decimal(amount) / Decimal(land_mu)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Intensity:
    land_mu: Decimal | None
    intensity: Decimal | None  # 投资强度, 万元/亩
    minimum: Decimal | None  # the park's or the province's floor
    minimum_source: str
    priority: bool  # meets 002's land-priority threshold
    priority_threshold: Decimal
    priority_source: str

    @property
    def below_minimum(self) -> bool:
        return self.intensity is not None and self.minimum is not None and self.intensity < self.minimum


def judge(fixed_asset_investment: Decimal | None, land_mu: Decimal | None, *, park_target: int | None,
          province: str, tax_per_mu: Decimal | None = None) -> Intensity:
    """投资强度 of a project and what the policy says of it: priority above 002's threshold (or by 亩均税收),
    a warning below the park's target, else the province's minimum."""
    data = rules()
    priority = data["land_priority"]
    threshold = Decimal(str(priority["investment_intensity_above"]))
    tax_threshold = Decimal(str(priority["tax_per_mu_above"]))
    intensity = per_mu(fixed_asset_investment, land_mu)
    minimum, source = None, ""
    if park_target:
        minimum, source = Decimal(park_target), "园区投资强度目标"
    else:
        floor = data["intensity_minimum"]["by_province"].get(province)
        if floor:
            minimum, source = Decimal(str(floor["value"])), floor["source"]
    meets = (intensity is not None and intensity > threshold) or (tax_per_mu is not None and tax_per_mu > tax_threshold)
    return Intensity(land_mu, intensity, minimum, source, meets, threshold, priority["source"])


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February falls on 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
