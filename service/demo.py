"""`leitai demo`: a year of 大曹镇 (宁津县) loaded through the HTTP API, the same for the same seed.

Nothing here touches the store: every village, sheet and closed month goes through `/api/v1` like a
client's would, over one kept-alive connection. The randomness is drawn from `random.Random` seeded
by the seed and by what it is for (a month, a track, a purpose), so the same seed gives the same
boards whatever the server answers in between.
"""

import http.client
import itertools
import json
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlsplit

from tqdm import tqdm

YEAR = 2023
PREFIX = "/api/v1"
TRACKS = ("demonstration", "excellence", "foundation")
TRACK_SHARES = {"demonstration": 10, "excellence": 15}  # of 45; foundation takes the rest (about 20)
TRACK_QUALITY = {"demonstration": (0.82, 0.94), "excellence": (0.70, 0.84), "foundation": (0.55, 0.75)}

SURNAMES = "王李张刘陈杨赵孙马孟高郭徐宋于韩田郑崔董魏吕袁邢史盖尚贾谷丁任姜侯邵程苏许范殷"
PLACE_ENDINGS = ("庄", "家", "集", "店", "楼", "屯", "官庄", "家寨", "洼", "桥", "营", "辛庄")
SIDES = "东西南北前后大小"
GIVEN_NAMES = ("建国", "建军", "志强", "志刚", "国庆", "海涛", "红梅", "秀英", "玉兰", "春生", "立新", "卫东",
               "振华", "德明", "宝山", "金生", "桂芳", "淑珍", "永刚", "长青", "庆华", "文涛", "俊峰", "明亮",
               "丽娟", "凤英", "树林", "成林", "新民", "学军")
JUDGES = (("张志远", "镇党委组织委员"), ("李秀华", "镇人大主席"), ("王建民", "县委组织部组织科"),
          ("刘振国", "镇纪委书记"), ("陈淑芳", "镇妇联主席"), ("赵立军", "镇农业农村办主任"),
          ("孙海燕", "镇党政办主任"))

DUTY_ITEMS = (("党建工作", 30), ("产业发展", 25), ("人居环境", 20), ("民生服务", 15), ("矛盾调解", 10))
CRITERIA = [{"key": "work", "label": "工作实绩", "max": 40}, {"key": "talk", "label": "汇报演讲", "max": 30},
            {"key": "idea", "label": "思路举措", "max": 20}, {"key": "style", "label": "精神面貌", "max": 10}]

# One theme a month (一周期一比武、一擂台一主题), turning through the five domains; the first two are the article's.
TOPICS = (("人居环境整治", "environment"), ("村级活动场所规范情况", "party_building"),
          ("特色产业发展与村集体增收", "industry"), ("民生实事办理", "livelihood"), ("矛盾纠纷排查化解", "governance"),
          ("美丽庭院创建", "environment"), ("“三会一课”与党员教育管理", "party_building"),
          ("土地流转与规模经营", "industry"), ("养老助残与困难群众帮扶", "livelihood"),
          ("移风易俗与文明乡风", "governance"), ("冬季清洁取暖与村庄保洁", "environment"),
          ("年度项目建设成效", "industry"))
FORMS = {"environment": ("on_site", "project"), "party_building": ("meeting", "on_site"),
         "industry": ("project", "on_site", "meeting"), "livelihood": ("meeting", "on_site"),
         "governance": ("meeting", "on_site")}
VENUES = {"meeting": ("会议室",), "on_site": ("大街小巷", "田间地头"), "project": ("项目现场", "田间地头")}

PRAISE = ("思路清晰、举措扎实", "亮点突出、群众认可度高", "台账规范、推进有力", "汇报条理清楚、数据翔实")
ADVICE = ("建议建立长效管护机制", "还需进一步发动党员群众参与", "要把短板弱项列出清单、限时整改",
          "可学习先进村经验、形成特色做法")
