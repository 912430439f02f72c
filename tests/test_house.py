"""The house (STYLE.md): rooms with one job each, checked on the code as it is."""

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("domain", "projections", "service", "workers", "demo")
FRAMEWORKS = ("flask", "flask_smorest", "marshmallow", "werkzeug", "dramatiq", "redis", "psycopg", "sqlite3",
              "openpyxl", "apscheduler", "requests", "urllib.request", "socket")


def modules_of(package: str) -> list[str]:
    return sorted(".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                  for path in (ROOT / package).rglob("*.py"))


def loaded_after_import(module: str) -> set[str]:
    """The modules a fresh interpreter holds after importing `module`, and nothing else."""
    code = f"import sys; import {module}; print('\\n'.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize("module", modules_of("workers"))
def test_a_worker_module_loads_no_flask(module):
    loaded = loaded_after_import(module)
    assert not {name for name in loaded if name.split(".")[0] in ("flask", "flask_smorest", "marshmallow")}


@pytest.mark.parametrize("module", modules_of("domain"))
def test_a_domain_module_loads_no_framework_driver_or_io_library(module):
    loaded = loaded_after_import(module)
    assert not {name for name in loaded if name in FRAMEWORKS or name.split(".")[0] in FRAMEWORKS[:9]}


def test_no_import_cycle_joins_modules_of_different_top_level_packages():
    graph = grimp.build_graph(*PACKAGES)
    crossing = [(importer, imported) for importer in graph.modules for imported in graph.find_modules_directly_imported_by(importer)
                if imported.split(".")[0] in PACKAGES and imported.split(".")[0] != importer.split(".")[0]]
    cycles = [(a, b) for a, b in crossing if graph.find_shortest_chain(importer=b, imported=a)]
    assert cycles == []


@pytest.mark.parametrize("package", ("domain", "service", "projections", "workers", "demo"))
def test_no_source_file_exceeds_300_lines(package):
    long = {str(path.relative_to(ROOT)): lines for path in (ROOT / package).rglob("*.py")
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 300}
    assert long == {}


def test_the_import_contracts_are_kept():
    done = subprocess.run([str(Path(sys.executable).with_name("lint-imports"))], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
