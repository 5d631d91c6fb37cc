"""Hypothesis strategies for hostile input: valid Dutch fixture files mutated byte by byte
and line by line, re-encoded (UTF-16 with an odd byte count, lone surrogates), and office
files (docx, xlsx) whose XML parts are mutated inside an otherwise valid archive.

Used by tests/test_fuzz.py. Two profiles (registered in tests/conftest.py): `quick` (a few
dozen inputs per reader, derandomised, part of `make test`) and `fuzz` (`make fuzz`,
at least 2,000 random inputs per reader).
"""

from __future__ import annotations

import io
import zipfile

from hypothesis import strategies as st

from tests.pdfmaker import make_pdf

# Fragments that have broken parsers before: markers, caption timings, formula starts,
# control and bidirectional characters, XML and YAML specials, odd encodings.
INTERESTING: tuple[bytes, ...] = tuple(s if isinstance(s, bytes) else s.encode("utf-8") for s in (
    b"\x00", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\xd8\x00", b"\x00\xdc", b"\xed\xa0\x80",
    b"\x80\x81\x8d\x8f\x90\x9d", b"\r", b"\r\n", b"\n\n", b"\t", b"\x0b\x0c", b"\x1f", b"\x7f",
    "Jan:", "[Jan]", "**Jan:**", "Jan (00:01:02):", "[00:01:02] Jan:", "<v Jan>", "</v>",
    "<v.loud Sofie Peeters>", "-->", "00:00:0x.000 --> 00:00:04.000",
    "00:00:09.000 --> 00:00:01.000", "99999999999:99:99.999 --> 1:00.0", "WEBVTT", "NOTE",
    "=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\u202e", "\u200f", "\u2028",
    "\ufeff", "\ufffd", "ë", "ï", "Ayşe", "İ", "ß", "\U0001F600", "&amp;", "&#0;", "&lol;",
    "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", "<![CDATA[", "]]>", "<w:p>", "</w:t>", "\"", "'",
    ";", ",", ":", "- ", "  ", "&a [*a, *a]", "!!python/object:os.system", "{", "}", "[", "]",
    "@prefix", "<http://x>", "\"\"\"", "^^", "stream", "endstream", "obj", "/Length 999999",
    "trailer", "startxref", "%%EOF", "9" * 40, "a" * 300,
))


