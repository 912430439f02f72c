"""The authorization policy: every action against every role, and the API's decorator and the web view asking it."""

import re
from pathlib import Path
from uuid import uuid4

import pytest
from flask import Flask, g

from domain.errors import ForbiddenError
from service import policy
from service.auth import Principal, may, roles

ROLES = ("organizer", "judge", "secretary", "auditor")
READERS = {"organizer", "auditor"}
READING = {"read_history", "read_analytics", "see_marks_before_publication", "preview_close", "watch_live"}

# What each role may do, written out by role: the policy's table is by action.
MAY_DO = {
    "organizer": READING | {"close_month", "run_programme", "submit_sheet", "enter_paper_sheet", "amend_after_publication",
                            "lodge_appeal", "resolve_appeal", "record_exchange",
                            "replace_token"},  # anyone's; every account may replace its own (test_security.py)
    "auditor": READING,
    "judge": {"submit_sheet"},
    "secretary": {"lodge_appeal", "record_exchange"},
}
ACTIONS = set().union(*MAY_DO.values())
SERVICE = Path(__file__).parent.parent / "service"


def someone(role: str) -> Principal:
    return Principal(uuid4(), f"一位{role}", role)


def test_the_table_holds_exactly_the_actions_this_test_knows_over_the_four_roles():
    assert set(policy.ACTIONS) == ACTIONS
    assert set(policy.ROLES) == set(ROLES) and set().union(*policy.ACTIONS.values()) <= set(ROLES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_role_may_do_an_action_exactly_when_the_table_says_and_is_refused_otherwise(action, role):
    principal = someone(role)
    assert policy.allowed(principal, action) is (action in MAY_DO[role])
    if action in MAY_DO[role]:
        policy.require(principal, action)
    else:
        with pytest.raises(ForbiddenError, match=f"The role {role} may not do this."):
            policy.require(principal, action)


def test_an_unknown_action_is_a_mistake_in_the_code_not_a_refusal():
    with pytest.raises(KeyError):
        policy.allowed(someone("organizer"), "read_everything")
    with pytest.raises(KeyError):
        may("read_everything")


def test_the_api_decorator_lets_its_roles_through_and_refuses_the_others_through_the_policy():
    history = roles("organizer", "auditor")(lambda: "events")
    analytics = may("read_analytics")(lambda: "analytics")
    with Flask(__name__).test_request_context():
        for role in ROLES:
            g.principal = someone(role)
            if role in READERS:
                assert history() == "events" and analytics() == "analytics"
            else:
                for view in (history, analytics):
                    with pytest.raises(ForbiddenError, match=f"The role {role} may not do this."):
                        view()


def test_the_web_view_asks_the_table_about_roles_instead_of_comparing_them_itself():
    code = "\n".join(p.read_text() for p in (SERVICE / "web").glob("*.py"))
    templates = "\n".join(p.read_text() for p in (SERVICE / "templates" / "web").glob("*.html"))
    assert not re.search(r"\.role\s*(==|!=|in\b|not in\b)", code + templates)
    asked = set(re.findall(r'allowed\(g\.viewer, "(\w+)"\)', code)) | set(re.findall(r"may\('(\w+)'\)", templates))
    assert asked == {"read_history", "read_analytics", "see_marks_before_publication", "close_month",
                     "submit_sheet", "enter_paper_sheet", "amend_after_publication", "watch_live"}
    assert asked <= set(policy.ACTIONS)
