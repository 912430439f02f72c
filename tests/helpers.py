"""A thin HTTP client for the tests, and builders for a town, its villages and a contest."""

import time
from decimal import Decimal

PREFIX = "/api/v1"
TRACKS = ("demonstration", "excellence", "foundation")
CRITERIA = [{"key": "work", "label": "工作实绩", "max": 40}, {"key": "talk", "label": "汇报演讲", "max": 30},
            {"key": "idea", "label": "思路举措", "max": 20}, {"key": "style", "label": "精神面貌", "max": 10}]


class Api:
    """Speaks JSON to the app; numbers come back as Decimals."""

    def __init__(self, client, token: str):
        self.client = client
        self.token = token

    def call(self, method: str, path: str, body=None, token: str | None = "default", headers=None):
        token = self.token if token == "default" else token
        head = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.client.open(PREFIX + path, method=method, json=body, headers={**head, **(headers or {})})
        response.body = response.get_json() if response.is_json else None
        return response

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.call("POST", path, {} if body is None else body, **kw)

    def put(self, path, body=None, **kw):
        return self.call("PUT", path, body, **kw)

    def ok(self, method: str, path: str, body=None, status: int = 200, **kw):
        response = self.call(method, path, body, **kw)
        assert response.status_code == status, (response.status_code, response.body)
        return response.body

    def position(self) -> int:
        """The head of the event log, to show that a refusal recorded nothing."""
        after = 0
        while True:
            feed = self.ok("GET", f"/events?after={after}&limit=1000")
            if not feed["events"]:
                return after
            after = feed["next"]


def marks_for(total) -> dict:
    """Marks over the four criteria that add up to `total` (0 to 100), filling each in turn."""
    left, marks = Decimal(str(total)), {}
    for criterion in CRITERIA:
        marks[criterion["key"]] = min(left, Decimal(criterion["max"]))
        left -= marks[criterion["key"]]
    return marks


def build_town(api: Api, per_track=(4, 4, 4)) -> dict:
    """A town with villages D1.., E1.., F1.. on the three tracks."""
    town = api.ok("POST", "/towns", {"name": "大曹镇", "county": "宁津县"}, 201)
    villages = {}
    for track, count in zip(TRACKS, per_track):
        for n in range(1, count + 1):
            code = f"{track[0].upper()}{n}"
            body = {"town_id": town["id"], "code": code, "name": f"{code}村", "track": track,
                    "secretary": {"name": f"书记{code}"}}
            villages[code] = api.ok("POST", "/villages", body, 201)["id"]
    return {"town": town["id"], "villages": villages}


def open_account(api: Api, name: str, role: str, village_id=None) -> dict:
    body = {"name": name, "role": role} | ({"village_id": village_id} if village_id else {})
    return api.ok("POST", "/accounts", body, 201)


def build_judges(api: Api, count: int) -> list[dict]:
    return [open_account(api, f"评委{n}", "judge") for n in range(1, count + 1)]


def schedule(api: Api, town_id: str, judges: list[dict], month="2023-05", tracks=TRACKS, **extra) -> dict:
    body = {"town_id": town_id, "month": month, "theme": "人居环境整治", "domain": "environment", "form": "on_site",
            "venue": "大街小巷", "tracks": list(tracks), "judges": [j["id"] for j in judges], "criteria": CRITERIA}
    return api.ok("POST", "/contests", {**body, **extra}, 201)


def advance_to(api: Api, contest_id: str, stage: str) -> None:
    current = api.ok("GET", f"/contests/{contest_id}")["stage"]
    while current != stage:
        current = api.ok("POST", f"/contests/{contest_id}/advance")["stage"]


def wait_for(check, seconds: float = 40) -> bool:
    """Polls `check` every 0.2 s until it holds (True) or `seconds` pass (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False
