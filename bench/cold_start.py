"""Measure the import cost each Lambda function pays on a cold start.

What is measured
----------------
On a cold start, Lambda starts a new Python interpreter and imports the handler module named
in ``Handler:`` (``app.handler`` -> ``app.py``). Everything that module imports at module level
(boto3, Powertools, pydantic models, the shared ``ticketing`` package, and whatever they pull
in) is paid for by the first request, before ``handler`` ever runs. This script measures exactly
that part: the wall-clock time of importing each handler module in a fresh interpreter.

How
---
* The functions are read from the SAM template (``infra/template.yaml``): every resource of
  ``Type: AWS::Serverless::Function`` with its ``CodeUri`` and ``Handler``, so a new function is
  measured without editing this file.
* Each sample is a new child interpreter (``sys.executable``) which puts the function's
  directory on ``sys.path`` (as Lambda does with ``/var/task``), imports the handler file with
  ``importlib.util.spec_from_file_location`` under a unique module name, and times only that
  import with ``time.perf_counter()``. It prints the figure as JSON on stdout.
* The child's environment is built from scratch: no ``AWS_*`` variables, no ``TABLE_NAME`` or
  other configuration, and ``HOME`` pointing at an empty directory, so no ``~/.aws`` files are
  read. Importing a handler must need neither configuration nor network; a function whose import
  fails is reported as an error and the script exits non-zero.
* ``PYTHONDONTWRITEBYTECODE`` is not set: as in a built deployment package, cached bytecode is
  used. One untimed warm-up child per module runs first so that the ``.pyc`` files exist; the
  warm-up also installs an audit hook that refuses any socket connect or name lookup, so network
  access during import is caught there (the timed runs carry no hook, to keep them clean).
* Timed runs are paired: each round times, for every function, one baseline child and one
  function child back to back (which goes first alternates per round), so both of a pair see
  the same load from whoever else shares the machine. A function's ratio is the median over the
  rounds of its pair ratios (function / the baseline next to it); the ratio of medians (its
  samples' median over its paired baselines' median) is reported beside it. Both children are
  started with the same interpreter, flags and environment.
* Baseline, measured the same way: ``import boto3``, ``import pydantic`` and
  ``APIGatewayRestResolver(enable_validation=True)`` (imported and built) alone -- the floor any
  validating API function pays. Each function's median is reported relative to it, as a
  difference and as a ratio; the target is a ratio of at most ``TARGET_RATIO`` (1.3).
* ``DEFAULT_RUNS`` (7) rounds: 7 timed runs per function, each with its own baseline run.

Heavy libraries
---------------
PDF and spreadsheet rendering (fpdf2, xlsxwriter, openpyxl, Pillow, fontTools) costs tens of
milliseconds to import, and moto is test-only. They must only be imported inside the code paths
that render (or never, for moto), not at module level. After the import, each child reports
which of them are in ``sys.modules``; a function that imports one is flagged with a WARNING line
(the exit code stays 0 for this).

Usage::

    .venv/bin/python bench/cold_start.py [--runs N] [--json PATH]

Results go to stdout as a table and to ``bench/results/cold_start.json`` (or ``--json PATH``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped, unused-ignore]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEMPLATE = ROOT / "infra" / "template.yaml"
DEFAULT_JSON = ROOT / "bench" / "results" / "cold_start.json"
SHARED_LAYER = ROOT / "layers" / "shared"
DEFAULT_RUNS = 7
#: The most a function's median may cost relative to the baseline's median.
TARGET_RATIO = 1.3
CHILD_TIMEOUT_S = 180.0

#: Libraries that must not be imported when a handler module is imported.
HEAVY_MODULES: tuple[str, ...] = ("fpdf", "xlsxwriter", "openpyxl", "PIL", "fontTools", "moto")

#: Environment variables copied into the child (everything else, AWS_* included, is dropped).
PASSTHROUGH_ENV: tuple[str, ...] = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "SYSTEMROOT")

#: The child program. It imports nothing before the timed section beyond what ``sys``/``time``
#: and ``importlib.util`` need (the same for baseline and functions), and imports ``json`` only
#: after the clock has stopped so that the measured figure is not flattered.
#: argv: mode ("baseline" | "module"), guard ("0" | "1"), heavy modules (comma-separated),
#: then for "module": file path, module name, function directory, handler attribute.
CHILD_SOURCE = r"""
import sys
import importlib.util
from time import perf_counter, process_time


