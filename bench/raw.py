"""The physical baseline of a replay: the same rows selected, `json.loads`, and folded into dicts by hand.

No framework: rows straight from the driver, the stored JSON decoded by the standard library, each
event's effect on the read models written as a few dict operations. Figures come out as they are
stored (`{"_type_": "decimal_str", "_data_": "8.5"}` is read as its `_data_`), and only the duty-list
total is computed, with Decimals, as `domain.duty.duty_total` does.
"""

import json
from decimal import Decimal


def value(tagged):
    return tagged["_data_"] if isinstance(tagged, dict) else tagged


def duty_total(items: list[dict]) -> Decimal:
    scored = sum((Decimal(value(i["score"])) for i in items), Decimal(0))
    possible = sum((Decimal(value(i["max"])) for i in items), Decimal(0))
    return scored * 100 / possible


class Tables:
    """The read models' rows, as dicts keyed like their tables."""

    def __init__(self):
        self.towns, self.villages, self.tokens = {}, {}, {}
        self.contests, self.results, self.duty, self.standings = {}, {}, {}, {}
        self.interviews, self.sharings, self.followups, self.pairings, self.exchanges = {}, {}, {}, {}, {}
        self.folds = {
            "Town.Created": self.town, "Account.Opened": self.account, "Village.Registered": self.village,
            "Village.TrackChanged": self.track, "Village.SecretaryChanged": self.secretary,
            "Contest.Scheduled": self.scheduled, "Contest.Advanced": self.advanced, "Contest.Cancelled": self.cancelled,
            "Contest.Published": self.published, "DutyList.Recorded": self.duty_list, "DutyList.Revised": self.duty_list,
            "Standings.Started": self.started, "Standings.Closed": self.closed, "Standings.Reopened": self.reopened,
            "Interview.Required": self.required, "Interview.RequiredAgain": self.required,
            "Interview.Withdrawn": self.interview_status, "Interview.Scheduled": self.interview_status,
            "Interview.Held": self.interview_status, "Interview.Waived": self.interview_status,
            "Sharing.Invited": self.invited, "Sharing.InvitedAgain": self.invited, "Sharing.Withdrawn": self.withdrawn,
            "FollowUp.Issued": self.issued, "FollowUp.Delivered": self.attempted, "FollowUp.AttemptFailed": self.attempted,
            "Pairing.Formed": self.formed, "Pairing.ExchangeRecorded": self.exchange, "Pairing.Dissolved": self.dissolved,
        }

    def fold(self, position: int, originator_id: str, topic: str, state: bytes) -> None:
        self.folds[topic.partition(":")[2]](position, originator_id, json.loads(state), topic)

    def town(self, position, oid, e, topic):
        self.towns[oid] = {"name": e["name"], "county": e["county"]}

    def account(self, position, oid, e, topic):
        self.tokens[e["token_hash"]] = oid

    def village(self, position, oid, e, topic):
        self.villages[oid] = {"town_id": value(e["town_id"]), "code": e["code"], "name": e["name"],
                              "tracks": [{"track": e["track"], "effective_from": "2000-01"}], "secretary": e["secretary"]}

    def track(self, position, oid, e, topic):
        self.villages[oid]["tracks"].append({"track": e["track"], "effective_from": e["effective_from"]})

    def secretary(self, position, oid, e, topic):
        self.villages[oid]["secretary"] = e["name"]

    def scheduled(self, position, oid, e, topic):
        self.contests[oid] = {"town_id": value(e["town_id"]), "month": e["month"], "revision": 0, "stage": "scheduled"}

    def advanced(self, position, oid, e, topic):
        self.contests[oid]["stage"] = e["stage"]

    def cancelled(self, position, oid, e, topic):
        self.contests[oid]["stage"] = "cancelled"

    def published(self, position, oid, e, topic):
        self.contests[oid].update(revision=e["revision"], rulebook_version=e["rulebook_version"], stage="published")
        self.results[oid] = {r["village_id"]: r for r in e["results"]}

    def duty_list(self, position, oid, e, topic):
        row = self.duty.get(oid) or {"village_id": value(e.get("village_id")), "month": e.get("month"),
                                     "town_id": value(e.get("town_id"))}
        row.update(total=str(duty_total(e["items"])), revision=e.get("revision", 1))
        self.duty[oid] = row

    def started(self, position, oid, e, topic):
        self.standings[oid] = {"town_id": value(e["town_id"]), "period": e["period"], "status": "provisional",
                               "revision": 0, "board": {}}

    def closed(self, position, oid, e, topic):
        self.standings[oid].update(status="closed", revision=e["revision"], rulebook_version=e["rulebook_version"],
                                   board=e["board"])

    def reopened(self, position, oid, e, topic):
        self.standings[oid]["status"] = "provisional"

    def required(self, position, oid, e, topic):
        row = self.interviews.setdefault(oid, {"town_id": value(e.get("town_id")), "village_id": e.get("village_id"),
                                               "level": e.get("level"), "period": e.get("period")})
        row.update(status="required", rank=e["rank"], score=value(e["score"]), required_at=value(e["timestamp"]))

    def interview_status(self, position, oid, e, topic):
        self.interviews[oid]["status"] = topic.rpartition(".")[2].lower()

    def invited(self, position, oid, e, topic):
        row = self.sharings.setdefault(oid, {"town_id": value(e.get("town_id")), "village_id": e.get("village_id"),
                                             "period": e.get("period")})
        row.update(reason=e["reason"], status="invited")

    def withdrawn(self, position, oid, e, topic):
        self.sharings[oid]["status"] = "withdrawn"

    def issued(self, position, oid, e, topic):
        self.followups[oid] = {"town_id": value(e["town_id"]), "kind": e["kind"], "recipient": e["recipient"],
                               "subject": e["subject"], "status": "pending", "attempts": 0,
                               "issued_at": value(e["timestamp"]), "about_id": value(e["about_id"])}

    def attempted(self, position, oid, e, topic):
        delivered = topic.endswith("Delivered")
        self.followups[oid].update(status="delivered" if delivered else "failed" if e["final"] else "pending",
                                   attempts=e["attempt"])

    def formed(self, position, oid, e, topic):
        self.pairings[oid] = {"town_id": value(e["town_id"]), "advanced": e["advanced_village_id"],
                              "lagging": e["lagging_village_id"], "from_month": e["from_month"], "dissolved_on": None}

    def exchange(self, position, oid, e, topic):
        self.exchanges[position] = {"pairing_id": oid, "date": e["date"], "mode": e["mode"]}

    def dissolved(self, position, oid, e, topic):
        self.pairings[oid]["dissolved_on"] = e["on"]

    def annual(self, town_id: str, year: str) -> dict | None:
        """The year's recorded board, as `Leitai.annual_assessment` reads it once the year is closed."""
        for row in self.standings.values():
            if row["town_id"] == town_id and row["period"] == year and row["status"] == "closed":
                return row["board"]
        return None


def placing(board: dict) -> list[tuple]:
    """(village, rank, grade) over every track: what the comparison of two assessments looks at."""
    return [(value(r["village_id"]), r["rank"], r.get("grade")) for track in sorted(board["tracks"])
            for r in board["tracks"][track]]
