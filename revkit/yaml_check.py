"""One checker for the kit's YAML files: read safely, keep each key's line, check a schema.

A methodology file, a CRM mapping (and later the brand file) is read into a
``Document``: its data, the line of every key path, and its ``Problem`` rows —
the same rows the intake reports (file, line as ``row``, dotted key path as
``column``, value, what is allowed, did-you-mean). ``Document.validate`` checks
it against a JSON Schema shipped in ``revkit/data/schemas``; ``Document.problem``
adds a check the schema cannot express (an order, a catalog id) at a key's line.

Standard library, PyYAML and jsonschema only: a batch checks its methodology
before anything heavy is imported.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from revkit.errors import Problem
from revkit.suggest import allowed_text, suggest
from revkit.text import clean, clean_all

SCHEMAS_DIR = Path(__file__).resolve().parent / "data" / "schemas"
_KINDS = {"string": "text", "number": "a number", "integer": "a whole number",
          "boolean": "true or false", "object": "a set of 'key: value' lines",
          "array": "a list", "null": "empty"}
_RANGES = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}


# the kit's own data files (catalogs, contracts, messages): safe YAML, read by libyaml where
# PyYAML has it (several times faster than the pure-Python reader)
DATA_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_data(path: str | Path):
    """A YAML data file the kit ships, read with ``DATA_LOADER``."""
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=DATA_LOADER)


class _Loader(DATA_LOADER):
    """Safe YAML with normal types; keys stay as written (``1:`` is the key "1")."""

    def construct_mapping(self, node, deep=False):
        self.flatten_mapping(node)
        data = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a name, not a list or mapping", key.start_mark)
            data[key.value] = self.construct_object(value, deep=deep)
        return data


class _TextLoader(_Loader):
    """Every scalar stays text (``No``, ``On``, ``2026-01-01`` are CRM export values)."""


_TextLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag == "tag:yaml.org,2002:null"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Document:
    """A YAML file read for checking: data (None if unreadable), key lines, problems."""

    file: str
    data: dict | None = None
    lines: dict = field(default_factory=dict)  # key path (tuple) -> line number
    problems: list[Problem] = field(default_factory=list)
    flagged: set = field(default_factory=set)  # key paths that have a problem

    def line(self, path) -> int | None:
        """The line of a key path, or of its nearest parent given in the file."""
        path = _path(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None

    def given(self, *paths) -> tuple:
        """The first of ``paths`` the file itself gives (else the first): where a
        problem that involves several keys is best shown."""
        paths = [_path(p) for p in paths]
        return next((p for p in paths if p in self.lines), paths[0])

    def flagged_below(self, path) -> bool:
        """Whether ``path`` or a key under it has a problem."""
        path = _path(path)
        return any(p[:len(path)] == path for p in self.flagged)

    def problem(self, path, message: str, value=None, allowed: str | None = None,
                choices=None, suggestion: str | None = None) -> None:
        """Report a problem at ``path`` (a tuple or dotted text), located at its line."""
        path = _path(path)
        if suggestion is None and choices and isinstance(value, str):
            suggestion = suggest(value, list(choices))
        self.flagged.add(path)
        self.problems.append(Problem(
            file=self.file, row=self.line(path), column=_dotted(path) or None,
            value=value, message=message, allowed=allowed, suggestion=suggestion))

    def validate(self, schema_name: str) -> Document:
        """Add a problem for every way the data breaks ``<schema_name>.schema.json``."""
        if self.data is not None:
            for error in _validator(schema_name).iter_errors(self.data):
                _report(self, error, schema(schema_name))
        return self

    def require_all(self, schema_name: str) -> Document:
        """Add a problem for every key the schema names that the data lacks: the kit's
        own files must be complete, a user's file only overrides parts of them."""
        root = schema(schema_name)
        _require_all(self, root, root, self.data, ())
        return self

    def sorted_problems(self) -> list[Problem]:
        """The problems by line (then key path): a stable order to read top to bottom."""
        return sorted(self.problems, key=lambda p: (p.row or 0, p.column or "", p.message))


