"""Maintainer script: extract first names and surnames from the Faker wheel (MIT licence).

Run once when the lists are refreshed; focuslex never runs it and never downloads anything:

    pip download --no-deps faker==40.54.0 -d /tmp/faker
    .venv/bin/python pipeline/privacy/data/names/make_lists.py /tmp/faker/faker-40.54.0-py3-none-any.whl

It reads the person providers of the locales below straight from the wheel (no import of
Faker's package machinery), keeps names written in Latin script, and writes
`faker_first_names.txt` and `faker_surnames.txt` beside this file, sorted, one name a line.
"""

from __future__ import annotations

import argparse
import ast
import re
import unicodedata
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Locales whose names are frequent among people living in Flanders and Brussels.
FIRST_NAME_LOCALES = ("nl_BE", "nl_NL", "fr_BE", "fr_FR", "fr_DZ", "tr_TR", "az_AZ", "pl_PL",
                      "ro_RO", "en_PK", "en_NG", "yo_NG", "ig_NG", "ha_NG", "tw_GH", "sw",
                      "es_ES", "pt_PT", "it_IT", "en_US", "en_GB", "de_DE")
SURNAME_LOCALES = ("nl_BE", "nl_NL", "fr_BE", "fr_FR", "fr_DZ", "tr_TR", "ro_RO", "en_PK",
                   "en_NG", "yo_NG", "ig_NG", "ha_NG", "tw_GH", "sw", "es_ES", "pt_PT", "it_IT",
                   "de_DE")
FIRST_ATTRS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
LAST_ATTRS = ("last_names", "last_names_male", "last_names_female")
LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ'’ -]+$")


def provider_names(source: str, attrs: tuple[str, ...]) -> set[str]:
    """Names assigned to the given class attributes of a provider module (tuples, lists,
    dicts with names as keys)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Assign):
            continue
        targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
        if not set(targets) & set(attrs):
            continue
        try:
            value = ast.literal_eval(node.value)
        except ValueError:  # OrderedDict((...)) and the like
            value = [ast.literal_eval(e.elts[0]) for e in ast.walk(node.value)
                     if isinstance(e, ast.Tuple) and e.elts
                     and isinstance(e.elts[0], ast.Constant)]
        items = value.keys() if isinstance(value, dict) else value
        names.update(str(item) for item in items)
    return names


def clean(name: str) -> str | None:
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    if "," in name or not name or not LATIN.match(name):
        return None
    return name


def extract(wheel: Path, locales: tuple[str, ...], attrs: tuple[str, ...]) -> list[str]:
    found: set[str] = set()
    with zipfile.ZipFile(wheel) as archive:
        for locale in locales:
            path = f"faker/providers/person/{locale}/__init__.py"
            source = archive.read(path).decode("utf-8")
            found.update(n for n in map(clean, provider_names(source, attrs)) if n)
    return sorted(found, key=lambda n: (n.casefold(), n))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="faker-*.whl downloaded with pip download")
    args = parser.parse_args()
    version = args.wheel.name.split("-")[1]
    header = (f"# Extracted from Faker {version} (MIT licence, (c) 2012 Daniele Faraglia; see "
              "LICENSE-faker.txt)\n# by make_lists.py. Locales: {locales}\n")
    for name, locales, attrs in (("faker_first_names.txt", FIRST_NAME_LOCALES, FIRST_ATTRS),
                                 ("faker_surnames.txt", SURNAME_LOCALES, LAST_ATTRS)):
        names = extract(args.wheel, locales, attrs)
        text = header.format(locales=", ".join(locales)) + "\n".join(names) + "\n"
        (HERE / name).write_text(text, encoding="utf-8")
        print(f"{name}: {len(names)} names")  # maintainer script: output is the point


if __name__ == "__main__":
    main()
