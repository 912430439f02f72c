"""A client generated from /openapi.json by openapi-python-client, as an API integrator would make one:
it types every operation (only an event's free-form `data` is left untyped) and runs a contest over HTTP."""

import importlib
import inspect
import json
import pkgutil
import re
import subprocess
import sys
import typing
from pathlib import Path

import httpx
import pytest

from service.app import create_app
from service.config import Settings

from .servers import TOKEN, Served

GENERATOR = str(Path(sys.executable).with_name("openapi-python-client"))
PACKAGE = "leitai_client"
FREE_FORM = {"EventOutData"}  # an event's own fields differ by its type
CRITERIA = [("work", "工作实绩", 40), ("talk", "汇报演讲", 30), ("idea", "思路举措", 20), ("style", "精神面貌", 10)]


def served_document(tmp_path_factory) -> dict:
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("document") / "var", database_url=None,
                              bootstrap_token="document-bootstrap-token-long-enough"))
    document = app.test_client().get("/openapi.json").get_json()
    app.extensions["leitai"].projector.store.close()
    app.extensions["leitai"].close()
    return document


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """(the document, what the generator printed, the generated package), generated once for the module."""
    folder = tmp_path_factory.mktemp("client")
    document = served_document(tmp_path_factory)
    (folder / "openapi.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    (folder / "config.yaml").write_text("post_hooks: []\n")  # no formatting pass: nothing to do with the typing
    run = subprocess.run([GENERATOR, "generate", "--path", "openapi.json", "--output-path", PACKAGE, "--meta", "none",
                          "--config", "config.yaml"], cwd=folder, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    sys.path.insert(0, str(folder))
    yield document, run.stdout + run.stderr, importlib.import_module(PACKAGE)
    sys.path.remove(str(folder))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]


def module(name: str):
    return importlib.import_module(f"{PACKAGE}.{name}")


def operations() -> dict[str, typing.Callable]:
    """Each generated operation's sync_detailed, by module name (method and path)."""
    found = {}
    for group in pkgutil.iter_modules(module("api").__path__):
        for operation in pkgutil.iter_modules(module(f"api.{group.name}").__path__):
            found[operation.name] = module(f"api.{group.name}.{operation.name}").sync_detailed
    return found


def untyped_models() -> dict[str, set[str]]:
    """Model name -> the free-form models it reaches (itself included): those with a field typed Any."""
    models = module("models")
    classes = {name: getattr(models, name) for name in models.__all__}
    refers = {name: {word for note in cls.__annotations__.values() for word in re.findall(r"\w+", str(note)) if word in classes}
              for name, cls in classes.items()}
    direct = {name for name, cls in classes.items() if any(re.search(r"\bAny\b", str(note)) for note in cls.__annotations__.values())}

    def reached(name, path=()):
        return ({name} & direct).union(*[reached(other, path + (name,)) for other in refers[name] if other not in path])

    return {name: reached(name) for name in classes}


def untyped_in(signature: inspect.Signature, untyped: dict[str, set[str]]) -> set[str]:
    found: set[str] = set()

    def walk(kind):
        if kind is typing.Any:
            found.add("Any")
        if isinstance(kind, type) and kind.__name__ in untyped:
            found.update(untyped[kind.__name__])
        for inner in typing.get_args(kind):
            walk(inner)

    for parameter in signature.parameters.values():
        walk(parameter.annotation)
    walk(signature.return_annotation)
    return found


def test_the_generator_reports_no_warnings(generated):
    _, printed, _ = generated
    assert "warning" not in printed.lower(), printed
    assert "Generating" in printed


def test_every_operation_is_typed_but_for_an_events_data(generated):
    untyped = untyped_models()
    assert {name for name, reached in untyped.items() if name in reached} == FREE_FORM
    found = {name: untyped_in(inspect.signature(call), untyped) for name, call in operations().items()}
    loose = {name: reached for name, reached in found.items() if reached}
    assert loose == {name: FREE_FORM for name in ("get_api_v1_events", "get_api_v1_history_entity_id",
                                                  "get_api_v1_contests_contest_id_history")}
    assert len(found) >= 54
    print(f"generated client: {len(found) - len(loose)} of {len(found)} operations fully typed")


def test_the_export_is_a_file(generated):
    export = operations()["get_api_v1_towns_town_id_exports_kind_period_fmt"]
    assert "File" in str(inspect.signature(export).return_annotation)


@pytest.fixture
def served(settings):
    server = Served(settings, workers=1).start()
    yield f"http://127.0.0.1:{server.port}"
    server.stop()


def call(operation: str, client, **kw):
    """The operation's parsed answer, which must not be a refusal."""
    answer = operations()[operation](client=client, **kw)
    assert answer.status_code < 400, (operation, answer.status_code, answer.content[:300])
    return answer.parsed


def test_a_generated_client_runs_a_contest_end_to_end(generated, served):
    document, _, client_package = generated
    assert httpx.get(served + "/openapi.json").json() == document
    models = module("models")
    organizer = client_package.AuthenticatedClient(base_url=served, token=TOKEN, raise_on_unexpected_status=True)

    town = call("post_api_v1_towns", organizer, body=models.TownIn(name="大曹镇", county="宁津县"))
    assert isinstance(town, models.TownOut) and isinstance(town.rulebook.weights.duty, float)
    assert isinstance(town.rulebook.trim, (models.Trim, list)) and town.rulebook.version == 1
    villages = [call("post_api_v1_villages", organizer, body=models.VillageIn(
        town_id=town.id, code=f"D{n}", name=f"D{n}村", track=models.VillageInTrack.DEMONSTRATION,
        secretary=models.SecretaryIn(name=f"书记D{n}"))) for n in (1, 2, 3)]
    assert all(isinstance(v, models.VillageOut) and isinstance(v.secretary, models.SecretaryOut) for v in villages)
    judges = [call("post_api_v1_accounts", organizer, body=models.AccountIn(name=f"评委{n}", role=models.AccountInRole.JUDGE))
              for n in (1, 2, 3)]
    assert all(isinstance(j, models.NewAccountOut) and j.token and j.disabled is False for j in judges)

    contest = call("post_api_v1_contests", organizer, body=models.ContestIn(
        town_id=town.id, month="2023-05", theme="人居环境整治", domain=models.ContestInDomain.ENVIRONMENT,
        form=models.ContestInForm.ON_SITE, tracks=[models.ContestInTracksItem.DEMONSTRATION], judges=[j.id for j in judges],
        criteria=[models.CriterionIn(key=key, label=label, max_=most) for key, label, most in CRITERIA]))
    assert isinstance(contest, models.ContestOut) and isinstance(contest.criteria[0], models.CriterionOut)
    assert contest.stage == "scheduled" and set(contest.participants) == {v.id for v in villages}
    for _ in range(4):
        stage = call("post_api_v1_contests_contest_id_advance", organizer, contest_id=contest.id, body=models.Empty())
    assert isinstance(stage, models.StageOut) and stage.stage == "evaluation"

    for judge in judges:
        as_judge = client_package.AuthenticatedClient(base_url=served, token=judge.token, raise_on_unexpected_status=True)
        for village, total in zip(villages, (90, 80, 70)):
            sheet = call("put_api_v1_contests_contest_id_sheets_village_id", as_judge, contest_id=contest.id,
                         village_id=village.id, body=models.SheetIn(marks=models.SheetInMarks.from_dict(marks_for(total))))
            assert isinstance(sheet, models.SheetOut) and sheet.total == total and sheet.marks["work"] == 40

    refused = operations()["post_api_v1_contests_contest_id_publish"](client=as_judge, contest_id=contest.id, body=models.Empty())
    assert refused.status_code == 403 and isinstance(refused.parsed, models.Error) and refused.parsed.code == 403

    published = call("post_api_v1_contests_contest_id_publish", organizer, contest_id=contest.id, body=models.Empty())
    results = call("get_api_v1_contests_contest_id_results", organizer, contest_id=contest.id)
    assert isinstance(published, models.ResultsOut) and isinstance(results, models.ResultsOut)
    assert [(r.village_id, r.score, r.rank) for r in results.results] == [(v.id, s, n) for v, s, n in
                                                                          zip(villages, (90.0, 80.0, 70.0), (1, 2, 3))]
    first = results.results[0]
    assert isinstance(first, models.ResultRow) and isinstance(first.score, float) and isinstance(first.rank, int)
    assert all(isinstance(s, models.JudgeTotal) for s in first.sheets) and results.rulebook_version == 1

    again = operations()["put_api_v1_contests_contest_id_sheets_village_id"](
        client=organizer, contest_id=contest.id, village_id=villages[0].id,
        body=models.SheetIn(marks=models.SheetInMarks.from_dict(marks_for(10)), judge_id=judges[0].id))
    assert again.status_code == 409 and isinstance(again.parsed, models.Error) and again.parsed.message

    history = call("get_api_v1_contests_contest_id_history", organizer, contest_id=contest.id)
    first_version = history.sheets[0].versions[0]
    assert first_version.before is None and isinstance(first_version.after, models.MarkedOut)


def marks_for(total: int) -> dict[str, int]:
    """Marks over the four criteria that add up to `total`, filling each in turn."""
    marks, left = {}, total
    for key, _, most in CRITERIA:
        marks[key] = min(left, most)
        left -= marks[key]
    return marks