def read(path: str | Path, file: str | None = None, *, text: bool = False,
         aliases: bool = False) -> Document:
    """Read a YAML file; ``file`` is its name in problems (default: the path as given).

    ``text=True`` keeps every scalar as text (only an empty value is null);
    ``aliases=True`` allows anchors and aliases (the kit's own files only).
    """
    from revkit import limits

    file = str(path) if file is None else file
    try:
        size = Path(path).stat().st_size
        if limits.too_large("yaml_file_bytes", size):
            return _unreadable(file, f"the file is {size:,} bytes, too large for a YAML file "
                               "of settings", limits.describe("yaml_file_bytes"))
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return _unreadable(file, "file not found", "a YAML file")
    except OSError as exc:
        return _unreadable(file, f"the file cannot be read ({exc.strerror or exc})")
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _unreadable(file, "not a UTF-8 text file", "UTF-8 text")
    return parse(content, file, text=text, aliases=aliases)


def parse(content: str, file: str, *, text: bool = False, aliases: bool = False) -> Document:
    """Like ``read``, from the file's text."""
    loader_class = _TextLoader if text else _Loader
    loader = loader_class(content)
    try:
        if not aliases:  # an alias can blow a small file up and hides where a value is from
            for event in yaml.parse(content, Loader=loader_class):
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    return _unreadable(file, "anchors and aliases (&name, *name) are not "
                                       "allowed here: write the values out",
                                       row=event.start_mark.line + 1)
        node = loader.get_single_node()  # the nodes give the lines, then the data
        # every text as a reader sees it: no control, bidi or zero-width characters
        data = clean_all(loader.construct_document(node)) if node is not None else {}
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date such as 2026-02-30
        mark = getattr(exc, "problem_mark", None)
        return _unreadable(file, f"not valid YAML: {yaml_reason(exc)}",
                           row=mark.line + 1 if mark else None)
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        return _unreadable(file, f"must be a YAML mapping of 'key: value' lines, got {kind}",
                           row=1)
    doc = Document(file, data)
    _walk(doc, node, (), set())
    return doc


def yaml_reason(exc: Exception) -> str:
    """Why YAML could not be read, in words; a tag such as ``!!python/object`` (which an
    unsafe loader would run as code) is named as not allowed."""
    reason = str(getattr(exc, "problem", None) or exc)
    if isinstance(exc, yaml.constructor.ConstructorError) and "for the tag" in reason:
        tag = reason.split("for the tag", 1)[1].strip(" '\"").replace("tag:yaml.org,2002:", "!!")
        return (f"the tag {tag} is not allowed: only plain YAML values (text, numbers, "
                "true/false, dates, lists and mappings) are read, never objects")
    return reason