def _report(payload):
    import json

    sys.stdout.write("\n" + json.dumps(payload) + "\n")
    sys.stdout.flush()


def _main():
    mode, guard, heavy = sys.argv[1], sys.argv[2] == "1", sys.argv[3].split(",")
    if guard:
        denied = frozenset((
            "socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
            "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.sendto",
        ))

        def _no_network(event, args):
            if event in denied:
                hint = ""
                if "169.254.169.254" in repr(args):
                    hint = " (instance metadata: a boto3 client/session asking for region or"
                    hint += " credentials at import; create it lazily)"
                raise RuntimeError(f"network access during import: {event}{args!r}{hint}")

        sys.addaudithook(_no_network)
    try:
        if mode == "baseline":
            cpu_started, started = process_time(), perf_counter()
            import boto3
            import pydantic
            from aws_lambda_powertools.event_handler import APIGatewayRestResolver
            APIGatewayRestResolver(enable_validation=True)
            stopped, cpu_stopped = perf_counter(), process_time()
        else:
            path, name, directory, attribute = sys.argv[4:8]
            sys.path.insert(0, directory)
            cpu_started, started = process_time(), perf_counter()
            spec = importlib.util.spec_from_file_location(name, path)
            if spec is None or spec.loader is None:
                raise ImportError(f"cannot load {path}")
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
            stopped, cpu_stopped = perf_counter(), process_time()
            if not callable(getattr(module, attribute, None)):
                raise AttributeError(f"{path} has no callable {attribute!r}")
    except BaseException as exc:
        import traceback

        _report({
            "ok": False,
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exc(),
        })
        sys.exit(1)
    _report({
        "ok": True,
        "import_ms": (stopped - started) * 1000.0,
        "cpu_ms": (cpu_stopped - cpu_started) * 1000.0,
        "heavy_modules": [name for name in heavy if name in sys.modules],
    })


_main()
"""


@dataclass(frozen=True)
class Target:
    """One thing to import in a fresh interpreter: a handler module, or the baseline."""

    name: str
    logical_id: str | None = None
    handler: str | None = None
    module_path: Path | None = None
    function_dir: Path | None = None
    attribute: str | None = None

    @property
    def is_baseline(self) -> bool:
        return self.module_path is None

    def label(self) -> str:
        if self.module_path is None:
            return "baseline (boto3 + pydantic + APIGatewayRestResolver(enable_validation=True))"
        return _relative(self.module_path)


@dataclass
class Measurement:
    """The samples and findings for one target."""

    target: Target
    samples_ms: list[float] = field(default_factory=list)
    heavy_modules: set[str] = field(default_factory=set)
    error: str | None = None
    traceback: str | None = None
    #: For a function: the baseline sample timed next to each of its own samples (same round).
    paired_baseline_ms: list[float] = field(default_factory=list)
    #: The same in CPU time of the child (``time.process_time``): what the import itself
    #: computes, without the waiting for a core that other users of the machine cause.
    cpu_samples_ms: list[float] = field(default_factory=list)
    paired_baseline_cpu_ms: list[float] = field(default_factory=list)

    @property
    def cpu_ratio(self) -> float | None:
        """The median of the per-round pair ratios in CPU time (context, not the verdict)."""
        ratios = [
            own / base
            for own, base in zip(self.cpu_samples_ms, self.paired_baseline_cpu_ms, strict=True)
        ]
        return round(statistics.median(ratios), 3) if ratios else None

    @property
    def pair_ratios(self) -> list[float]:
        """``function / baseline`` for each round's pair."""
        return [
            own / base for own, base in zip(self.samples_ms, self.paired_baseline_ms, strict=True)
        ]

    @property
    def ratio(self) -> float | None:
        """THE ratio: the median of the per-round pair ratios (robust to load drifting)."""
        return round(statistics.median(self.pair_ratios), 3) if self.pair_ratios else None

    @property
    def ratio_of_medians(self) -> float | None:
        """Median of own samples over the median of the baseline samples paired with them."""
        if not self.samples_ms or not self.paired_baseline_ms:
            return None
        return _ratio(
            statistics.median(self.samples_ms), statistics.median(self.paired_baseline_ms)
        )

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.samples_ms)

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.samples_ms) if self.samples_ms else None

    @property
    def min_ms(self) -> float | None:
        return min(self.samples_ms) if self.samples_ms else None

    @property
    def max_ms(self) -> float | None:
        return max(self.samples_ms) if self.samples_ms else None


