"""The README's API examples are true: every ``curl`` in its "## API" section runs against the seed data.

How README.md pairs a command with its expected response:

- An example is a ```sh block holding one ``curl`` command (it may continue over
  lines ending in a backslash), followed directly, with only blank lines between,
  by the response it expects:

  - a ```json block: the status is 200 and the block is an excerpt of the body;
  - a ```http block: a status line (``HTTP/1.1 201 Created``), header lines whose
    values must match exactly, a blank line, then an excerpt of the body.

  A ```sh block without ``curl`` (e.g. a management command) is not an example;
  a ```json or ```http block in the section that follows no example is an error.
- The URL is ``http://127.0.0.1:8000`` plus a path and query. Of curl's options,
  ``-X``, ``-H`` and ``-d`` are honoured, the output flags ``-s`` and ``-i`` are
  ignored, and any other is an error. ``$TOKEN`` stands for an API token of an
  Editors-group user.

The excerpt must be a subset of the real body:

- an object matches when each of its keys is in the real object with a matching
  value; keys it leaves out are not checked;
- a list matches item by item, in order, and must have as many items as the real
  one, unless its last item is the string ``"…"``: then the items before it must
  match the real list's first items;
- a string ending in ``…`` matches any string that starts with the text before it;
- any other value must be equal, and of the same JSON type;
- ``http://127.0.0.1:8000`` inside an expected string stands for the test server.

Embedded actors and topics are listed by name, so their order follows the
database's collation: an excerpt should show only lists whose order every
collation agrees on.
"""

import json
import re
import shlex
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.helpers import load_seed, load_yaml

