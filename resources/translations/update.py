"""The translation tooling: refresh ``communedesk_en.ts`` from ui/, compile the ``.qm`` files.

The app's strings are written in Vietnamese in ui/ (docs/decisions/0007); ``communedesk_en.ts``
holds their English translation and ``qtbase_vi.ts`` our Vietnamese translation of Qt's own
strings. Compiled ``.qm`` files are build outputs next to their ``.ts`` (git-ignored).

Usage (from the repository root; ``make translations-update`` / ``make translations``)::

    python resources/translations/update.py              # refresh communedesk_en.ts, list
                                                         # the strings still to translate
    python resources/translations/update.py --todo t.json    # refresh, write those to JSON
    python resources/translations/update.py --fill t.json    # write the filled JSON back
    python resources/translations/update.py --check      # exit 1 if a ui/ string lacks English
    python resources/translations/update.py --compile    # build every stale .qm
    python resources/translations/update.py --drop-obsolete  # refresh, forget vanished ones
    python resources/translations/update.py --language fr    # work on communedesk_fr.ts

Refreshing runs Qt's ``lupdate`` over ui/**/*.py: existing translations are kept, strings that
left the code are marked vanished (kept for reuse, ignored by the checks), new ones are added
unfinished for a person to translate (Qt Linguist: ``pyside6-linguist``, or any editor).
``lupdate`` sees ``self.tr("…")``, ``QCoreApplication.translate("Ctx", "…")`` (also through an
alias such as ``translate = QCoreApplication.translate``) and ``QT_TRANSLATE_NOOP("Ctx", "…")``
with literal strings. It does not see a module's one-line helper such as
``def _t(text): return QCoreApplication.translate("SyncPage", text)``: this script finds such
helpers and lets ``lupdate`` read a copy of the sources in which each ``_t("…")`` call is
spelled ``QCoreApplication.translate("SyncPage", "…")`` (same lines, so locations stay right).

``scan_sources`` is an independent reading of the same calls with ``ast``; the tests compare
it with the ``.ts`` so a string that no tool extracted cannot slip through.
Threading: a command-line tool; the functions are also used by tests/i18n_support.py.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
UI_DIR = ROOT / "ui"
APP_TS = HERE / "communedesk_en.ts"
QT_TS = HERE / "qtbase_vi.ts"
SOURCE_LANGUAGE = "vi_VN"  # the app's strings are Vietnamese
TRANSLATION_CONTEXT_FUNCTIONS = ("QT_TRANSLATE_NOOP", "QT_TRANSLATE_NOOP3")


# ------------------------------------------------------------------------------- Qt's tools
def qt_tool(name: str) -> Path:
    """Path of a Qt tool shipped inside the PySide6 wheel (``lupdate``, ``lrelease``)."""
    import PySide6

    exe = Path(PySide6.__file__).resolve().parent / (name + (".exe" if os.name == "nt" else ""))
    if not exe.exists():
        raise FileNotFoundError(f"{exe} is missing: is PySide6 installed in this environment?")
    return exe


def ts_files() -> list[Path]:
    return sorted(HERE.glob("*.ts"))


def qm_for(ts: Path) -> Path:
    return ts.with_suffix(".qm")


def is_stale(ts: Path) -> bool:
    """True when the .qm of ``ts`` is missing or older than the .ts."""
    qm = qm_for(ts)
    return not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime


def compile_ts(ts: Path, qm: Path | None = None) -> str:
    """Compile ``ts`` with ``lrelease`` and return its output. The .qm is written to a temporary
    file and renamed, so a process loading it meanwhile never reads half a file. (lrelease's
    ``-fail-on-invalid`` flags nothing in Qt 6.12; tests/test_i18n.py checks place markers,
    mnemonics, surrounding spaces and ending punctuation instead.)"""
    qm = qm or qm_for(ts)
    fd, tmp = tempfile.mkstemp(prefix=qm.name + ".", suffix=".tmp", dir=qm.parent)
    os.close(fd)
    try:
        done = subprocess.run([str(qt_tool("lrelease")), str(ts), "-qm", tmp],
                              capture_output=True, text=True, check=True)
        os.replace(tmp, qm)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return done.stdout + done.stderr


def compile_stale(*, force: bool = False) -> list[Path]:
    """Compile every .ts whose .qm is missing or older (all of them with ``force``)."""
    built = []
    for ts in ts_files():
        if force or is_stale(ts):
            compile_ts(ts)
            built.append(qm_for(ts))
    return built


# ------------------------------------------------------------------------------- .ts files
@dataclass(frozen=True)
class TsMessage:
    """One message of a .ts file. ``translations`` has one entry, or one per plural form."""

    context: str
    source: str
    comment: str
    numerus: bool
    translations: tuple[str, ...]
    type: str  # "" (finished), "unfinished", "vanished" or "obsolete"
    locations: tuple[str, ...] = field(default=(), compare=False)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.context, self.source, self.comment)

    @property
    def live(self) -> bool:
        """Still used by the code (not vanished or obsolete)."""
        return self.type not in ("vanished", "obsolete")

    @property
    def finished(self) -> bool:
        return self.type == "" and all(t.strip() for t in self.translations)


@dataclass(frozen=True)
class TsFile:
    path: Path
    language: str
    source_language: str
    messages: tuple[TsMessage, ...]

    def live(self) -> list[TsMessage]:
        return [m for m in self.messages if m.live]

    def by_key(self) -> dict[tuple[str, str, str], TsMessage]:
        return {m.key: m for m in self.live()}


def read_ts(path: Path) -> TsFile:
    """Parse a Qt Linguist .ts file (raises ``xml.etree.ElementTree.ParseError`` if invalid)."""
    root = ET.parse(path).getroot()
    if root.tag != "TS":
        raise ValueError(f"{path}: the root element is <{root.tag}>, not <TS>")
    messages = []
    filename = ""
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None:
                forms: tuple[str, ...] = ("",)
                kind = "unfinished"
            else:
                kind = translation.get("type", "")
                numerus_forms = translation.findall("numerusform")
                forms = (tuple(f.text or "" for f in numerus_forms) if numerus_forms
                         else (translation.text or "",))
            locations = []
            for location in message.iter("location"):
                filename = location.get("filename") or filename  # relative: same file as before
                locations.append(f"{filename}:{location.get('line')}")
            messages.append(TsMessage(
                context=name, source=message.findtext("source") or "",
                comment=message.findtext("comment") or "",
                numerus=message.get("numerus") == "yes", translations=forms, type=kind,
                locations=tuple(locations)))
    return TsFile(path, root.get("language", ""), root.get("sourcelanguage", ""),
                  tuple(messages))


# --------------------------------------------------------------------- reading the sources
@dataclass(frozen=True)
class SourceMessage:
    """A string the code hands to Qt's translation system, as the runtime will ask for it."""

    context: str
    source: str
    comment: str
    numerus: bool
    file: str
    line: int

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.context, self.source, self.comment)


