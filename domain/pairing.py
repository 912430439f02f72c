from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from .errors import InvalidError, RuleError

MODES = ("offline", "online")


class Pairing(Aggregate):
    """结对共建: an advanced village (先进村) helps a lagging one (后进村); they meet offline each month.

    The same two villages are paired once: the id comes from the pair.
    """

    @staticmethod
    def create_id(town_id: UUID, advanced_village_id: str, lagging_village_id: str, from_month: str) -> UUID:
        return pairing_id(town_id, advanced_village_id, lagging_village_id)

    @event("Formed")
    def __init__(self, town_id: UUID, advanced_village_id: str, lagging_village_id: str, from_month: str, by: UUID):
        if advanced_village_id == lagging_village_id:
            raise InvalidError("a village cannot pair with itself", {"lagging_village_id": ["pick another village"]})
        self.town_id = town_id
        self.advanced_village_id = advanced_village_id
        self.lagging_village_id = lagging_village_id
        self.from_month = from_month
        self.exchanges: list[dict] = []
        self.dissolved_on: str | None = None
        self.shortfalls: dict[str, dict] = {}

    def active_in(self, month: str) -> bool:
        return self.from_month <= month and (self.dissolved_on is None or month < self.dissolved_on[:7])

    def offline_in(self, month: str) -> int:
        return sum(1 for e in self.exchanges if e["mode"] == "offline" and e["date"].startswith(month))

    def record_exchange(self, date: str, mode: str, summary: str, by: UUID) -> None:
        if mode not in MODES:
            raise InvalidError("unknown mode", {"mode": [f"must be one of {', '.join(MODES)}"]})
        if not self.active_in(date[:7]):
            raise RuleError(f"the pairing is not active on {date}")
        if {"date": date, "mode": mode, "summary": summary} in self.exchanges:
            raise RuleError("this exchange is already recorded (same date, mode and summary)")
        self._record_exchange(date, mode, summary, by)

    @event("ExchangeRecorded")
    def _record_exchange(self, date: str, mode: str, summary: str, by: UUID) -> None:
        self.exchanges.append({"date": date, "mode": mode, "summary": summary})

    def dissolve(self, reason: str, effective_from: str, by: UUID) -> None:
        """Inactive from `effective_from` (a month) on."""
        if self.dissolved_on is not None:
            raise RuleError("the pairing is already dissolved")
        if effective_from <= self.from_month:
            raise RuleError(f"the pairing began in {self.from_month}: dissolve it from a later month")
        self._dissolve(reason, f"{effective_from}-01", by)

    @event("Dissolved")
    def _dissolve(self, reason: str, on: str, by: UUID) -> None:
        self.dissolved_on = on

    @event("ShortfallRecorded")
    def record_shortfall(self, month: str, offline: int, required: int, by: UUID) -> None:
        """R12: a month closed with fewer offline exchanges than the rulebook requires."""
        self.shortfalls[month] = {"offline": offline, "required": required}


def pairing_id(town_id: UUID, first: str, second: str) -> UUID:
    return uuid5(town_id, "pairing:" + ":".join(sorted((str(first), str(second)))))