CORRECTION_REASONS = ("誊写笔误，更正汇报演讲得分", "复核现场观摩记录后更正", "漏计加分项，予以补正")
EXCUSED_REASONS = ("参加县委组织部培训（已请假）", "因病请假", "处理村内突发汛情（已报备）")
UNEXCUSED_REASONS = ("未按时到场，未请假", "无故缺席")
EXCHANGE_TOPICS = ("人居环境长效管护", "村集体经济增收路子", "党员积分制管理", "矛盾纠纷调处办法",
                   "庭院经济发展", "村务公开与民主议事")
APPEAL_REASONS = ("现场观摩时部分评委未到本村查看，实绩分偏低", "汇报材料中的数据评委未予采信，申请复核",
                  "评分明显低于往月水平，申请复核")
RESOLUTIONS = {"rejected": ("经复核，评分程序规范、评分依据充分，维持原评分", "评委会复议后认为原评分无误，不予支持"),
               "upheld": ("经复核，有评委漏看现场台账，申诉成立", "复核现场记录后确认评分偏低，申诉成立")}


class DemoError(Exception):
    """Something the person running the demo has to fix: no token, no server, a refused request."""


class Client:
    """JSON over one kept-alive HTTP connection, opened again once if the server has closed it.

    Every write carries an Idempotency-Key, so sending it again on a fresh connection never records it twice.
    """

    def __init__(self, url: str, token: str):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise DemoError(f"cannot use the URL {url!r}: give it as http://host:port")
        self.url, self.parts, self.token = url.rstrip("/"), parts, token
        self.connection = None
        self.keys = (f"demo-{uuid.uuid4().hex[:12]}-{n}" for n in itertools.count(1))
        self.requests = 0

    def connect(self) -> http.client.HTTPConnection:
        kind = http.client.HTTPSConnection if self.parts.scheme == "https" else http.client.HTTPConnection
        return kind(self.parts.hostname, self.parts.port, timeout=120)

    def call(self, method: str, path: str, body=None, token: str | None = None, ok=(200, 201)):
        status, data = self.send(method, PREFIX + path, body, token or self.token)
        if status not in ok:
            message = data.get("message") if isinstance(data, dict) else data
            details = f" {data['errors']}" if isinstance(data, dict) and data.get("errors") else ""
            raise DemoError(f"{method} {path} answered {status}: {message}{details}")
        return data

    def get(self, path: str, **kw):
        return self.call("GET", path, **kw)

    def post(self, path: str, body=None, **kw):
        return self.call("POST", path, {} if body is None else body, **kw)

    def put(self, path: str, body, **kw):
        return self.call("PUT", path, body, **kw)

    def send(self, method: str, path: str, body, token: str | None) -> tuple[int, object]:
        payload = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if payload is not None:
            headers |= {"Content-Type": "application/json", "Idempotency-Key": next(self.keys)}
        for attempt in (1, 2):
            try:
                return self.exchange(method, path, payload, headers)
            except (http.client.RemoteDisconnected, http.client.CannotSendRequest, ConnectionResetError,
                    BrokenPipeError) as error:
                self.close()
                if attempt == 2:
                    raise DemoError(f"{method} {path}: the server dropped the connection ({error})") from error
            except OSError as error:
                self.close()
                raise DemoError(f"cannot reach {self.url} ({error}): is `leitai serve` running there?") from error

    def exchange(self, method: str, path: str, payload: bytes | None, headers: dict) -> tuple[int, object]:
        if self.connection is None:
            self.connection = self.connect()
        self.connection.request(method, path, payload, headers)
        response = self.connection.getresponse()
        raw = response.read()
        self.requests += 1
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        try:
            return response.status, json.loads(raw, parse_float=Decimal) if raw else None
        except ValueError:
            return response.status, raw.decode(errors="replace")[:200]

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


@dataclass(eq=False)
class Village:
    """A village of the demo with its latent quality: a level, a trend per month, and how it wavers."""

    code: str
    name: str
    track: str
    secretary: str
    level: float
    trend: float
    id: str = ""
    retired_from: str | None = None

    def takes_part(self, month: str) -> bool:
        return self.retired_from is None or month < self.retired_from

    def quality(self, month_index: int, wobble: float) -> float:
        return clamp(self.level + self.trend * month_index + wobble, 0.35, 0.99)


