"""Judge analytics (R10): severity, the corridor and Kendall's W, worked by hand on small panels."""

from decimal import Decimal

from domain.analytics import OutsideMark, judge_profile, kendall_w

from .helpers import advance_to, build_judges, build_town, marks_for, open_account, schedule

D = Decimal

# Six judges, so the other five are trimmed 1 + 1 under R1 (5 judges and up). Scale 100: corridor 15.
SIX = {
    "A": {"J1": D(70), "J2": D(72), "J3": D(74), "J4": D(76), "J5": D(78), "J6": D(95)},
    "B": {"J1": D(60), "J2": D(61), "J3": D(62), "J4": D(63), "J5": D(64), "J6": D(80)},
    "C": {"J1": D(50), "J2": D(50), "J3": D(50), "J4": D(50), "J5": D(50), "J6": D(50)},
    "D": {"J1": D(40), "J2": D(40), "J3": D(40), "J4": D(40), "J5": D(40), "J6": D(55)},
}


def profile(judge):
    return judge_profile(SIX, judge, D(100), tiers=((5, 1),))


def test_a_lenient_judge_has_a_positive_severity_and_marks_outside_the_corridor():
    # J6. A: others 70..78, drop 70 and 78 -> (72+74+76)/3 = 74; 95-74 = +21, outside (> 15).
    # B: others 60..64 -> (61+62+63)/3 = 62; 80-62 = +18, outside. C: 50-50 = 0.
    # D: others all 40 -> 40; 55-40 = +15, on the line, not outside. Severity (21+18+0+15)/4 = 13.5.
    six = profile("J6")
    assert six.severity == D("13.5")
    assert six.outside_corridor == (OutsideMark("A", D(95), D(74)), OutsideMark("B", D(80), D(62)))


def test_a_strict_judge_is_measured_against_the_others_trimmed_mean():
    # J1. A: others 72,74,76,78,95, drop 72 and 95 -> (74+76+78)/3 = 76; 70-76 = -6.
    # B: others 61,62,63,64,80 -> (62+63+64)/3 = 63; 60-63 = -3. C: 0. D: others 40,40,40,40,55 -> 40; 0.
    # Severity (-6-3+0+0)/4 = -2.25.
    assert profile("J1").severity == D("-2.25") and profile("J1").outside_corridor == ()
    # J3. A: others 70,72,76,78,95 -> (72+76+78)/3 = 226/3; 74-226/3 = -4/3.
    # B: others 60,61,63,64,80 -> (61+63+64)/3 = 188/3; 62-188/3 = -2/3. C, D: 0. Severity -2/4 = -0.5.
    assert profile("J3").severity == D("-0.5")


def test_kendalls_w_averages_tied_ranks_and_corrects_for_them():
    totals = {"A": {"J1": D(90), "J2": D(85), "J3": D(70)}, "B": {"J1": D(80), "J2": D(85), "J3": D(90)},
              "C": {"J1": D(70), "J2": D(75), "J3": D(60)}, "D": {"J1": D(60), "J2": D(65), "J3": D(50)},
              "E": {"J1": D(99), "J2": D(10)}}
    # E lacks J3's sheet, so the items are A-D (n = 4) and the raters J1-J3 (m = 3). Ranks, lowest first:
    # J1: D1 C2 B3 A4; J2: D1 C2 A3.5 B3.5 (one pair tied: T = 2^3-2 = 6); J3: D1 C2 A3 B4.
    # Rank sums A 10.5, B 10.5, C 6, D 3; mean m(n+1)/2 = 7.5; S = 9 + 9 + 2.25 + 20.25 = 40.5.
    # W = 12 S / (m^2 (n^3-n) - m sum T) = 486 / (9×60 - 3×6) = 486 / 522 = 27/29.
    assert kendall_w(totals) == D(27) / D(29)


def test_kendalls_w_is_1_when_the_judges_agree_and_absent_with_nothing_to_compare():
    agree = {"A": {"J1": D(90), "J2": D(80)}, "B": {"J1": D(70), "J2": D(60)}, "C": {"J1": D(50), "J2": D(40)}}
    assert kendall_w(agree) == 1
    assert kendall_w({"A": {"J1": D(90), "J2": D(80)}}) is None
    assert kendall_w({"A": {"J1": D(70), "J2": D(70)}, "B": {"J1": D(70), "J2": D(70)}}) is None


# Five judges over three villages of one track: the other four are not trimmed (R1 trims from 5).
PANEL = {"D1": [80, 82, 84, 86, 60], "D2": [70, 72, 74, 76, 70], "D3": [60, 61, 62, 63, 62]}


def test_the_organizer_and_the_auditor_read_a_contests_judge_analytics_and_a_judge_may_not(api):
    town = build_town(api, per_track=(3, 0, 0))
    judges = build_judges(api, 5)
    contest = schedule(api, town["town"], judges, tracks=("demonstration",))
    advance_to(api, contest["id"], "evaluation")
    for code, totals in PANEL.items():
        for judge, total in zip(judges, totals):
            api.ok("PUT", f"/contests/{contest['id']}/sheets/{town['villages'][code]}", {"marks": marks_for(total)},
                   201, token=judge["token"])
    auditor = open_account(api, "审计员", "auditor")
    path = f"/contests/{contest['id']}/analytics"
    assert api.get(path, token=judges[0]["token"]).status_code == 403
    assert api.ok("GET", path, token=auditor["token"]) == api.ok("GET", path)

    analytics = api.ok("GET", path)
    by_judge = {j["judge_id"]: j for j in analytics["judges"]}
    # Judge 5. D1: others (80+82+84+86)/4 = 83; 60-83 = -23, outside the corridor of 15.
    # D2: others 73; 70-73 = -3. D3: others 61.5; 62-61.5 = +0.5. Severity (-23-3+0.5)/3 = -8.5.
    assert by_judge[judges[4]["id"]] == {"judge_id": judges[4]["id"], "severity": D("-8.5"),
                                         "outside_corridor": [{"village_id": town["villages"]["D1"],
                                                               "total": 60, "others_mean": 83}]}
    # Judge 1. D1: others (82+84+86+60)/4 = 78; +2. D2: others 73; -3. D3: others 62; -2. Severity -1.
    assert by_judge[judges[0]["id"]]["severity"] == -1
    assert [j["outside_corridor"] for j in analytics["judges"]].count([]) == 4
    # Ranks lowest first: judges 1-4 put D3 1, D2 2, D1 3; judge 5 puts D1 1, D3 2, D2 3.
    # Rank sums D1 13, D2 11, D3 6; mean 5×4/2 = 10; S = 9 + 1 + 16 = 26; W = 12×26 / (25×24) = 0.52.
    assert analytics["kendall_w"] == D("0.52")
