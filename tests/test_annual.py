"""A year of closed months: annual scores, ranks, grades, pledges and award candidates; rulebook versions."""

from .helpers import build_judges, build_town
from .periods import board_rows, codes, run_month
from .test_periods import FEBRUARY

FIRST_HALF = FEBRUARY
SECOND_HALF = {**FEBRUARY, "D5": (95, 95)}


def test_a_year_of_closed_months_grades_every_village(api):
    town = build_town(api, per_track=(5, 4, 3))
    judges = build_judges(api, 5)
    tid, code_of = town["town"], {v: c for c, v in town["villages"].items()}
    for month in range(1, 13):
        run_month(api, town, judges, f"2023-{month:02d}", FIRST_HALF if month <= 6 else SECOND_HALF)
        api.ok("POST", f"/towns/{tid}/months/2023-{month:02d}/close")
        if month == 6:
            halfway = api.ok("GET", f"/towns/{tid}/assessments/2023")
            assert halfway["status"] == "provisional"

    year = api.ok("GET", f"/towns/{tid}/assessments/2023")
    assert year["status"] == "closed" and year["year"] == "2023" and year["rulebook_version"] == 1
    # D5: six months at 60.00 and six at 95.00: (360 + 570) / 12 = 77.50, still last of five.
    # Grades per track: 优秀 for max(1, ⌊20% × n⌋) = 1 village; 较差 for the bottom 3 taken as in R5, at most
    # half the track (⌊5/2⌋ = 2, ⌊4/2⌋ = 2, ⌊3/2⌋ = 1) and never an 优秀 village; 良好 the rest.
    got = {code_of[r["village_id"]]: (f"{r['score']:.2f}", r["rank"], r["grade"], r["months"])
           for rows in year["tracks"].values() for r in rows}
    assert got == {
        "D1": ("90.00", 1, "excellent", 12), "D2": ("85.00", 2, "good", 12), "D3": ("80.00", 3, "good", 12),
        "D4": ("78.00", 4, "poor", 12), "D5": ("77.50", 5, "poor", 12),
        "E1": ("88.00", 1, "excellent", 12), "E2": ("80.00", 2, "good", 12), "E3": ("73.00", 3, "poor", 12),
        "E4": ("62.00", 4, "poor", 12),
        "F2": ("72.00", 1, "excellent", 12), "F1": ("70.00", 2, "good", 12), "F3": ("47.00", 3, "poor", 12)}
    assert year["labels"]["grades"] == {"excellent": "优秀", "good": "良好", "poor": "较差"}
    assert {t: codes(ids, code_of) for t, ids in year["awards"].items()} == {
        "demonstration": {"D1"}, "excellence": {"E1"}, "foundation": {"F2"}}

    pledges = api.ok("GET", f"/interviews?town_id={tid}&level=annual")
    assert codes([p["village_id"] for p in pledges], code_of) == {"D4", "D5", "E3", "E4", "F3"}
    assert {(p["period"], p["conductor"]) for p in pledges} == {("2023", "全镇大会（表态发言）")}
    quarters = api.ok("GET", f"/interviews?town_id={tid}&level=quarterly")
    assert {q["period"] for q in quarters} == {"2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"}


def test_a_rulebook_adopted_mid_year_applies_from_its_month_only(api):
    town = build_town(api, per_track=(2, 0, 0))
    judges = build_judges(api, 3)
    tid, code_of = town["town"], {v: c for c, v in town["villages"].items()}
    adopted = api.ok("PUT", f"/towns/{tid}/rulebook",
                     {"effective_from": "2023-03", "weights": {"duty": 0.5, "contest": 0.5}})
    assert adopted["version"] == 2 and adopted["top_n"] == 3 and adopted["trim"] == {"min_judges": 5, "drop": 1}
    before = api.position()
    assert api.put(f"/towns/{tid}/rulebook", {"effective_from": "2023-02", "top_n": 2}).status_code == 409
    assert api.put(f"/towns/{tid}/rulebook", {"effective_from": "2023-04", "weights": {"duty": 2}}).status_code == 422
    assert api.position() == before

    figures = {"D1": (80, 60), "D2": (70, 90)}
    for month in ("2023-02", "2023-03"):
        run_month(api, town, judges, month, figures)
        api.ok("POST", f"/towns/{tid}/months/{month}/close")
    february = api.ok("GET", f"/towns/{tid}/boards/monthly/2023-02")
    march = api.ok("GET", f"/towns/{tid}/boards/monthly/2023-03")
    # Version 1 (0.7/0.3): D1 56 + 18 = 74.00, D2 49 + 27 = 76.00. Version 2 (0.5/0.5): D1 70.00, D2 80.00.
    assert february["rulebook_version"] == 1 and march["rulebook_version"] == 2
    assert {c: v[0] for c, v in board_rows(february, code_of).items()} == {"D1": "74.00", "D2": "76.00"}
    assert {c: v[0] for c, v in board_rows(march, code_of).items()} == {"D1": "70.00", "D2": "80.00"}
    town_view = api.ok("GET", f"/towns/{tid}")
    assert [b["version"] for b in town_view["rulebooks"]] == [1, 2] and town_view["rulebook"]["version"] == 2
