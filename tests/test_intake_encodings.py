"""Encodings: UTF-8 with or without BOM, UTF-16 with BOM, Windows-1251 and Windows-1252 —
declared in profile.yaml or told apart, and never taken for one another.

The detection is proved on realistic Russian and German text (tests/fixtures/locale),
sentence by sentence and in random mixtures of their words; ``--long`` (make test-long) runs 200,000 mixtures.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from revkit.intake import textfile
from revkit.intake.validate import check_client, load_client

TEXTS = yaml.safe_load((Path(__file__).parent / "fixtures" / "locale" / "texts.yaml")
                       .read_text(encoding="utf-8"))
HEADER = "respondent_id;team;question_id;score;comment\r\n"
WHERE = {"file": "survey.csv"}


def survey_bytes(comments: list[str], encoding: str) -> bytes:
    rows = [f'r{n};sales;silos_01;4;"{c}"\r\n' for n, c in enumerate(comments, start=1)]
    return (HEADER + "".join(rows)).encode(encoding)


def read(data: bytes, declared: str | None = None):
    return textfile.decode(data, WHERE, declared, textfile.csv_locator(lambda names: names))


def other(encoding: str) -> str:
    return {"cp1251": "cp1252", "cp1252": "cp1251"}[encoding]


CASES = [(encoding, text) for encoding, texts in TEXTS.items() for text in texts]


@pytest.mark.parametrize("encoding, text", CASES, ids=[f"{e}-{i}" for i, (e, _) in enumerate(CASES)])
def test_each_realistic_line_is_read_in_its_own_encoding(encoding, text):
    data = survey_bytes([text], encoding)
    decoded = read(data)
    assert isinstance(decoded, textfile.Decoded), decoded.render()
    assert text in decoded.text
    if text.isascii():  # the same bytes in every encoding
        assert decoded.encoding == "utf-8"
        return
    # the 8-bit bytes of a line with a letter beyond ASCII are not UTF-8, and of the two
    # 8-bit encodings only their own reads them plausibly
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decoded.encoding == encoding


@pytest.mark.parametrize("encoding", sorted(TEXTS))
def test_a_whole_file_of_each_language_is_read_in_its_own_encoding(encoding):
    decoded = read(survey_bytes(TEXTS[encoding], encoding))
    assert decoded.encoding == encoding
    assert all(text in decoded.text for text in TEXTS[encoding])


def _words(encoding: str) -> list[str]:
    return sorted({w for text in TEXTS[encoding] for w in text.split()})


def _mixtures(count: int, seed: int):
    rng = random.Random(seed)
    for _ in range(count):
        encoding = rng.choice(sorted(TEXTS))
        words = _words(encoding)
        comments = [" ".join(rng.choices(words, k=rng.randint(1, 12)))
                    for _ in range(rng.randint(1, 4))]
        # survey text always reaches past ASCII somewhere in a comment that matters here
        if all(c.isascii() for c in comments):
            comments.append(next(w for w in words if not w.isascii()))
        yield encoding, comments


def _check_mixtures(count: int, seed: int) -> None:
    for encoding, comments in _mixtures(count, seed):
        decoded = read(survey_bytes(comments, encoding))
        # read as written (where both encodings give the same text, e.g. only '–' is beyond
        # ASCII, either name will do), or refused as undecidable: never the other's text
        if isinstance(decoded, textfile.Decoded):
            assert all(c in decoded.text for c in comments), (encoding, comments)
        else:
            assert "cannot be told for sure" in decoded.message, comments


def test_random_mixtures_of_words_are_never_read_in_the_other_encoding():
    _check_mixtures(300, seed=11)


@pytest.mark.long
def test_many_random_mixtures_are_never_read_in_the_other_encoding():
    _check_mixtures(200_000, seed=12)


def test_mixtures_of_real_words_are_told_apart_not_refused():
    refused = [c for e, c in _mixtures(300, seed=13)
               if not isinstance(read(survey_bytes(c, e)), textfile.Decoded)]
    assert refused == []


# ---------------------------------------------------------------- BOMs, UTF-16, declarations

@pytest.mark.parametrize("bom, codec", [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                                        (b"\xfe\xff", "utf-16-be")])
def test_a_byte_order_mark_names_the_encoding(bom, codec):
    text = HEADER + 'r1;sales;silos_01;4;"Übergabe läuft — Данные о клиентах"\r\n'
    decoded = read(bom + text.encode(codec))
    assert decoded.text == text and decoded.encoding.startswith("utf-")


@pytest.mark.parametrize("encoding", ["cp1251", "cp1252"])
def test_a_declared_encoding_is_used(encoding):
    texts = TEXTS[encoding]
    decoded = read(survey_bytes(texts, encoding), declared=encoding)
    assert decoded.encoding == encoding and all(t in decoded.text for t in texts)


def test_a_declaration_does_not_turn_utf8_into_mojibake():
    text = HEADER + 'r1;sales;silos_01;4;"Данные о клиентах"\r\n'
    decoded = read(text.encode("utf-8"), declared="cp1251")
    assert decoded.text == text and decoded.encoding == "utf-8"


def test_a_wrong_declaration_is_an_error_naming_the_right_one():
    data = survey_bytes(["ok", TEXTS["cp1252"][0]], "cp1252")
    problem = read(data, declared="cp1251")
    assert isinstance(problem, type(read(b"\x00")))  # a Problem, not text
    assert problem.file == "survey.csv" and problem.row == 3 and problem.column == "comment"
    assert "Windows-1252" in problem.message and "encoding: cp1251" in problem.message
    assert problem.allowed.startswith("set encoding: cp1252 in profile.yaml")


def test_a_byte_the_declared_encoding_lacks_is_named():
    # 0x98 has no character in Windows-1251; the rest of the line is Russian
    data = HEADER.encode() + b'r1;sales;silos_01;4;"' + "Данные ".encode("cp1251") + b'\x98"\r\n'
    problem = read(data, declared="cp1251")
    offset = data.index(b"\x98")
    assert problem.message == f"byte {offset} of the file is not Windows-1251 (Cyrillic) text"
    assert (problem.row, problem.column) == (2, "comment")
    assert "encoding: utf-8, utf-16, cp1251, cp1252" in problem.allowed


def test_declared_utf8_refuses_other_bytes_with_row_and_column():
    data = survey_bytes(["ok", "Данные"], "cp1251")
    problem = read(data, declared="utf-8")
    assert "is not UTF-8 text" in problem.message
    assert (problem.row, problem.column) == (3, "comment") and "UTF-8 text" in problem.allowed


def test_broken_utf16_is_located_by_row_and_column():
    good = (HEADER + "r1;sales;silos_01;4;ok\r\nr2;sales;silos_02;").encode("utf-16-le")
    data = b"\xff\xfe" + good + b"\x00\xdc" + "3;\r\n".encode("utf-16-le")  # a lone surrogate
    problem = read(data)
    assert "is not UTF-16" in problem.message
    assert (problem.row, problem.column) == (3, "score")


def test_utf16_without_a_byte_order_mark_is_refused_unless_declared():
    data = (HEADER + "r1;sales;silos_01;4;Данные\r\n").encode("utf-16-le")
    problem = read(data)
    assert "UTF-16 without a byte-order mark" in problem.message
    assert "byte-order mark" in problem.allowed
    assert read(data, declared="utf-16").text.endswith("Данные\r\n")


# ---------------------------------------------------------------- whole folders

def test_a_cp1251_survey_is_read_without_a_declaration(copy_demo):
    folder = copy_demo("nordkraft-tools")
    text = (folder / "survey.csv").read_text(encoding="utf-8")
    text = text.replace("nk-01,sales,silos_01,4,", "nk-01,sales,silos_01,4,Данные в трёх системах")
    (folder / "survey.csv").write_bytes(text.encode("cp1251"))
    client = load_client(folder)
    assert "Данные в трёх системах" in set(client.survey["comment"].dropna())
    assert client.read_as["survey.csv"] == ("cp1251", ",") and client.encoding is None


def test_a_cp1251_profile_is_read_with_its_own_declaration(copy_demo):
    folder = copy_demo("nordkraft-tools")
    text = (folder / "profile.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Nordkraft Werkzeughandel GmbH", "name: ООО «Северная сила»")
    (folder / "profile.yaml").write_bytes((text + "encoding: Windows-1251\n").encode("cp1251"))
    client = load_client(folder)
    assert client.name == "ООО «Северная сила»"
    assert client.encoding == "cp1251" and client.read_as["profile.yaml"][0] == "cp1251"


def test_an_undecidable_profile_names_its_line_and_key(copy_demo, run_cli):
    folder = copy_demo("nordkraft-tools")
    text = (folder / "profile.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Nordkraft Werkzeughandel GmbH", "name: è")
    (folder / "profile.yaml").write_bytes(text.encode("cp1252"))
    _, problems = check_client(folder)
    (problem,) = [p for p in problems if p.severity == "error"]
    assert (problem.file, problem.row, problem.column) == ("profile.yaml", 1, "name")
    assert "encoding: cp1251" in problem.allowed and "encoding: cp1252" in problem.allowed