README = Path(settings.BASE_DIR) / "README.md"
ORIGIN = "http://127.0.0.1:8000"
TEST_ORIGIN = "http://testserver"
ELLIPSIS = "…"
FENCE = re.compile(r"^```(?P<lang>[\w-]*)\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
RESPONSE_LANGS = {"json", "http"}
MIN_EXAMPLES = 8


@dataclass(frozen=True)
class Example:
    line: int
    command: str
    method: str
    path: str  # path and query, without the origin
    headers: dict[str, str]
    body: str | None
    status: int
    response_headers: dict[str, str]
    excerpt: object

    def __str__(self):
        return f"README.md line {self.line}: {self.method} {self.path}"


class ReadmeError(Exception):
    """A README example that does not follow the convention."""


def check(condition, message: str) -> None:
    if not condition:
        raise ReadmeError(message)


def parse_curl(command: str) -> tuple[str, str, dict[str, str], str | None]:
    """``curl`` command → (method, path with query, request headers, body)."""
    words = shlex.split(command.replace("\\\n", " "))
    check(words[0] == "curl", "the command must start with curl")
    method, headers, body, url = None, {}, None, None
    rest = iter(words[1:])
    for word in rest:
        if word in ("-X", "--request"):
            method = next(rest)
        elif word in ("-H", "--header"):
            name, _, value = next(rest).partition(":")
            headers[name.strip()] = value.strip()
        elif word in ("-d", "--data", "--data-raw"):
            body = next(rest)
        elif re.fullmatch(r"-[si]+|--silent|--include", word):
            pass
        elif word.startswith("-"):
            raise ReadmeError(f"curl option {word} is not supported by this test")
        else:
            check(url is None, "more than one URL")
            url = word
    check(url and url.startswith(ORIGIN + "/"), f"the URL must start with {ORIGIN}/")
    return method or ("POST" if body is not None else "GET"), url.removeprefix(ORIGIN), headers, body


def parse_response(lang: str, text: str) -> tuple[int, dict[str, str], object]:
    """A ```json or ```http block → (status, headers to check, body excerpt)."""
    if lang == "json":
        return 200, {}, json.loads(text)
    head, _, body = text.partition("\n\n")
    status_line, *header_lines = head.splitlines()
    match = re.fullmatch(r"HTTP/1\.1 (\d{3}) (.+)", status_line)
    check(match, f"bad status line {status_line!r}")
    status = int(match.group(1))
    check(match.group(2) == HTTPStatus(status).phrase, f"wrong reason phrase in {status_line!r}")
    check(all(": " in line for line in header_lines), "header lines must read `Name: value`")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return status, headers, json.loads(body)


def collect_examples(text: str) -> tuple[list[Example], list[str]]:
    """Every example of the API section, and what is wrong with those that cannot be read."""
    match = re.search(r"^## API[ \t]*\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    if not match:
        return [], ['README.md has no "## API" section']
    section, offset = match.group(1), text.count("\n", 0, match.start(1)) + 1
    blocks = list(FENCE.finditer(section))

    def line_of(block) -> int:
        return offset + section.count("\n", 0, block.start())

    examples, errors, paired = [], [], set()
    for i, block in enumerate(blocks):
        if block.group("lang") != "sh" or not re.search(r"^curl ", block.group("body"), re.MULTILINE):
            continue
        line = line_of(block)
        try:
            command = block.group("body").strip()
            check(len(re.findall(r"^curl ", command, re.MULTILINE)) == 1, "one curl command per ```sh block")
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            check(
                following is not None and following.group("lang") in RESPONSE_LANGS,
                "a curl example must be followed by a ```json or ```http block",
            )
            check(
                not section[block.end() : following.start()].strip(),
                "nothing but blank lines may separate an example from its response",
            )
            paired.add(i + 1)
            method, path, headers, body = parse_curl(command)
            status, response_headers, excerpt = parse_response(following.group("lang"), following.group("body"))
        except (ReadmeError, ValueError, StopIteration) as exc:  # bad JSON is a ValueError
            errors.append(f"README.md line {line}: {exc}")
            continue
        examples.append(Example(line, command, method, path, headers, body, status, response_headers, excerpt))
    errors += [
        f"README.md line {line_of(block)}: a response block with no curl example before it"
        for i, block in enumerate(blocks)
        if block.group("lang") in RESPONSE_LANGS and i not in paired
    ]
    return examples, errors


def mismatches(expected, actual, where: str = "body") -> list[str]:
    """Where ``actual`` fails to match the excerpt ``expected`` (rules in the module docstring)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {actual!r:.200}"]
        found = []
        for key, value in expected.items():
            if key not in actual:
                found.append(f"{where}: no key {key!r}")
            else:
                found += mismatches(value, actual[key], f"{where}.{key}")
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{where}: expected a list, got {actual!r:.200}"]
        prefix = bool(expected) and expected[-1] == ELLIPSIS
        items = expected[:-1] if prefix else expected
        if len(actual) < len(items) or (not prefix and len(actual) != len(items)):
            return [f"{where}: expected {'at least ' if prefix else ''}{len(items)} items, got {len(actual)}"]
        return [problem for i, item in enumerate(items) for problem in mismatches(item, actual[i], f"{where}[{i}]")]
    if isinstance(expected, str):
        expected = expected.replace(ORIGIN, TEST_ORIGIN)
        if expected.endswith(ELLIPSIS):
            ok = isinstance(actual, str) and actual.startswith(expected[: -len(ELLIPSIS)])
            return [] if ok else [f"{where}: expected a string starting {expected[:-1]!r}, got {actual!r:.200}"]
    if type(expected) is not type(actual) or expected != actual:
        return [f"{where}: expected {expected!r}, got {actual!r:.200}"]
    return []


EXAMPLES, README_ERRORS = collect_examples(README.read_text(encoding="utf-8"))


@pytest.fixture
def seed(db):
    load_seed()


def test_the_api_section_has_its_examples():
    assert not README_ERRORS, "\n".join(README_ERRORS)
    assert len(EXAMPLES) >= MIN_EXAMPLES
    assert any(example.method == "POST" for example in EXAMPLES)
    assert any(example.status >= 400 for example in EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_readme_example(example, seed, request):
    extra = {}
    for name, value in example.headers.items():
        if "$TOKEN" in value:
            _, token = AuthToken.objects.create(user=request.getfixturevalue("editor"))
            value = value.replace("$TOKEN", token)
        assert "$" not in value, f"{example}: unknown placeholder in header {name}: {value}"
        if name.lower() != "content-type":
            extra["HTTP_" + name.upper().replace("-", "_")] = value
    assert "$" not in example.path, f"{example}: unknown placeholder in the URL"
    content_type = example.headers.get("Content-Type", "application/octet-stream")

    response = APIClient().generic(example.method, example.path, example.body or "", content_type=content_type, **extra)

    assert response.status_code == example.status, f"{example}: {response.status_code} {response.content[:500]!r}"
    for name, value in example.response_headers.items():
        assert response.headers.get(name) == value, f"{example}: header {name} is {response.headers.get(name)!r}"
    problems = mismatches(example.excerpt, json.loads(response.content))
    assert not problems, f"{example} does not match its README excerpt:\n" + "\n".join(problems)


# -- the matcher itself ------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "actual", "ok"),
    [
        ({"a": 1}, {"a": 1, "b": 2}, True),
        ({"a": 1}, {"b": 1}, False),
        ({"a": {"b": "x"}}, {"a": {"b": "x", "c": 1}}, True),
        ([{"a": 1}, {"a": 2}], [{"a": 1}, {"a": 2}], True),
        ([{"a": 1}], [{"a": 1}, {"a": 2}], False),  # lengths must agree
        ([{"a": 1}, "…"], [{"a": 1}, {"a": 2}], True),  # unless the list ends in "…"
        ([{"a": 2}, "…"], [{"a": 1}, {"a": 2}], False),  # a prefix, in order
        (["…"], [], True),
        ("abc…", "abcdef", True),
        ("abc…", "xabc", False),
        ("…", "anything", True),
        (f"{ORIGIN}/api/v1/x/?cursor=…", f"{TEST_ORIGIN}/api/v1/x/?cursor=abc", True),
        (None, None, True),
        (1, True, False),  # JSON types must agree
        ("1", 1, False),
    ],
)
def test_excerpt_matching(expected, actual, ok):
    assert (not mismatches(expected, actual)) is ok


# -- claims in the prose -----------------------------------------------------------


def test_the_statuses_the_readme_lists_are_those_the_api_documents():
    """The "Statuses:" paragraph names every non-2xx status the schema documents, and no other."""
    text = README.read_text(encoding="utf-8")
    paragraph = text[text.index("Statuses: ") :].split("\n\n", 1)[0]
    claimed = {int(code) for code in re.findall(r"\b([1-5]\d\d)\b", paragraph)}
    schema = load_yaml((Path(settings.BASE_DIR) / "tests" / "snapshots" / "openapi-v1.yaml").read_text())
    documented = {
        int(code)
        for path in schema["paths"].values()
        for operation in path.values()
        for code in operation.get("responses", {})
        if not code.startswith("2")
    }
    assert claimed == documented


# -- the guide's five questions ---------------------------------------------------------

GUIDE = README.read_text(encoding="utf-8").split("## Five questions, five requests", 1)[1].split("\n## ", 1)[0]
GUIDE_URLS = re.findall(r"curl -s '(http://127\.0\.0\.1:8000[^']+)'", GUIDE)


def test_the_guide_asks_five_questions():
    assert len(GUIDE_URLS) == 5


@pytest.mark.parametrize("url", GUIDE_URLS)
def test_each_guide_request_answers_from_the_seed(url, seed):
    """Each request of the guide is a 200 page of results; those about the seed's facts find some."""
    response = APIClient().get(url.removeprefix(ORIGIN))
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert "results" in body
    if "as_of" not in url and "since" not in url:  # record time: the seed was recorded when it was loaded
        assert body["results"], url