@dataclass(eq=False)
class Judge:
    """A judge's tendency: how far below or above the others they mark (severity) and how unevenly."""

    name: str
    title: str
    offset: float
    spread: float
    id: str = ""
    token: str = ""
    village: Village | None = None  # a peer judge comes from a village and may not score it (回避)


@dataclass(eq=False)
class SecretaryChange:
    """A village's new secretary from a day of the year; the old one answers for the periods ending before."""

    village: Village
    old: str
    new: str
    since: str


@dataclass
class Demo:
    seed: int
    villages: list[Village]
    judges: list[Judge]
    months: list[str]
    town_id: str = ""
    auditor_token: str = ""
    secretaries: dict[str, str] = field(default_factory=dict)  # village id -> token
    pairings: list[dict] | None = field(default_factory=list)  # None: the server has no pairings
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("contests", "sheets", "corrections", "absences", "exchanges", "interviews"), 0))
    change: SecretaryChange | None = None
    retire_month: str | None = None
    retired: Village | None = None
    appeal_month: str = ""
    appeals: list[tuple[Village, str]] = field(default_factory=list)  # (village, what came of it), as heard
    held: dict[str, list[tuple[str, dict]]] = field(default_factory=dict)  # month -> (contest id, sheets)

    def rng(self, *purpose) -> random.Random:
        """A generator of its own for each purpose, so one purpose's draws never shift another's."""
        return random.Random(":".join(map(str, (self.seed, *purpose))))

    def of_track(self, track: str, month: str | None = None) -> list[Village]:
        """The track's villages; with a month, only those still taking part then."""
        return [v for v in self.villages if v.track == track and (month is None or v.takes_part(month))]

    def by_id(self, village_id: str) -> Village:
        return next(v for v in self.villages if v.id == village_id)


def clamp(x: float, low: float, high: float) -> float:
    return max(low, min(high, x))


def halves(x: float) -> float:
    """Marks and duty scores in half points, as the paper sheets have them."""
    return round(x * 2) / 2


# The plan: everything drawn before the first request.

def plan(seed: int, size: int, months: int) -> Demo:
    rng = random.Random(seed)
    names = village_names(rng, size)
    tracks = track_list(size)
    rng.shuffle(tracks)
    villages = [make_village(rng, n, name, surname, track)
                for n, ((name, surname), track) in enumerate(zip(names, tracks), 1)]
    judges = [Judge(f"{name}（{title}）", title, rng.uniform(-6, 5), rng.uniform(1.5, 6.5))
              for name, title in JUDGES[:rng.randint(5, 7)]]
    demo = Demo(seed, villages, judges, [f"{YEAR}-{m:02d}" for m in range(1, months + 1)])
    plan_people(demo)
    return demo


def plan_people(demo: Demo) -> None:
    """R14 (people and process), drawn on its own generator so the villages and judges above stay as they were."""
    rng = demo.rng("people")
    peer = rng.choice(demo.of_track("demonstration"))
    demo.judges.append(Judge(f"{peer.secretary}（{peer.name}党支部书记）", "示范村党支部书记",
                             rng.uniform(-3, 3), rng.uniform(1.5, 4.0), village=peer))
    later = demo.months[1:] or demo.months  # partway through the year when there is more than one month
    village = rng.choice([v for v in demo.villages if v is not peer])
    since = f"{rng.choice(later)}-{rng.randint(5, 25):02d}"
    demo.change = SecretaryChange(village, village.secretary, new_secretary(rng, village.secretary), since)
    demo.retire_month = rng.choice(demo.months[1:]) if len(demo.months) > 1 else None
    demo.appeal_month = rng.choice(later)


def new_secretary(rng: random.Random, old: str) -> str:
    while (name := rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)) == old:
        pass
    return name


def track_list(size: int) -> list[str]:
    counts = {track: max(1, round(size * share / 45)) for track, share in TRACK_SHARES.items()}
    counts["foundation"] = size - sum(counts.values())
    return [track for track in TRACKS for _ in range(counts[track])]