def ui_sources() -> list[Path]:
    return sorted(p for p in UI_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def translation_helpers(tree: ast.AST) -> dict[str, str]:
    """Functions whose whole body is ``return <…>.translate("Ctx", text[, …])`` passing their
    own parameters through, by name → context (e.g. ``_t`` → ``"SyncPage"``)."""
    helpers: dict[str, str] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef) or not node.args.args:
            continue
        body = [s for s in node.body
                if not (isinstance(s, ast.Expr) and _literal(s.value) is not None)]
        if len(body) != 1 or not isinstance(body[0], ast.Return):
            continue
        call = body[0].value
        if not (isinstance(call, ast.Call) and _callee(call) == "translate"
                and len(call.args) >= 2 and _literal(call.args[0]) is not None):
            continue
        params = [a.arg for a in node.args.args]
        passed = call.args[1:]
        if all(isinstance(a, ast.Name) and a.id == p
               for a, p in zip(passed, params, strict=False)) and len(passed) <= len(params):
            helpers[node.name] = _literal(call.args[0]) or ""
    return helpers


def _callee(call: ast.Call) -> str:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return ""


def _is_dynamic_text(node: ast.AST) -> bool:
    """A text built at run time (f-string, concatenation, formatting): no tool can extract it,
    and the runtime would look up a string that is in no .ts file."""
    return isinstance(node, (ast.JoinedStr, ast.BinOp, ast.Call))


