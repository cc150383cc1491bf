"""Project stages and the allowed moves between them — the one place these rules live as data."""
from enum import StrEnum


class Stage(StrEnum):
    lead = "lead"
    negotiating = "negotiating"
    signed = "signed"
    preparing = "preparing"
    started = "started"
    producing = "producing"
    dropped = "dropped"


STAGE_LABELS = {
    Stage.lead: "线索", Stage.negotiating: "在谈", Stage.signed: "签约", Stage.preparing: "前期",
    Stage.started: "开工", Stage.producing: "投产", Stage.dropped: "终止",
}

# The forward path; 终止 (dropped) can be reached from any stage except itself.
PATH = [Stage.lead, Stage.negotiating, Stage.signed, Stage.preparing, Stage.started, Stage.producing]

# The dated fact each stage needs when a project enters it (field names on Project).
REQUIRED_FACTS: dict[Stage, tuple[str, ...]] = {
    Stage.lead: (),
    Stage.negotiating: ("negotiating_date",),
    Stage.signed: ("signed_date", "agreed_investment"),
    Stage.preparing: ("preparing_date",),
    Stage.started: ("started_date",),
    Stage.producing: ("producing_date",),
    Stage.dropped: ("dropped_date", "dropped_reason"),
}

# Stages reached at or after signing: the cohort of "signed projects" for the rates.
SIGNED_OR_LATER = (Stage.signed, Stage.preparing, Stage.started, Stage.producing)
STARTED_OR_LATER = (Stage.started, Stage.producing)


def position(stage: Stage) -> int:
    return PATH.index(stage) if stage in PATH else -1


def skipped(from_stage: Stage, to_stage: Stage) -> list[Stage]:
    """Stages between from and to on the forward path, whose facts a jump must also supply."""
    if to_stage == Stage.dropped or position(to_stage) <= position(from_stage):
        return []
    return PATH[position(from_stage) + 1 : position(to_stage)]


def is_allowed(from_stage: Stage, to_stage: Stage) -> bool:
    if from_stage == Stage.dropped or from_stage == to_stage:
        return False
    return to_stage == Stage.dropped or position(to_stage) > position(from_stage)