@dataclass(frozen=True)
class ChildResult:
    """What one child interpreter reported."""

    ok: bool
    import_ms: float | None
    heavy_modules: tuple[str, ...]
    error: str | None
    traceback: str | None
    cpu_ms: float | None = None


# ---------------------------------------------------------------- template


class _CfnLoader(yaml.SafeLoader):  # type: ignore[misc, unused-ignore]
    """SafeLoader that accepts CloudFormation short tags (!Ref, !GetAtt, !Sub, ...)."""


def _construct_tag(loader: Any, tag_suffix: str, node: Any) -> object:
    """Build a plain value for any ``!Tag``: the tag is irrelevant for finding functions."""
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


_CfnLoader.add_multi_constructor("!", _construct_tag)


def load_template(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as stream:
        document = yaml.load(stream, Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass
    if not isinstance(document, dict):
        raise SystemExit(f"error: {path} is not a YAML mapping")
    return document


def _as_mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def template_runtime(path: Path) -> str | None:
    """The Python runtime the template's functions run on (``Globals.Function.Runtime``)."""
    defaults = _as_mapping(_as_mapping(load_template(path).get("Globals")).get("Function"))
    runtime = defaults.get("Runtime")
    return runtime if isinstance(runtime, str) else None


def runtime_note(runtime: str | None) -> str | None:
    """A note when this interpreter is not the one Lambda runs the functions on: class
    creation (dataclasses, pydantic models) costs differ between Python versions, so the
    verdict belongs to a run on the template's runtime."""
    here = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if runtime is None or runtime == here:
        return None
    return (
        f"NOTE: measured on {here}; the template's functions run on {runtime}. For the figures "
        f"Lambda sees, run this script with a {runtime} environment (README, benchmarks)."
    )


def functions_from_template(path: Path) -> tuple[list[Target], list[str]]:
    """Return the function targets declared in the template, and problems found on the way."""
    document = load_template(path)
    defaults = _as_mapping(_as_mapping(document.get("Globals")).get("Function"))
    targets: list[Target] = []
    problems: list[str] = []
    for logical_id, resource in _as_mapping(document.get("Resources")).items():
        resource = _as_mapping(resource)
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        properties = _as_mapping(resource.get("Properties"))
        code_uri = properties.get("CodeUri", defaults.get("CodeUri"))
        handler = properties.get("Handler", defaults.get("Handler"))
        if not isinstance(code_uri, str) or not isinstance(handler, str) or "." not in handler:
            problems.append(
                f"{logical_id}: cannot measure (CodeUri={code_uri!r}, Handler={handler!r})"
            )
            continue
        function_dir = (path.parent / code_uri).resolve()
        module_part, attribute = handler.rsplit(".", 1)
        module_path = function_dir / (module_part.replace(".", "/") + ".py")
        targets.append(
            Target(
                name=function_dir.name,
                logical_id=str(logical_id),
                handler=handler,
                module_path=module_path,
                function_dir=function_dir,
                attribute=attribute,
            )
        )
    return targets, problems


# ---------------------------------------------------------------- child processes


def child_environment(home: Path) -> tuple[dict[str, str], list[str]]:
    """A minimal environment: no AWS_* or app configuration; the shared layer if needed."""
    env = {key: os.environ[key] for key in PASSTHROUGH_ENV if key in os.environ}
    env["HOME"] = str(home)  # an empty directory: no ~/.aws/config or credentials
    pythonpath: list[str] = []
    if importlib.util.find_spec("ticketing") is None:
        # Lambda puts the layer on sys.path (/opt/python); do the same here.
        pythonpath.append(str(SHARED_LAYER))
        env["PYTHONPATH"] = os.pathsep.join(pythonpath)
    return env, pythonpath


def _module_name(target: Target) -> str:
    stem = re.sub(r"\W", "_", f"{target.logical_id or target.name}_{target.name}")
    return f"_cold_start_{stem}_app"


def run_child(target: Target, env: Mapping[str, str], *, guard: bool) -> ChildResult:
    """Import the target in a fresh interpreter and return what the child reported."""
    argv: list[str] = [
        sys.executable,
        "-c",
        CHILD_SOURCE,
        "baseline" if target.is_baseline else "module",
        "1" if guard else "0",
        ",".join(HEAVY_MODULES),
    ]
    cwd: Path = ROOT
    if (
        target.module_path is not None
        and target.function_dir is not None
        and target.attribute is not None
    ):
        argv += [
            str(target.module_path),
            _module_name(target),
            str(target.function_dir),
            target.attribute,
        ]
        cwd = target.function_dir  # Lambda's working directory is the function's code
    try:
        completed = subprocess.run(
            argv,
            env=dict(env),
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return ChildResult(False, None, (), f"timed out after {CHILD_TIMEOUT_S:.0f} s", None)
    except OSError as exc:
        return ChildResult(False, None, (), f"cannot start {sys.executable}: {exc}", None)
    return _parse_child(completed)


def _parse_child(completed: subprocess.CompletedProcess[str]) -> ChildResult:
    lines = [line for line in completed.stdout.splitlines() if line.strip()]
    payload: dict[str, Any] | None = None
    if lines:
        try:
            decoded = json.loads(lines[-1])
        except json.JSONDecodeError:
            decoded = None
        if isinstance(decoded, dict):
            payload = decoded
    if payload is None:
        stderr = completed.stderr.strip()
        return ChildResult(
            False,
            None,
            (),
            f"child exited with {completed.returncode} without a result",
            stderr or completed.stdout.strip() or None,
        )
    if not payload.get("ok") or completed.returncode != 0:
        return ChildResult(
            False,
            None,
            (),
            str(payload.get("error") or f"child exited with {completed.returncode}"),
            payload.get("traceback") or completed.stderr.strip() or None,
        )
    return ChildResult(
        True,
        float(payload["import_ms"]),
        tuple(str(name) for name in payload.get("heavy_modules", [])),
        None,
        None,
        float(payload["cpu_ms"]),
    )


def measure(
    baseline: Measurement, functions: Sequence[Measurement], runs: int, env: Mapping[str, str]
) -> None:
    """Warm up each target once (with the network guard), then time baseline/function pairs.

    Each round runs, for every function, one baseline child and one function child back to
    back (the order alternates per round), so that both of a pair see the same load on a shared
    machine; the pair's ratio is ``function / baseline``.
    """
    for measurement in [baseline, *functions]:
        print(f"  warm-up  {measurement.target.label()}", file=sys.stderr, flush=True)
        result = run_child(measurement.target, env, guard=True)
        if not result.ok:
            measurement.error = result.error
            measurement.traceback = result.traceback
    if baseline.error is not None:
        return
    for run in range(1, runs + 1):
        print(f"  round {run}/{runs}", file=sys.stderr, flush=True)
        for measurement in functions:
            if measurement.error is not None:
                continue
            order = (baseline, measurement) if run % 2 else (measurement, baseline)
            pair: dict[int, ChildResult] = {}
            for m in order:
                pair[id(m)] = run_child(m.target, env, guard=False)
            base, own = pair[id(baseline)], pair[id(measurement)]
            for m, result in ((baseline, base), (measurement, own)):
                if not result.ok or result.import_ms is None:
                    m.error = result.error
                    m.traceback = result.traceback
            if baseline.error is not None:
                return
            if measurement.error is not None or base.import_ms is None or own.import_ms is None:
                continue
            baseline.samples_ms.append(base.import_ms)
            measurement.samples_ms.append(own.import_ms)
            measurement.paired_baseline_ms.append(base.import_ms)
            if own.cpu_ms is not None and base.cpu_ms is not None:
                baseline.cpu_samples_ms.append(base.cpu_ms)
                measurement.cpu_samples_ms.append(own.cpu_ms)
                measurement.paired_baseline_cpu_ms.append(base.cpu_ms)
            measurement.heavy_modules.update(own.heavy_modules)
            baseline.heavy_modules.update(base.heavy_modules)


# ---------------------------------------------------------------- reporting


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def machine_facts() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "cpu_count": os.cpu_count(),
        "timestamp_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _entry(measurement: Measurement, baseline_median: float | None) -> dict[str, Any]:
    target = measurement.target
    median = measurement.median_ms
    if not target.is_baseline and measurement.paired_baseline_ms:
        baseline_median = statistics.median(measurement.paired_baseline_ms)
    delta = None if median is None or baseline_median is None else median - baseline_median
    entry: dict[str, Any] = {"name": target.name}
    if not target.is_baseline:
        entry.update(
            logical_id=target.logical_id,
            handler=target.handler,
            module=target.label(),
        )
    entry.update(
        ok=measurement.ok,
        runs=len(measurement.samples_ms),
        median_ms=_round(median),
        min_ms=_round(measurement.min_ms),
        max_ms=_round(measurement.max_ms),
    )
    if not target.is_baseline:
        paired = measurement.paired_baseline_ms
        entry["paired_baseline_median_ms"] = _round(statistics.median(paired) if paired else None)
        entry["median_vs_baseline_ms"] = _round(delta)
        entry["pair_ratios"] = [round(r, 3) for r in measurement.pair_ratios]
        entry["ratio_of_medians"] = measurement.ratio_of_medians
        entry["ratio"] = measurement.ratio
        entry["cpu_ratio"] = measurement.cpu_ratio
        entry["within_target"] = entry["ratio"] is not None and entry["ratio"] <= TARGET_RATIO
    entry.update(
        samples_ms=[round(sample, 3) for sample in measurement.samples_ms],
        cpu_samples_ms=[round(sample, 3) for sample in measurement.cpu_samples_ms],
        heavy_modules=sorted(measurement.heavy_modules),
        error=measurement.error,
    )
    return entry


def _ratio(median: float | None, baseline_median: float | None) -> float | None:
    if median is None or not baseline_median:
        return None
    return round(median / baseline_median, 3)


def _fmt(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def _fmt_ratio(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}" + ("" if value <= TARGET_RATIO else " !")


def render_table(baseline: Measurement, functions: Sequence[Measurement], runs: int) -> str:
    header = (
        "function",
        "logical id",
        "median",
        "its base",
        "vs base",
        "ratio of medians",
        "ratio",
        "cpu ratio",
        "per-round pair ratios",
        "heavy modules",
    )
    rows: list[tuple[str, ...]] = [
        (
            "baseline",
            "boto3+pydantic+resolver",
            _fmt(baseline.median_ms),
            "",
            "",
            "",
            "",
            "",
            f"{len(baseline.samples_ms)} samples, {_fmt(baseline.min_ms)}-{_fmt(baseline.max_ms)}",
            ", ".join(sorted(baseline.heavy_modules)) or "-",
        )
    ]
    for m in functions:
        median = m.median_ms
        paired = statistics.median(m.paired_baseline_ms) if m.paired_baseline_ms else None
        delta = None if median is None or paired is None else median - paired
        heavy = ", ".join(sorted(m.heavy_modules)) or "-"
        rows.append(
            (
                m.target.name,
                m.target.logical_id or "",
                _fmt(median) if m.ok else "FAILED",
                _fmt(paired) if m.ok else "-",
                _fmt(delta, signed=True) if m.ok else "-",
                _fmt_ratio(m.ratio_of_medians) if m.ok else "-",
                _fmt_ratio(m.ratio) if m.ok else "-",
                _fmt_ratio(m.cpu_ratio) if m.ok else "-",
                " ".join(f"{r:.2f}" for r in m.pair_ratios) if m.ok else "-",
                heavy if m.ok else "-",
            )
        )
    numeric = {2, 3, 4, 5, 6, 7}
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        return "  ".join(cells).rstrip()

    title = (
        f"Cold-start import time in ms, {runs} runs per module "
        f"(Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs)"
    )
    rule = "-" * len(line(header))
    medians = [m.ratio for m in functions if m.ratio is not None]
    legend = (
        f"ratio = median over the {runs} rounds of (function / the baseline run next to it); "
        f"'its base' = median of those paired baseline runs; target <= {TARGET_RATIO}.\n"
        "cpu ratio = the same in the children's CPU time (process_time): context on a shared "
        "machine, where wall time also counts waiting for a core; the verdict is 'ratio'."
    )
    if medians:
        legend += f"\nmedian of all functions' ratios: {statistics.median(medians):.2f}"
    return "\n".join([title, rule, line(header), rule, *(line(row) for row in rows), rule, legend])


def write_json(path: Path, document: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Measure each Lambda handler module's import time (the cold-start cost).",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=DEFAULT_RUNS,
        help=f"timed runs per module (default {DEFAULT_RUNS})",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=DEFAULT_JSON,
        metavar="PATH",
        help=f"where to write the figures (default {_relative(DEFAULT_JSON)})",
    )
    parser.add_argument(
        "--template",
        type=Path,
        default=DEFAULT_TEMPLATE,
        metavar="PATH",
        help=f"SAM template to read the functions from (default {_relative(DEFAULT_TEMPLATE)})",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    runs: int = args.runs
    json_path: Path = args.json
    template: Path = args.template.resolve()

    functions, problems = functions_from_template(template)
    if not functions:
        print(f"error: no AWS::Serverless::Function found in {template}", file=sys.stderr)
        return 2

    baseline_target = Target(name="baseline")
    with tempfile.TemporaryDirectory(prefix="cold-start-home-") as home:
        env, pythonpath = child_environment(Path(home))
        print(
            f"Measuring {len(functions)} functions + baseline, {runs} runs each ...",
            file=sys.stderr,
        )
        baseline = Measurement(baseline_target)
        measured = [Measurement(target) for target in functions]
        measure(baseline, measured, runs, env)

    print(render_table(baseline, measured, runs))
    runtime = template_runtime(template)
    note = runtime_note(runtime)
    if note is not None:
        print(note)

    warnings: list[str] = []
    for m in measured:
        if m.heavy_modules:
            warnings.append(
                f"WARNING: {m.target.label()} imports {', '.join(sorted(m.heavy_modules))} at "
                "module import; rendering libraries (fpdf2, xlsxwriter, ...) must only be "
                "imported in the code paths that render, and moto never outside tests."
            )
    if baseline.heavy_modules:
        warnings.append(
            "WARNING: the baseline itself imports "
            f"{', '.join(sorted(baseline.heavy_modules))}; the figures are suspect."
        )
    errors: list[str] = []
    if not baseline.ok:
        errors.append(f"ERROR: baseline failed: {baseline.error}")
    for m in measured:
        if not m.ok:
            errors.append(f"ERROR: {m.target.label()} failed to import: {m.error}")
    errors += [f"ERROR: {problem}" for problem in problems]

    for message in warnings:
        print(message)
    for m in [baseline, *measured]:
        if m.traceback:
            print(f"\n--- {m.target.label()} ---\n{m.traceback.rstrip()}", file=sys.stderr)
    for message in errors:
        print(message)

    document: dict[str, Any] = {
        "description": (
            "Import time of each Lambda handler module in a fresh interpreter, with no AWS or "
            "application environment and cached bytecode (the cold-start import cost)."
        ),
        "machine": machine_facts(),
        "runs": runs,
        "template": _relative(template),
        "template_runtime": runtime,
        "runtime_matches": note is None,
        "child_pythonpath": [_relative(Path(entry)) for entry in pythonpath],
        "heavy_modules_checked": list(HEAVY_MODULES),
        "baseline": {
            **_entry(baseline, None),
            "imports": [
                "boto3",
                "pydantic",
                "aws_lambda_powertools.event_handler.APIGatewayRestResolver",
                "APIGatewayRestResolver(enable_validation=True)",
            ],
        },
        "target_ratio": TARGET_RATIO,
        "ratio_method": (
            "Each round times, per function, one baseline child and one function child back to "
            "back (order alternating per round); 'ratio' is the median of the per-round "
            "function/baseline ratios ('pair_ratios'), the verdict; 'ratio_of_medians' is the "
            "median of the function's samples over the median of its paired baseline samples; "
            "'cpu_ratio' is 'ratio' in the children's CPU time (time.process_time), context on "
            "a shared machine, where wall time also counts waiting for a core."
        ),
        "over_target": [
            m.target.name for m in measured if m.ratio is None or m.ratio > TARGET_RATIO
        ],
        "functions": [_entry(m, baseline.median_ms) for m in measured],
        "warnings": warnings,
        "errors": errors,
    }
    write_json(json_path, document)
    print(f"\nFigures written to {_relative(json_path.resolve())}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