class _Scanner(ast.NodeVisitor):
    def __init__(self, file: str, helpers: dict[str, str]) -> None:
        self.file = file
        self.helpers = helpers
        self.classes: list[str] = []
        self.functions = 0  # depth of function bodies: 0 runs at import time
        self.found: list[SourceMessage] = []
        self.problems: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def _in_function(self, node: ast.AST) -> None:
        self.functions += 1
        self.generic_visit(node)
        self.functions -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _in_function

    def visit_Call(self, node: ast.Call) -> None:
        name = _callee(node)
        args = node.args
        kwargs = {k.arg for k in node.keywords}
        spec: tuple[str | None, int, int | None, bool] | None = None  # ctx, text, comment, n
        in_class = self.classes[-1] if self.classes else None
        if args and ((name == "tr" and isinstance(node.func, ast.Attribute))
                     or (name == "QT_TR_NOOP" and isinstance(node.func, ast.Name))):
            spec = (in_class, 0, 1, len(args) >= 3 or "n" in kwargs)
        elif name == "translate" and len(args) >= 2 and _literal(args[0]) is not None:
            spec = (_literal(args[0]), 1, 2, len(args) >= 4 or "n" in kwargs)
        elif name in TRANSLATION_CONTEXT_FUNCTIONS and len(args) >= 2:
            spec = (_literal(args[0]), 1, 2 if name.endswith("3") else None, False)
        elif isinstance(node.func, ast.Name) and name in self.helpers and args:
            spec = (self.helpers[name], 0, 1, len(args) >= 3)
        if spec is not None:
            ctx, text_at, comment_at, numerus = spec
            text = _literal(args[text_at])
            where = f"{self.file}:{node.lineno}"
            if ctx is None:
                self.problems.append(f"{where}: {name}() outside a class has no context")
            elif text is not None:
                comment = (_literal(args[comment_at]) if comment_at is not None
                           and len(args) > comment_at else None) or ""
                self.found.append(SourceMessage(ctx, text, comment, numerus, self.file,
                                                node.lineno))
            if self.functions == 0 and name not in (*TRANSLATION_CONTEXT_FUNCTIONS, "QT_TR_NOOP"):
                self.problems.append(
                    f"{where}: {name}() runs at import time, before the language is installed: "
                    f"mark the text with QT_TRANSLATE_NOOP(\"{ctx}\", \"…\") and translate it "
                    "where it is shown")
            if text is None and _is_dynamic_text(args[text_at]):
                self.problems.append(
                    f"{where}: the text given to {name}() is built at run time (f-string, "
                    "+, % or .format inside the call): translate a literal with placeholders "
                    "and fill them after, e.g. self.tr(\"… %1 …\").replace(\"%1\", value)")
        self.generic_visit(node)


def scan_sources(files: Iterable[Path] | None = None
                 ) -> tuple[list[SourceMessage], list[str]]:
    """Every literal string handed to Qt's translation system in ``files`` (default: ui/),
    and the problems found (texts built at run time, ``tr`` outside a class)."""
    found: list[SourceMessage] = []
    problems: list[str] = []
    for path in files if files is not None else ui_sources():
        tree = ast.parse(path.read_bytes(), filename=str(path))
        scanner = _Scanner(_relative(path), translation_helpers(tree))
        scanner.visit(tree)
        found += scanner.found
        problems += scanner.problems
    return found, problems


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def _spell_helpers_out(source: bytes) -> bytes:
    """``source`` with each call of a translation helper ``_t("…")`` written as
    ``QCoreApplication.translate("Ctx", "…")`` on the same line (ast offsets are UTF-8 bytes)."""
    tree = ast.parse(source)
    helpers = translation_helpers(tree)
    if not helpers:
        return source
    lines = source.splitlines(keepends=True)
    edits: dict[int, list[tuple[int, int, str]]] = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in helpers and node.args and _literal(node.args[0]) is not None):
            func = node.func
            line = lines[func.lineno - 1]
            paren = line.find(b"(", func.end_col_offset)
            context = helpers[func.id]
            if (paren < 0 or line[func.end_col_offset:paren].strip()
                    or '"' in context or "\\" in context):
                continue
            edits.setdefault(func.lineno - 1, []).append((func.col_offset, paren + 1, context))
    for index, line_edits in edits.items():
        line = lines[index]
        for start, end, context in sorted(line_edits, reverse=True):
            line = (line[:start] + b'QCoreApplication.translate("' + context.encode() + b'", '
                    + line[end:])
        lines[index] = line
    return b"".join(lines)


# ------------------------------------------------------------------------------- updating
@dataclass
class UpdateReport:
    ts: Path
    lupdate_output: str
    messages: int
    unfinished: list[TsMessage]
    vanished: int
    where: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [f"{_relative(self.ts)}: {self.messages} strings in use, "
                 f"{len(self.unfinished)} to translate, {self.vanished} vanished"]
        for message in self.unfinished:
            where = self.where.get(message.key, "")
            lines.append(f"  {where}: [{message.context}] {message.source!r}")
        return "\n".join(lines)