@st.composite
def mutations(draw: st.DrawFn, data: bytes, max_mutations: int = 6) -> bytes:
    """`data` after a few random edits: flip, insert (random or interesting bytes), delete,
    duplicate or truncate."""
    out = bytearray(data)
    for _ in range(draw(st.integers(0, max_mutations))):
        kind = draw(st.sampled_from(["flip", "insert", "interesting", "delete", "duplicate",
                                     "truncate"]))
        at = draw(st.integers(0, max(0, len(out))))
        if kind == "flip" and out:
            at = min(at, len(out) - 1)
            out[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "interesting":
            out[at:at] = draw(st.sampled_from(INTERESTING))
        elif kind == "delete":
            del out[at:at + draw(st.integers(1, 64))]
        elif kind == "duplicate":
            out[at:at] = out[at:at + draw(st.integers(1, 256))] * draw(st.integers(1, 4))
        elif kind == "truncate":
            del out[at:]
    return bytes(out)


@st.composite
def reencoded(draw: st.DrawFn, data: bytes) -> bytes:
    """Text bytes as they arrive from other editors: as they are, UTF-16 LE/BE with a BOM
    (sometimes one byte short, sometimes with a lone surrogate), UTF-8 with a BOM, cp1252."""
    how = draw(st.sampled_from(["same", "utf-16", "utf-16-odd", "utf-16-surrogate",
                                "utf-8-sig", "cp1252"]))
    text = data.decode("utf-8", errors="replace")
    if how == "same":
        return data
    if how == "utf-8-sig":
        return b"\xef\xbb\xbf" + data
    if how == "cp1252":
        return text.encode("cp1252", errors="replace")
    encoded = text.encode(draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be"])))
    if not encoded.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoded = (b"\xff\xfe" if b"\x00" == encoded[1:2] else b"\xfe\xff") + encoded
    if how == "utf-16-odd":
        return encoded[:-1] if len(encoded) % 2 == 0 else encoded
    if how == "utf-16-surrogate":
        at = 2 + 2 * draw(st.integers(0, max(0, (len(encoded) - 2) // 2)))
        lone = b"\x00\xd8" if encoded.startswith(b"\xff\xfe") else b"\xd8\x00"
        return encoded[:at] + lone + encoded[at:]
    return encoded


def hostile_text(seed: bytes) -> st.SearchStrategy[bytes]:
    """A text file: the seed mutated, then maybe re-encoded."""
    return mutations(seed).flatmap(reencoded)


# Speaker labels and turns built from any Unicode: the marker regexes see every category.
_LABEL = st.one_of(st.sampled_from(["Jan", "Sofie Peeters", "Ayşe Demir", "De voorzitter",
                                    "Moderator", "Deelnemer 3", "Oké", "Datum"]),
                   st.text(min_size=1, max_size=30))
_TURN_TEXT = st.text(max_size=200)


@st.composite
def transcript_lines(draw: st.DrawFn) -> bytes:
    """A txt/md transcript from generated turns in every marker style."""
    styles = ["{n}: {t}", "[{n}] {t}", "**{n}:** {t}", "{n} (00:0{m}:1{m}): {t}",
              "[00:0{m}:0{m}] {n}: {t}", "# {t}", "{t}", ""]
    lines = []
    for _ in range(draw(st.integers(0, 25))):
        style = draw(st.sampled_from(styles))
        lines.append(style.format(n=draw(_LABEL), t=draw(_TURN_TEXT), m=draw(st.integers(0, 9))))
    return "\n".join(lines).encode("utf-8", errors="surrogatepass")


@st.composite
def caption_file(draw: st.DrawFn, fmt: str) -> bytes:
    """A WebVTT or SRT file from generated cues with good, bad and reversed timings."""
    sep = "." if fmt == "vtt" else ","
    out = ["WEBVTT", ""] if fmt == "vtt" else []
    for number in range(1, draw(st.integers(0, 15)) + 1):
        a, b = draw(st.integers(0, 7200)), draw(st.integers(0, 7200))
        good = (f"{a // 3600:02d}:{a // 60 % 60:02d}:{a % 60:02d}{sep}000 --> "
                f"{b // 3600:02d}:{b // 60 % 60:02d}:{b % 60:02d}{sep}500")
        timing = draw(st.one_of(st.just(good), st.text(max_size=40).map(lambda t: t + " --> x"),
                                st.sampled_from([f"00:00:0x{sep}000 --> 00:00:04{sep}000",
                                                 f"1:2 --> 3:4", "-->", f"00:00:01{sep}000-->"])))
        voice = draw(st.one_of(st.just(""), _LABEL.map(lambda n: f"<v {n}>"),
                               _LABEL.map(lambda n: f"{n}: ")))
        if fmt == "srt":
            out.append(str(number))
        out += [timing, voice + draw(_TURN_TEXT), ""]
    return "\n".join(out).encode("utf-8", errors="surrogatepass")


def _replace_part(archive: bytes, part: str, data: bytes) -> bytes:
    """`archive` with one entry's bytes replaced (the rest copied as they are)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, data if info.filename == part else source.read(info))
    return out.getvalue()


def office_file(seed: bytes, part: str) -> st.SearchStrategy[bytes]:
    """An office file: its XML `part` mutated inside a valid archive, or the raw archive
    bytes mutated (broken zip structures, lying sizes)."""
    with zipfile.ZipFile(io.BytesIO(seed)) as archive:
        xml = archive.read(part)
    inner = mutations(xml, max_mutations=4).map(lambda data: _replace_part(seed, part, data))
    return st.one_of(inner, mutations(seed, max_mutations=3))


def make_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@st.composite
def participants_csv(draw: st.DrawFn) -> bytes:
    """A participants sheet from generated rows: any delimiter, ragged rows, quotes."""
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    header = draw(st.sampled_from([["speaker", "group", "organisation", "region", "role"],
                                   ["spreker", "groep"], ["naam", "groep", "rol"],
                                   ["speaker"], []]))
    lines = [delimiter.join(header)]
    for _ in range(draw(st.integers(0, 12))):
        cells = draw(st.lists(st.one_of(_LABEL, st.sampled_from(
            ["participant", "facilitator", "begeleider", "onbekend", "", '"', '"a,b"'])),
            max_size=len(header) + 2))
        lines.append(delimiter.join(cells))
    return "\n".join(lines).encode("utf-8", errors="surrogatepass")


def seed_pdf() -> bytes:
    return make_pdf([["Hilde Verstraeten: Welkom allemaal.",
                      "Ayse Demir: Integratie is voor mij een kwestie van wederkerig-",
                      "heid en van elkaar kennen."],
                     ["Jan Roos: Ik heb het liever over samenleven."]])
