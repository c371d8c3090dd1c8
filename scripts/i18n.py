#!/usr/bin/env python3
"""The kiosk's translation files: extract the screen's strings, and compile them for Qt.

    scripts/i18n.py update    # kiosk/ui/**.py -> assets/translations/kiosk_{vi,en}.ts
    scripts/i18n.py compile   # kiosk_*.ts -> kiosk_*.qm (pyside6-lrelease)
    scripts/i18n.py check     # exit 1 if a Vietnamese translation is missing or unfinished

Why not lupdate: the screen's strings go through our helper `tr("English text")` (context
"Kiosk", kiosk/ui/texts.py), which lupdate's Python parser does not recognise. This reads the
code with Python's own parser (ast) instead and finds every call of:

    tr("literal")                       # context "Kiosk"
    tr("literal", "Context")            # or context="Context"
    QCoreApplication.translate("Context", "literal")

A call whose text is not a literal (a variable, an f-string) cannot be translated: `update`
names it and fails. `self.tr(...)` (QObject.tr, context = class name) is not ours and is left
alone.

`update` merges into the .ts files (Qt's TS XML, opened by Qt Linguist or any text editor):
existing translations are kept; new strings are added (Vietnamese: empty and "unfinished", to be
written; English: the source text itself, finished); strings no longer in the code are kept but
marked obsolete (lrelease leaves them out; they come back with their translation if the string
returns). The output is deterministic: messages in order of their first use in the code.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "kiosk" / "ui"
TRANSLATIONS = ROOT / "assets" / "translations"
DEFAULT_CONTEXT = "Kiosk"
# language code -> the TS file's language attribute. English is the source language; its file
# exists so that both languages go through the same pipeline (and a reviewer sees every text).
LANGUAGES = {"vi": "vi_VN", "en": "en_US"}
SOURCE_LANGUAGE = "en"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


@dataclass(frozen=True, order=True)
class Location:
    path: Path
    line: int


@dataclass
class Message:
    context: str
    source: str
    translation: str = ""
    # "" (finished), "unfinished", or "obsolete" (no longer in the code)
    state: str = "unfinished"
    comment: str = ""  # a translator's comment, kept as it is
    locations: list[Location] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.context, self.source)


class ExtractError(Exception):
    """A tr() call whose text cannot be extracted (not a string literal)."""


def ts_path(language: str) -> Path:
    return TRANSLATIONS / f"kiosk_{language}.ts"


def qm_path(language: str) -> Path:
    return TRANSLATIONS / f"kiosk_{language}.qm"


# -- extraction -------------------------------------------------------------------------------


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _call_strings(call: ast.Call) -> tuple[str | None, str | None] | None:
    """(context, text) of a translation call, None when `call` is not one. A None inside means
    that argument is present but not a literal."""
    func = call.func
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    is_tr = isinstance(func, ast.Name) and func.id == "tr"
    if is_tr or (
        isinstance(func, ast.Attribute)
        and func.attr == "tr"
        and isinstance(func.value, ast.Name)
        and func.value.id == "texts"
    ):
        text_node = call.args[0] if call.args else keywords.get("text")
        context_node = call.args[1] if len(call.args) > 1 else keywords.get("context")
        context = DEFAULT_CONTEXT if context_node is None else _literal(context_node)
        return context, _literal(text_node)
    if isinstance(func, ast.Attribute) and func.attr == "translate" and len(call.args) >= 2:
        owner = func.value
        if isinstance(owner, ast.Name) and owner.id in ("QCoreApplication", "QApplication"):
            return _literal(call.args[0]), _literal(call.args[1])
    return None


def extract(sources: Path = SOURCES) -> dict[tuple[str, str], list[Location]]:
    """Every translatable string in the Python files under `sources`: (context, text) -> where
    it is used, in order of first use (files sorted by path). Raises ExtractError naming every
    call whose context or text is not a string literal."""
    found: dict[tuple[str, str], list[Location]] = {}
    bad: list[str] = []
    for path in sorted(sources.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        # The helper itself (`def tr(text, context): return QCoreApplication.translate(...)`)
        # passes variables on: it is the one place that may, so its body is not searched.
        helpers = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name == "tr"
            for inner in ast.walk(node)
        }
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and id(n) not in helpers]
        calls.sort(key=lambda node: (node.lineno, node.col_offset))
        for call in calls:
            strings = _call_strings(call)
            if strings is None:
                continue
            context, text = strings
            where = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
            if context is None or text is None:
                bad.append(f"{where}:{call.lineno}: {ast.unparse(call)}")
                continue
            found.setdefault((context, text), []).append(Location(path, call.lineno))
    if bad:
        raise ExtractError(
            "translation calls need string literals (the tool cannot see a computed text):\n  "
            + "\n  ".join(bad)
        )
    return found


# -- TS files ---------------------------------------------------------------------------------


def read_ts(path: Path) -> list[Message]:
    """The messages of a TS file, in file order; [] when the file does not exist."""
    if not path.exists():
        return []
    root = ET.parse(path).getroot()  # our own files, from the repository
    messages = []
    for context in root.iter("context"):
        name = context.findtext("name", default="")
        for element in context.iter("message"):
            translation = element.find("translation")
            kind = translation.get("type", "") if translation is not None else "unfinished"
            messages.append(
                Message(
                    context=name,
                    source=element.findtext("source", default=""),
                    translation=(translation.text or "") if translation is not None else "",
                    state="obsolete" if kind in ("obsolete", "vanished") else kind,
                    comment=element.findtext("translatorcomment", default=""),
                )
            )
    return messages


def _text(value: str) -> str:
    return escape(value, {'"': "&quot;", "'": "&apos;"})


def write_ts(path: Path, language: str, messages: list[Message]) -> None:
    """Write `messages` grouped by context (contexts sorted, messages in the given order)."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!DOCTYPE TS>",
        f'<TS version="2.1" language="{language}" sourcelanguage="{SOURCE_LANGUAGE}">',
    ]
    for context in sorted({m.context for m in messages}):
        lines += ["<context>", f"    <name>{_text(context)}</name>"]
        for message in (m for m in messages if m.context == context):
            lines.append("    <message>")
            for location in message.locations:
                # Relative to the .ts file, as lupdate writes it (Qt Linguist opens the code).
                relative = Path(os.path.relpath(location.path, path.parent)).as_posix()
                lines.append(f'        <location filename="{relative}" line="{location.line}"/>')
            lines.append(f"        <source>{_text(message.source)}</source>")
            if message.comment:
                lines.append(
                    f"        <translatorcomment>{_text(message.comment)}</translatorcomment>"
                )
            kind = f' type="{message.state}"' if message.state else ""
            lines.append(f"        <translation{kind}>{_text(message.translation)}</translation>")
            lines.append("    </message>")
        lines.append("</context>")
    lines.append("</TS>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def merge(
    existing: list[Message], found: dict[tuple[str, str], list[Location]], *, identity: bool
) -> list[Message]:
    """The new message list: one per found string (its translation and comment kept), then the
    ones no longer found, marked obsolete. `identity`: a new string's translation is its source
    (the source language's own file)."""
    old = {m.key: m for m in existing}
    merged = []
    for key, locations in found.items():
        previous = old.pop(key, None)
        if previous is not None:
            state = previous.state
            if state == "obsolete":  # back in the code: finished again if it was translated
                state = "" if previous.translation else "unfinished"
            merged.append(
                Message(*key, previous.translation, state, previous.comment, list(locations))
            )
        elif identity:
            merged.append(Message(*key, key[1], "", "", list(locations)))
        else:
            merged.append(Message(*key, "", "unfinished", "", list(locations)))
    for gone in old.values():
        if gone.state != "obsolete" and not gone.translation:
            continue  # never translated: nothing worth keeping
        merged.append(
            Message(gone.context, gone.source, gone.translation, "obsolete", gone.comment)
        )
    return merged