def update_ts(ts: Path = APP_TS, files: Sequence[Path] | None = None, *,
              drop_obsolete: bool = False) -> UpdateReport:
    """Refresh ``ts`` (created when missing) from ``files`` (default: ui/**/*.py) with
    ``lupdate``, keeping existing translations. Locations in the .ts stay relative to it."""
    files = list(files) if files is not None else ui_sources()
    target_language = ts.stem.rsplit("_", 1)[-1]
    with tempfile.TemporaryDirectory(prefix="communedesk-lupdate-") as tmp:
        shadow = Path(tmp)
        shadow_ts = shadow / HERE.relative_to(ROOT) / ts.name  # locations relative to HERE
        shadow_ts.parent.mkdir(parents=True)
        if ts.exists():
            shutil.copy2(ts, shadow_ts)
        shadow_files = []
        for path in files:
            copy = shadow / path.resolve().relative_to(ROOT)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(_spell_helpers_out(path.read_bytes()))
            shadow_files.append(str(copy.relative_to(shadow)))
        args = [str(qt_tool("lupdate")), "-locations", "relative",
                "-source-language", SOURCE_LANGUAGE, "-target-language", target_language]
        if drop_obsolete:
            args.append("-no-obsolete")
        done = subprocess.run([*args, *shadow_files, "-ts", str(shadow_ts)], cwd=shadow,
                              capture_output=True, text=True, check=True)
        shutil.copyfile(shadow_ts, ts)
    parsed = read_ts(ts)
    live = parsed.live()
    found, _ = scan_sources(files)
    return UpdateReport(ts, done.stdout + done.stderr, len(live),
                        [m for m in live if not m.finished], len(parsed.messages) - len(live),
                        {m.key: f"{m.file}:{m.line}" for m in found})


def missing_translations(ts: Path = APP_TS, files: Sequence[Path] | None = None
                         ) -> list[SourceMessage]:
    """Strings of the sources that ``ts`` lacks or leaves unfinished (without changing it)."""
    found, _ = scan_sources(files)
    known = read_ts(ts).by_key() if ts.exists() else {}
    return [m for m in found if m.key not in known or not known[m.key].finished]


def todo(ts: Path = APP_TS) -> list[dict[str, object]]:
    """The live unfinished messages of ``ts`` as JSON-ready records, to be filled and given
    back to ``fill``: context, source, comment, numerus, translation ("" or a list of forms)."""
    return [{"context": m.context, "source": m.source, "comment": m.comment,
             "numerus": m.numerus,
             "translation": list(m.translations) if m.numerus else m.translations[0]}
            for m in read_ts(ts).live() if not m.finished]


def fill(ts: Path, records: Iterable[dict[str, object]]) -> int:
    """Write the translations of ``records`` (as made by ``todo``) into ``ts`` and mark them
    finished; returns how many were filled. Empty translations are skipped. The file is
    rewritten by ElementTree; the next ``update_ts`` gives it back lupdate's layout."""
    wanted = {(str(r["context"]), str(r["source"]), str(r.get("comment") or "")): r["translation"]
              for r in records if r.get("translation")}
    tree = ET.parse(ts)
    filled = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            if key not in wanted:
                continue
            value = wanted[key]
            translation = message.find("translation")
            if translation is None:
                translation = ET.SubElement(message, "translation")
            translation.attrib.pop("type", None)
            if message.get("numerus") == "yes":
                forms = value if isinstance(value, list) else [value]
                for old in translation.findall("numerusform"):
                    translation.remove(old)
                translation.text = None
                for form in forms:
                    ET.SubElement(translation, "numerusform").text = str(form)
            else:
                translation.text = str(value)
            filled += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return filled


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--compile", action="store_true", help="build every stale .qm")
    action.add_argument("--check", action="store_true",
                        help="exit 1 if a string of ui/ has no finished translation")
    action.add_argument("--todo", type=Path, metavar="JSON",
                        help="after refreshing, write the strings to translate to JSON")
    action.add_argument("--fill", type=Path, metavar="JSON",
                        help="write the translations of JSON (made by --todo) into the .ts")
    parser.add_argument("--language", default="en", metavar="CODE",
                        help="the translation to work on: communedesk_CODE.ts (default: en; "
                             "a new code starts a new file)")
    parser.add_argument("--force", action="store_true", help="with --compile: rebuild all")
    parser.add_argument("--drop-obsolete", action="store_true",
                        help="forget strings that left the code instead of keeping them")
    args = parser.parse_args(argv)
    ts = HERE / f"communedesk_{args.language}.ts"
    if args.compile:
        for qm in compile_stale(force=args.force):
            print(f"compiled {_relative(qm)}")
        return 0
    if args.check:
        _, problems = scan_sources()
        missing = missing_translations(ts)
        for problem in problems:
            print(problem)
        for message in missing:
            print(f"{message.file}:{message.line}: [{message.context}] {message.source!r} "
                  f"has no translation in {_relative(ts)}")
        return 1 if problems or missing else 0
    if args.fill:
        records = json.loads(args.fill.read_text(encoding="utf-8"))
        print(f"filled {fill(ts, records)} translations")
    report = update_ts(ts, drop_obsolete=args.drop_obsolete)
    print(report.summary())
    if args.todo:
        args.todo.write_text(json.dumps(todo(ts), ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
        print(f"wrote {len(report.unfinished)} strings to translate to {args.todo}")
    _, problems = scan_sources()
    for problem in problems:
        print(problem)
    return 0


if __name__ == "__main__":
    sys.exit(main())
