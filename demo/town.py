"""大曹镇 on paper: its names and tables, and the plan drawn from the seed before the first request."""

import random
from dataclasses import dataclass, field

YEAR = 2023
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


def retalked(marks: dict, change: int) -> dict:
    """The marks with 汇报演讲 moved by `change` within 0..30, and moved for sure."""
    new = dict(marks)
    new["talk"] = clamp(marks["talk"] + change, 0, 30)
    if new["talk"] == marks["talk"]:
        new["talk"] = 15 if marks["talk"] != 15 else 16
    return new
