"""Settings: defaults, the example file, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.errors import CATALOGUE, FocuslexError
from pipeline.core.settings import Settings, load_settings

REPO = Path(__file__).resolve().parent.parent


def test_example_file_loads_and_equals_the_defaults(tmp_path: Path) -> None:
    example = load_settings(REPO / "settings.example.toml")
    defaults = load_settings(base_dir=REPO)
    assert example == defaults
    assert example.paths.key_file == REPO / "data" / "private" / "pseudonym_key.json"


def test_every_setting_is_documented_in_the_example() -> None:
    text = (REPO / "settings.example.toml").read_text(encoding="utf-8")
    for section, value in vars(Settings()).items():
        assert f"[{section}]" in text
        for key in vars(value):
            assert f"{key} =" in text, f"{section}.{key} missing from settings.example.toml"


def test_relative_paths_follow_the_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[paths]\ndata_dir = "elders"\n[database]\nurl = "x.db"\n', encoding="utf-8")
    settings = load_settings(path)
    assert settings.paths.data_dir == tmp_path / "elders"
    assert settings.paths.key_file == tmp_path / "elders" / "private" / "pseudonym_key.json"
    assert settings.database_url.endswith("/x.db")
    assert settings.with_database("postgresql://u:p@h/db").database_url == "postgresql://u:p@h/db"


@pytest.mark.parametrize("content,code", [
    ("[paths]\nonbekend = 1\n", "FX-SET-002"),
    ("[ingest]\nmax_upload_mb = 'veel'\n", "FX-SET-003"),
    ("[paths\n", "FX-SET-004"),
])
def test_bad_settings_files(tmp_path: Path, content: str, code: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FocuslexError) as info:
        load_settings(path)
    assert info.value.code == code
    assert "s.toml" in info.value.message


def test_missing_settings_file() -> None:
    with pytest.raises(FocuslexError) as info:
        load_settings(Path("bestaat-niet.toml"))
    assert info.value.code == "FX-SET-001"


def test_catalogue_messages_are_complete() -> None:
    for code, (what, advice) in CATALOGUE.items():
        assert code.startswith("FX-") and what and advice, code


@pytest.mark.parametrize("pattern", [r"^(?P<name>\w+", r"^(?P<wie>\w+):(?P<text>.*)$",
                                     r"^(?P<name>\w+):(.*)$"])
def test_bad_speaker_regex_is_refused_when_settings_load(tmp_path: Path, pattern: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(f"[ingest]\nspeaker_regex = '{pattern}'\n", encoding="utf-8")
    with pytest.raises(FocuslexError) as info:
        load_settings(path)
    assert info.value.code == "FX-SET-005"
    assert "s.toml" in info.value.message and "speaker_regex" in info.value.message


def test_good_speaker_regex_loads(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("[ingest]\nspeaker_regex = '^>>\\s*(?P<name>\\w+)\\s*-\\s*(?P<text>.*)$'\n",
                    encoding="utf-8")
    assert load_settings(path).ingest.speaker_regex.startswith("^>>")


def test_role_words_are_not_header_labels() -> None:
    from pipeline.ingest.readers import ROLE_WORDS

    assert not set(Settings().ingest.header_labels) & ROLE_WORDS


# -- values mean what they say ------------------------------------------------------------------

def _load(tmp_path: Path, content: str) -> Settings:
    path = tmp_path / "s.toml"
    path.write_text(content, encoding="utf-8")
    return load_settings(path)


@pytest.mark.parametrize("text,expected", [("false", False), ('"false"', False),
                                           ('"False"', False), ('"true"', True), ("true", True)])
def test_a_privacy_switch_written_as_a_string_means_what_it_says(tmp_path: Path, text: str,
                                                                  expected: bool) -> None:
    settings = _load(tmp_path, f"[pseudonymise]\ndetect_names = {text}\n")
    assert settings.pseudonymise.detect_names is expected


@pytest.mark.parametrize("content,code", [
    ('[pseudonymise]\ndetect_names = "nee"\n', "FX-SET-006"),
    ("[pseudonymise]\nkeep_places = 0\n", "FX-SET-006"),
    ('[pseudonymise]\npublic_figures = "Bart De Wever"\n', "FX-SET-007"),
    ("[ingest]\nheader_labels = [\"datum\", 3]\n", "FX-SET-007"),
    ("[nlp]\nn_process = 1.5\n", "FX-SET-008"),
    ("[nlp]\nbatch_size = 64.0\n", "FX-SET-008"),
    ("[ingest]\nmax_upload_mb = true\n", "FX-SET-003"),
    ("[nlp]\nmodel = 3\n", "FX-SET-009"),
    ("[paths]\ndata_dir = 1\n", "FX-SET-009"),
])
def test_values_of_the_wrong_kind_are_refused_with_a_code(tmp_path: Path, content: str,
                                                          code: str) -> None:
    with pytest.raises(FocuslexError) as info:
        _load(tmp_path, content)
    assert info.value.code == code
    assert "s.toml" in info.value.message


def test_numbers_are_neither_truncated_nor_refused_for_their_notation(tmp_path: Path) -> None:
    settings = _load(tmp_path, "[ingest]\nmax_upload_mb = 20\nmax_compression_ratio = 12.5\n"
                               "[nlp]\nn_process = 2\n")
    assert settings.ingest.max_upload_mb == 20.0 and isinstance(settings.ingest.max_upload_mb,
                                                                 float)
    assert settings.ingest.max_compression_ratio == 12.5
    assert settings.nlp.n_process == 2
    lists = _load(tmp_path, '[pseudonymise]\npublic_figures = ["Bart De Wever"]\n')
    assert lists.pseudonymise.public_figures == ("Bart De Wever",)


def test_the_app_upload_limit_is_the_ingest_limit() -> None:
    import tomllib

    streamlit = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    example = load_settings(REPO / "settings.example.toml")
    assert streamlit["server"]["maxUploadSize"] == Settings().ingest.max_upload_mb
    assert example.ingest.max_upload_mb == Settings().ingest.max_upload_mb


def test_participant_sheets_use_the_callers_settings(tmp_path: Path) -> None:
    import io

    from openpyxl import Workbook

    from pipeline.core.settings import IngestSettings
    from pipeline.ingest.readers import SourceFile
    from pipeline.ingest.sheets import parse_participants

    book = Workbook()
    book.active.append(["spreker", "groep"])
    book.active.append(["Ayşe Demir", "onderwijs"])
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = SourceFile("deelnemers.xlsx", buffer.getvalue())
    assert [p.label for p in parse_participants(sheet, IngestSettings())] == ["Ayşe Demir"]
    strict = IngestSettings(max_unpacked_mb=0.001)  # 1 kB unpacked at most
    with pytest.raises(FocuslexError) as info:
        parse_participants(sheet, strict)
    assert info.value.code == "FX-IN-005"