def village_names(rng: random.Random, size: int) -> list[tuple[str, str]]:
    """大曹村 first, then names like 王庄村, 李家村, 东孙官庄村, each once."""
    names = {"大曹村": "曹"}
    while len(names) < size:
        surname = rng.choice(SURNAMES)
        place = surname + rng.choice(PLACE_ENDINGS)
        if rng.random() < 0.2:
            place = rng.choice(SIDES) + place
        names.setdefault(place + "村", surname)
    return list(names.items())


def make_village(rng: random.Random, n: int, name: str, surname: str, track: str) -> Village:
    secretary = (surname if rng.random() < 0.6 else rng.choice(SURNAMES)) + rng.choice(GIVEN_NAMES)
    trend = rng.uniform(0.012, 0.022) if rng.random() < 0.15 else rng.gauss(0, 0.004)
    return Village(f"DC{n:03d}", name, track, secretary, rng.uniform(*TRACK_QUALITY[track]), trend)


# The steps, each one or a few requests.

def steps(demo: Demo, api: Client) -> list[tuple[str, Callable[[], None]]]:
    setup = [("乡镇 town", lambda: create_town(demo, api))]
    setup += [(f"村 {v.code}", lambda v=v: register(demo, api, v)) for v in demo.villages]
    setup += [("评委 judges", lambda: open_judges(demo, api)), ("审计 auditor", lambda: open_auditor(demo, api))]
    for index, month in enumerate(demo.months):
        setup += people_steps(demo, api, month)
        setup += [(f"{month} 职责清单 {v.code}", lambda i=index, m=month, v=v: record_duty(demo, api, i, m, v))
                  for v in demo.villages]
        setup += [(f"{month} 擂台 {track}", lambda i=index, m=month, t=track: run_contest(demo, api, i, m, t))
                  for track in TRACKS]
        if month == demo.appeal_month:
            setup.append((f"{month} 申诉", lambda m=month: hear_appeals(demo, api, m)))
        setup += [(f"{month} 结对交流", lambda m=month: record_exchanges(demo, api, m)),
                  (f"{month} 月度关账", lambda i=index, m=month: close_month(demo, api, i, m))]
    return setup


def people_steps(demo: Demo, api: Client, month: str) -> list[tuple[str, Callable[[], None]]]:
    """What changes before a month's duty lists: closed months are read-only, so it goes in while this one is open."""
    found = []
    if demo.change and demo.change.since.startswith(month):
        found.append((f"{month} 书记调整", lambda: change_secretary(demo, api)))
    if month == demo.retire_month:
        found.append((f"{month} 村庄撤并", lambda: retire_village(demo, api, month)))
    return found


def create_town(demo: Demo, api: Client) -> None:
    demo.town_id = api.post("/towns", {"name": "大曹镇", "county": "宁津县"})["id"]


def register(demo: Demo, api: Client, village: Village) -> None:
    body = {"town_id": demo.town_id, "code": village.code, "name": village.name, "track": village.track,
            "secretary": {"name": village.secretary}}
    village.id = api.post("/villages", body)["id"]


def open_judges(demo: Demo, api: Client) -> None:
    for judge in demo.judges:
        body = {"name": f"评委 {judge.name}", "role": "judge"}
        if judge.village:
            body["village_id"] = judge.village.id
        account = api.post("/accounts", body)
        judge.id, judge.token = account["id"], account["token"]


def open_auditor(demo: Demo, api: Client) -> None:
    demo.auditor_token = api.post("/accounts", {"name": "审计 县委组织部督查组", "role": "auditor"})["token"]


def wobble(demo: Demo, month: str) -> dict[str, float]:
    """How each village's month goes against its trend, drawn once per month."""
    rng = demo.rng(month, "wobble")
    return {v.code: rng.gauss(0, 0.025) for v in demo.villages}