@cache
def schema(name: str) -> dict:
    """A schema shipped with the kit: ``revkit/data/schemas/<name>.schema.json``."""
    return json.loads((SCHEMAS_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def _validator(name: str):
    import jsonschema  # not needed until a file is checked

    spec = schema(name)
    cls = jsonschema.validators.validator_for(spec)  # a test checks the schema itself
    # YAML has no separate integer type and true is not 1; .nan and .inf are no numbers
    checker = cls.TYPE_CHECKER.redefine_many({
        "integer": lambda _, x: isinstance(x, int) and not isinstance(x, bool),
        "number": lambda _, x: isinstance(x, (int, float)) and not isinstance(x, bool)
        and math.isfinite(x)})
    return jsonschema.validators.extend(cls, type_checker=checker)(spec)


def _report(doc: Document, error, root: dict) -> None:
    """One jsonschema error as problem rows, in words a consultant can act on."""
    path, kind, spec, value = tuple(error.absolute_path), error.validator, error.schema, \
        error.instance
    limit, described = error.validator_value, spec.get("description")
    if list(error.absolute_schema_path)[-2:-1] == ["propertyNames"]:  # the key is wrong
        doc.problem(path + (value,), "unknown key", value=value, allowed=described,
                    choices=spec.get("enum"))
    elif kind == "additionalProperties":
        known = list(spec.get("properties", {}))
        for key in [k for k in value if k not in known]:
            doc.problem(path + (key,), "unknown key", value=key, allowed=allowed_text(known),
                        choices=known)
    elif kind == "required":
        # jsonschema reports each missing key as its own error, naming it only in words
        for key in [k for k in limit if k not in value and path + (k,) not in doc.flagged]:
            sub = _resolve(root, spec.get("properties", {}).get(key, {}))
            doc.problem(path + (key,), f"'{key}' is required", allowed=sub.get("description"))
    elif kind == "type":
        kinds = " or ".join(_KINDS[t] for t in (limit if isinstance(limit, list) else [limit]))
        doc.problem(path, f"must be {kinds}", value=_scalar(value), allowed=described)
    elif kind == "enum":
        doc.problem(path, "not an allowed value", value=_scalar(value),
                    allowed=allowed_text(limit), choices=[str(c) for c in limit])
    elif kind in _RANGES:
        bounds = " and ".join(f"{op} {spec[k]}" for k, op in _RANGES.items() if k in spec)
        doc.problem(path, "out of range", value=value, allowed=described or f"a number {bounds}")
    elif kind in ("minItems", "minProperties", "minLength") and limit == 1:
        doc.problem(path, "must not be empty", allowed=described)
    elif kind in ("minItems", "maxItems"):
        doc.problem(path, f"must have {'at least' if kind == 'minItems' else 'at most'} "
                    f"{limit} items", allowed=described)
    else:  # pattern and the rest: the schema's description says what is meant
        doc.problem(path, "not in the expected form" if kind == "pattern" else error.message,
                    value=_scalar(value), allowed=described)


def _require_all(doc: Document, root: dict, spec: dict, data, path: tuple) -> None:
    if not isinstance(data, dict):
        return
    spec = _resolve(root, spec)
    for key, sub in spec.get("properties", {}).items():
        if key not in data:
            if "default" not in _resolve(root, sub):  # a key with a default is optional
                doc.problem(path + (key,), f"'{key}' is missing",
                            allowed=_resolve(root, sub).get("description"))
        else:
            _require_all(doc, root, sub, data[key], path + (key,))


def _resolve(root: dict, spec: dict) -> dict:
    """``spec`` with its ``$ref`` followed (the kit's schemas refer within themselves)."""
    if "$ref" not in spec:
        return spec
    node = root
    for part in spec["$ref"].removeprefix("#/").split("/"):
        node = node.get(part, {})
    return _resolve(root, node)


def _walk(doc: Document, node, path: tuple, seen: set) -> None:
    """Record the line of every key and list item; a key given twice is a problem
    (YAML would silently keep the second)."""
    if id(node) in seen:  # an alias in the kit's own file: its lines are the original's
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first: dict = {}
        for key, value in node.value:
            here, line = path + (clean(key.value),), key.start_mark.line + 1
            doc.lines[here] = line
            if key.value in first:
                doc.problem(here, f"'{key.value}' is given twice (first on line "
                            f"{first[key.value]}); give each key once", value=key.value)
            first.setdefault(key.value, line)
            _walk(doc, value, here, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            doc.lines[path + (index,)] = item.start_mark.line + 1
            _walk(doc, item, path + (index,), seen)


def _unreadable(file: str, message: str, allowed: str | None = None,
                row: int | None = None) -> Document:
    return Document(file, None, problems=[Problem(file=file, row=row, message=message,
                                                  allowed=allowed)])


def _path(path) -> tuple:
    return tuple(path.split(".")) if isinstance(path, str) else tuple(path)


def _dotted(path: tuple) -> str:
    # list positions are left out: the row already points at the item's line
    return ".".join(str(p) for p in path if not isinstance(p, int))


def _scalar(value):
    return None if isinstance(value, (dict, list)) else value