def problems(messages: list[Message]) -> list[str]:
    """What keeps a language from being complete: missing or unfinished translations, and
    translations whose {placeholders} differ from the source's (a crash or a wrong number at
    run time)."""
    found = []
    for m in messages:
        if m.state == "obsolete":
            continue
        if m.state == "unfinished" or not m.translation.strip():
            found.append(f"untranslated: {m.source!r}")
        elif sorted(PLACEHOLDER.findall(m.source)) != sorted(PLACEHOLDER.findall(m.translation)):
            found.append(f"placeholders differ: {m.source!r} -> {m.translation!r}")
    return found


# -- commands ---------------------------------------------------------------------------------


def update() -> int:
    try:
        found = extract()
    except ExtractError as exc:
        print(f"i18n update: {exc}", file=sys.stderr)
        return 1
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    for code, language in LANGUAGES.items():
        path = ts_path(code)
        existing = read_ts(path)
        merged = merge(existing, found, identity=code == SOURCE_LANGUAGE)
        write_ts(path, language, merged)
        before = {m.key for m in existing if m.state != "obsolete"}
        added = sum(1 for m in merged if m.state != "obsolete" and m.key not in before)
        obsolete = sum(1 for m in merged if m.state == "obsolete")
        print(f"{path.relative_to(ROOT)}: {len(found)} strings, {added} new, {obsolete} obsolete")
        for problem in problems(merged):
            print(f"  {problem}")
    return 0


def lrelease() -> str:
    """The lrelease program: PySide6's, next to this Python, else one on PATH."""
    beside = Path(sys.executable).parent / "pyside6-lrelease"
    if beside.exists():
        return str(beside)
    for name in ("pyside6-lrelease", "lrelease"):
        program = shutil.which(name)
        if program:
            return program
    raise FileNotFoundError("pyside6-lrelease not found: run scripts/setup")


def compile_ts(ts: Path, qm: Path) -> None:
    """ts -> qm with lrelease. Raises CalledProcessError with lrelease's message."""
    subprocess.run(
        [lrelease(), "-silent", str(ts), "-qm", str(qm)],
        check=True,
        capture_output=True,
        text=True,
    )


def compile_all() -> int:
    for code in LANGUAGES:
        ts, qm = ts_path(code), qm_path(code)
        if not ts.exists():
            print(f"i18n compile: {ts.relative_to(ROOT)} missing (run update)", file=sys.stderr)
            return 1
        try:
            compile_ts(ts, qm)
        except subprocess.CalledProcessError as exc:
            print(f"i18n compile: {ts.name}: {exc.stderr or exc.stdout}", file=sys.stderr)
            return 1
        print(f"{qm.relative_to(ROOT)}: compiled")
    return 0


def check() -> int:
    try:
        found = extract()
    except ExtractError as exc:
        print(f"i18n check: {exc}", file=sys.stderr)
        return 1
    vi = {m.key: m for m in read_ts(ts_path("vi"))}
    missing = [f"not in kiosk_vi.ts (run update): {key[1]!r}" for key in found if key not in vi]
    current = [vi[key] for key in found if key in vi]
    for problem in missing + problems(current):
        print(problem)
    return 1 if missing or problems(current) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("update", "compile", "check"))
    args = parser.parse_args(argv)
    return {"update": update, "compile": compile_all, "check": check}[args.command]()


if __name__ == "__main__":
    sys.exit(main())