def record_duty(demo: Demo, api: Client, index: int, month: str, village: Village) -> None:
    if not village.takes_part(month):
        return  # a retired village owes no duty list
    rng = demo.rng(month, village.code, "duty")
    quality = village.quality(index, wobble(demo, month)[village.code])
    items = [{"item": item, "score": halves(top * clamp(quality + rng.gauss(0, 0.05), 0.3, 1.0)), "max": top}
             for item, top in DUTY_ITEMS]
    api.put(f"/villages/{village.id}/duty/{month}", {"items": items})


# A contest: 现场观摩—汇报演讲—书记点评—集中评比, then published.

def run_contest(demo: Demo, api: Client, index: int, month: str, track: str) -> None:
    rng = demo.rng(month, track, "contest")
    theme, domain = TOPICS[index % len(TOPICS)]
    form = rng.choice(FORMS[domain])
    body = {"town_id": demo.town_id, "month": month, "theme": theme, "domain": domain, "form": form,
            "venue": rng.choice(VENUES[form]), "tracks": [track], "judges": [j.id for j in demo.judges],
            "criteria": CRITERIA}
    contest = api.post("/contests", body)["id"]
    demo.counts["contests"] += 1
    villages = demo.of_track(track, month)
    absent = record_absence(demo, api, rng, contest, villages)
    present = [v for v in villages if v is not absent]
    for _ in ("observation", "presentation", "commentary"):
        api.post(f"/contests/{contest}/advance")
    comment(api, rng, contest, theme, present)
    api.post(f"/contests/{contest}/advance")
    sheets = mark(demo, rng, index, month, present)
    submit(demo, api, rng, contest, sheets)
    correct(demo, api, rng, contest, sheets)
    api.post(f"/contests/{contest}/publish")
    demo.held.setdefault(month, []).append((contest, sheets))


def record_absence(demo: Demo, api: Client, rng: random.Random, contest: str, villages: list[Village]):
    if len(villages) < 3 or rng.random() >= 0.25:
        return None
    village, excused = rng.choice(villages), rng.random() < 0.6
    reason = rng.choice(EXCUSED_REASONS if excused else UNEXCUSED_REASONS)
    api.post(f"/contests/{contest}/absences", {"village_id": village.id, "excused": excused, "reason": reason})
    demo.counts["absences"] += 1
    return village


def comment(api: Client, rng: random.Random, contest: str, theme: str, villages: list[Village]) -> None:
    for village in rng.sample(villages, min(2, len(villages))):
        text = f"书记点评：{village.name}{theme}工作{rng.choice(PRAISE)}，{rng.choice(ADVICE)}。"
        api.post(f"/contests/{contest}/commentaries", {"village_id": village.id, "text": text})


def mark(demo: Demo, rng: random.Random, index: int, month: str, villages: list[Village]) -> dict:
    """(judge, village) -> marks: the village's quality that day, through each judge's tendency."""
    wobbles, sheets = wobble(demo, month), {}
    for village in villages:
        day = village.quality(index, wobbles[village.code]) + rng.gauss(0, 0.04)
        for judge in demo.judges:
            if judge.village is village:
                continue  # recused (回避): the rest of the panel scores their village
            level = day + (judge.offset + rng.gauss(0, judge.spread)) / 100
            sheets[judge, village] = {c["key"]: halves(c["max"] * clamp(level + rng.gauss(0, 0.03), 0.2, 1.0))
                                      for c in CRITERIA}
    return sheets


def submit(demo: Demo, api: Client, rng: random.Random, contest: str, sheets: dict) -> None:
    """One judge enters a few sheets on their own tablet; the paper sheets go in as one batch."""
    judge = rng.choice(demo.judges)
    own = [(judge, v) for j, v in sheets if j is judge][:3]
    for key in own:
        api.put(f"/contests/{contest}/sheets/{key[1].id}", {"marks": sheets[key]}, token=judge.token)
    batch = [{"judge_id": j.id, "village_id": v.id, "marks": marks}
             for (j, v), marks in sheets.items() if (j, v) not in own]
    if batch:
        api.post(f"/contests/{contest}/sheets/batch", {"sheets": batch})
    demo.counts["sheets"] += len(sheets)


