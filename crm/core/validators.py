"""Shared checks of identifiers: the unified social credit code (GB 32100-2015) via python-stdnum."""
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError


def normalise_credit_code(value: str) -> str:
    """Upper-case, spaces and dashes removed; raises ValueError with the reason when invalid."""
    try:
        return uscc.validate(value or "")
    except ValidationError as exc:
        raise ValueError(str(exc) or "invalid credit code") from exc


def is_valid_credit_code(value: str) -> bool:
    try:
        normalise_credit_code(value)
    except ValueError:
        return False
    return True
