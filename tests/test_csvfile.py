"""CSV files for Belgian Excel (`pipeline.core.csvfile`, settings `[csv]`): ";" between
cells, a decimal comma, a byte-order mark in files; "," with a decimal point for other
tools. Read back with Python's csv module as a spreadsheet would split them."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from pipeline.core.csvfile import (BOM, csv_cell, csv_file_bytes, csv_file_text, csv_text,
                                   describe_csv)
from pipeline.core.settings import CsvSettings

COLUMNS = ("groep", "term", "gebruik", "per 10.000 woorden", "p", "ontkend")
ROWS = [("vakbond", "integratie", 12, 3.84, 0.0012, False),
        ("lokaal bestuur; Genk", "=HYPERLINK(\"x\")", np.int64(1250), np.float64(27.5), None,
         True),
        ("migrantenorganisatie", "racisme, onbewust", 0, float("nan"), 1e-7, False)]


def test_belgian_excel_by_default() -> None:
    text = csv_text(COLUMNS, ROWS)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == list(COLUMNS)
    assert rows[1] == ["vakbond", "integratie", "12", "3,84", "0,0012", "false"]
    # a ";" inside a cell is quoted; a formula stays text; no thousands mark in 1250
    assert rows[2] == ["lokaal bestuur; Genk", "'=HYPERLINK(\"x\")", "1250", "27,5", "", "true"]
    assert rows[3][3:5] == ["", "1e-07"]  # NaN is empty
    assert rows[3][1] == "racisme, onbewust"  # a comma in a text cell stays as written


def test_comma_separated_with_a_decimal_point_for_other_tools() -> None:
    text = csv_text(COLUMNS, ROWS, CsvSettings(separator=","))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["vakbond", "integratie", "12", "3.84", "0.0012", "false"]
    assert rows[3][1] == "racisme, onbewust"
    tabbed = csv_text(COLUMNS, ROWS, CsvSettings(separator="\t"))
    assert list(csv.reader(io.StringIO(tabbed), delimiter="\t"))[1][3] == "3,84"


def test_files_start_with_one_byte_order_mark() -> None:
    text = csv_text(COLUMNS, ROWS)
    assert csv_file_bytes(text).startswith(b"\xef\xbb\xbf")
    assert csv_file_text(csv_file_text(text)).count(BOM) == 1
    assert not csv_file_bytes(text, CsvSettings(bom=False)).startswith(b"\xef\xbb\xbf")
    assert csv_file_bytes("geïntegreerd;één\n").decode("utf-8-sig") == "geïntegreerd;één\n"


@pytest.mark.parametrize("value,expected", [(3.0, "3"), (0.1 + 0.2, "0,3"), (-2.5, "-2,5"),
                                            (True, "true"), ("-2,5", "'-2,5")])
def test_cells(value: object, expected: str) -> None:
    assert csv_cell(value) == expected


def test_caption_names_the_separator() -> None:
    assert "puntkomma" in describe_csv() and "Excel in België" in describe_csv()
    assert "decimale punt" in describe_csv(CsvSettings(separator=","))