def correct(demo: Demo, api: Client, rng: random.Random, contest: str, sheets: dict) -> None:
    """Now and then a judge corrects one of their sheets before publication (R8), with a reason."""
    if not sheets or rng.random() >= 0.35:
        return
    judge, village = rng.choice(sorted(sheets, key=lambda key: (key[1].code, key[0].name)))
    marks = retalked(sheets[judge, village], rng.choice((-3, -2, -1, 1, 2, 3)))
    body = {"marks": marks, "reason": rng.choice(CORRECTION_REASONS)}
    api.post(f"/contests/{contest}/sheets/{village.id}/corrections", body, token=judge.token)
    sheets[judge, village] = marks
    demo.counts["corrections"] += 1


def retalked(marks: dict, change: int) -> dict:
    """The marks with 汇报演讲 moved by `change` within 0..30, and moved for sure."""
    new = dict(marks)
    new["talk"] = clamp(marks["talk"] + change, 0, 30)
    if new["talk"] == marks["talk"]:
        new["talk"] = 15 if marks["talk"] != 15 else 16
    return new


# People and process (R14): a new secretary, a retired village, appeals.

def change_secretary(demo: Demo, api: Client) -> None:
    """调整: the new secretary takes over on a day of the month and gets an account in their own name."""
    change = demo.change
    api.post(f"/villages/{change.village.id}/secretary", {"name": change.new, "since": change.since})
    change.village.secretary = change.new
    open_secretary(demo, api, change.village)


def retire_village(demo: Demo, api: Client, month: str) -> None:
    """村庄撤并: a village without pairing, account or peer judge leaves, from a track that keeps at least two."""
    busy = {p[k] for p in demo.pairings or [] for k in ("advanced", "lagging")} | set(demo.secretaries)
    busy |= {j.village.id for j in demo.judges if j.village} | {demo.change.village.id}
    candidates = [v for v in demo.villages if v.id not in busy and len(demo.of_track(v.track, month)) > 2]
    if not candidates:
        return
    village = demo.rng(month, "retire").choice(candidates)
    api.post(f"/villages/{village.id}/retire", {"effective_from": month, "reason": "村庄撤并"})
    village.retired_from, demo.retired = month, village


def hear_appeals(demo: Demo, api: Client, month: str) -> None:
    """申诉 within the window after publication: two villages appeal, the first is rejected, the second upheld.

    Villages with their own secretary account come first, so those appeals are lodged by the secretary; an open
    appeal would block the month's close, so both are answered here.
    """
    rng = demo.rng(month, "appeals")
    entries = [(contest, sheets, v) for contest, sheets in demo.held[month]
               for v in sorted({v for _, v in sheets}, key=lambda v: v.code)]
    rng.shuffle(entries)
    entries.sort(key=lambda entry: entry[2].id not in demo.secretaries)
    for (contest, sheets, village), outcome in zip(entries, ("rejected", "upheld")):
        body = {"village_id": village.id, "reason": rng.choice(APPEAL_REASONS)}
        appeal = api.post(f"/contests/{contest}/appeals", body, token=demo.secretaries.get(village.id))["id"]
        api.post(f"/appeals/{appeal}/resolve", {"outcome": outcome, "reason": rng.choice(RESOLUTIONS[outcome])})
        amended = outcome == "upheld" and amend(demo, api, rng, contest, sheets, village)
        demo.appeals.append((village, f"{outcome}, sheet amended" if amended else outcome))


def amend(demo: Demo, api: Client, rng: random.Random, contest: str, sheets: dict, village: Village) -> bool:
    """The organiser raises one of the village's sheets on the upheld appeal (R8), a new results revision."""
    judges = sorted((j for j, v in sheets if v is village and sheets[j, v]["talk"] < 30), key=lambda j: j.name)
    if not judges:
        return False  # every sheet already has full marks for 汇报演讲: nothing to raise
    judge = rng.choice(judges)
    marks = retalked(sheets[judge, village], rng.choice((1, 2, 3)))
    body = {"marks": marks, "reason": "申诉成立，更正评分", "judge_id": judge.id}
    api.post(f"/contests/{contest}/sheets/{village.id}/corrections", body)
    sheets[judge, village] = marks
    demo.counts["corrections"] += 1
    return True


# Closing a month, and what follows it: pairings, their exchanges, interviews.

def close_month(demo: Demo, api: Client, index: int, month: str) -> None:
    board = api.post(f"/towns/{demo.town_id}/months/{month}/close")
    if index == 0 and len(demo.months) > 1:
        form_pairings(demo, api, board, demo.months[1])
        open_secretaries(demo, api)
        hold_interviews(demo, api, "monthly", month, demo.months[1], 2)
    if month.endswith("-03"):
        hold_interviews(demo, api, "quarterly", f"{YEAR}-Q1", f"{YEAR}-04", 1)


def form_pairings(demo: Demo, api: Client, board: dict, from_month: str) -> None:
    """先进村带后进村: the bottom villages of each track with the top ones of the first month."""
    for track in TRACKS:
        rows = board["tracks"].get(track, [])
        count = min(3, len(rows) // 2)
        for advanced, lagging in zip(rows[:count], reversed(rows[-count:] if count else [])):
            body = {"advanced_village_id": advanced["village_id"], "lagging_village_id": lagging["village_id"],
                    "from_month": from_month}
            status, data = api.send("POST", f"{PREFIX}/pairings", body, api.token)
            if status in (404, 405) and not demo.pairings:
                demo.pairings = None
                tqdm.write(f"POST /pairings answered {status}: this server has no pairings yet, so they are skipped")
                return
            if status != 201:
                raise DemoError(f"POST /pairings answered {status}: {data}")
            demo.pairings.append({"id": data["id"], "advanced": advanced["village_id"],
                                  "lagging": lagging["village_id"]})


def open_secretaries(demo: Demo, api: Client) -> None:
    """Secretaries of a couple of villages: the first pairing's two, who then record their own exchanges."""
    first = demo.pairings[0] if demo.pairings else None
    ids = [first["advanced"], first["lagging"]] if first else [v.id for v in demo.villages[:2]]
    for village_id in ids:
        open_secretary(demo, api, demo.by_id(village_id))


def open_secretary(demo: Demo, api: Client, village: Village) -> None:
    """Named exactly as the secretary in office: that is how their notices find this account."""
    account = api.post("/accounts", {"name": village.secretary, "role": "secretary", "village_id": village.id})
    demo.secretaries[village.id] = account["token"]


def record_exchanges(demo: Demo, api: Client, month: str) -> None:
    """R12 asks for 2 offline exchanges a month; most pairs manage it, some fall short."""
    for pairing in demo.pairings or []:
        advanced, lagging = demo.by_id(pairing["advanced"]), demo.by_id(pairing["lagging"])
        rng = demo.rng(month, advanced.code, lagging.code, "exchanges")
        offline = rng.choices((0, 1, 2, 3), weights=(1, 2, 5, 3))[0]
        modes = ["offline"] * offline + (["online"] if rng.random() < 0.3 else [])
        days = sorted(rng.sample(range(1, 29), len(modes)))
        token = demo.secretaries.get(lagging.id) or demo.secretaries.get(advanced.id)
        for day, mode in zip(days, modes):
            summary = (f"{lagging.name}到{advanced.name}{'实地' if mode == 'offline' else '视频'}交流"
                       f"{rng.choice(EXCHANGE_TOPICS)}")
            api.post(f"/pairings/{pairing['id']}/exchanges", {"date": f"{month}-{day:02d}", "mode": mode,
                                                             "summary": summary}, token=token)
            demo.counts["exchanges"] += 1


def hold_interviews(demo: Demo, api: Client, level: str, period: str, next_month: str, count: int) -> None:
    """约谈: schedule the first few interviews a closed period requires and hold the first."""
    required = api.get(f"/interviews?town_id={demo.town_id}&level={level}&status=required")
    codes = {v.id: v.code for v in demo.villages}
    chosen = sorted((i for i in required if i["period"] == period),
                    key=lambda i: (i["score"], codes[i["village_id"]]))[:count]
    for n, interview in enumerate(chosen):
        api.post(f"/interviews/{interview['id']}/schedule", {"at": f"{next_month}-0{5 + n}T09:30:00+08:00"})
        demo.counts["interviews"] += 1
        if n == 0:
            minutes = (f"{interview['conductor']}约谈{interview['secretary']}：指出{period}排名靠后的原因，"
                       "明确整改措施和完成时限，下月跟踪问效。")
            api.post(f"/interviews/{interview['id']}/hold",
                     {"held_at": f"{next_month}-05T10:30:00+08:00", "minutes": minutes})


# Running it.

def load(url: str, token: str | None, seed: int = 2023, size: int = 45, months: int = 12,
         progress: bool = True) -> None:
    """Load the demo town through the API at `url` and print where to look; DemoError says what went wrong."""
    if not token:
        raise DemoError("no organizer token: pass --token or set LEITAI_BOOTSTRAP_TOKEN")
    if size < 3:
        raise DemoError("give at least 3 villages, one for each track")
    if not 1 <= months <= 12:
        raise DemoError("give between 1 and 12 months")
    api, demo = Client(url, token), plan(seed, size, months)
    check_server(api)
    started = time.monotonic()
    todo = steps(demo, api)
    with tqdm(todo, desc="大曹镇", unit="步", disable=not progress, dynamic_ncols=True) as bar:
        for label, step in bar:
            bar.set_postfix_str(label, refresh=False)
            step()
    api.close()
    report(demo, api, url.rstrip("/"), time.monotonic() - started)


def check_server(api: Client) -> None:
    status, _ = api.send("GET", "/healthz", None, None)
    if status != 200:
        raise DemoError(f"{api.url}/healthz answered {status}: is this a Leitai server?")
    status, _ = api.send("GET", f"{PREFIX}/towns", None, api.token)
    if status == 401:
        raise DemoError("the server does not accept this token: give an organizer's token with --token")


def report(demo: Demo, api: Client, url: str, seconds: float) -> None:
    last, town = demo.months[-1], demo.town_id
    sizes = "/".join(str(len(demo.of_track(t))) for t in TRACKS)
    counts = demo.counts
    print(f"\n大曹镇 (宁津县) loaded in {seconds:.1f} s, {api.requests} requests, seed {demo.seed}:")
    print(f"  {len(demo.villages)} villages ({sizes} 示范村/创优村/强基村), {len(demo.judges)} judges, "
          f"{len(demo.months)} months closed ({demo.months[0]}..{last})")
    print(f"  {counts['contests']} contests, {counts['sheets']} sheets, {counts['corrections']} corrections, "
          f"{counts['absences']} absences, {counts['interviews']} interviews scheduled")
    if demo.pairings is None:
        print("  pairings skipped: this server has no POST /pairings yet")
    else:
        print(f"  {len(demo.pairings)} pairings, {counts['exchanges']} exchanges")
    for line in people_lines(demo):
        print(f"  {line}")
    print(f"\n  town id            {town}")
    print(f"  monthly board      {url}{PREFIX}/towns/{town}/boards/monthly/{last}")
    print(f"  annual assessment  {url}{PREFIX}/towns/{town}/assessments/{YEAR}")
    print(f"  API docs           {url}/docs")
    print(f"  auditor token      {demo.auditor_token}")
    print(f"  replay             leitai replay --town {town} --year {YEAR}")


def people_lines(demo: Demo) -> list[str]:
    """What R14 brought to the year: the peer judge, the new secretary, the retired village, the appeals."""
    peer = next(j for j in demo.judges if j.village)
    change, retired = demo.change, demo.retired
    outcomes = "; ".join(f"{village.name} {outcome}" for village, outcome in demo.appeals)
    return [f"peer judge {peer.name}, recused from {peer.village.name}",
            f"secretary of {change.village.name}: {change.old} → {change.new} from {change.since}",
            f"{retired.name} ({retired.code}) retired from {retired.retired_from} (村庄撤并)" if retired
            else "no village retired (one month only, or none free to retire)",
            f"{len(demo.appeals)} appeals in {demo.appeal_month}: {outcomes}"]
