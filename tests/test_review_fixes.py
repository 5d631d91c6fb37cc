"""Regressions of the name review findings: line breaks end names, speakers are never
swallowed, lower-case mentions, review decisions invalidate hits and caches, file names and
metadata are pseudonymised, outputs are leak-scanned, concurrent ingests keep the key whole."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from pipeline.terms.run import export_hits, run_analysis
from pipeline.cli.main import cli
from pipeline.ingest.service import IngestRequest, Ingestor
from pipeline.privacy.keys import bind_key
from pipeline.privacy.detect import NameDetector, shared_pipeline
from pipeline.privacy.pseudonymise import (PseudonymKey)
from pipeline.ingest.readers import SourceFile
from pipeline.privacy.review import REANALYSE_NOTICE, add_name, analysis_outdated
from pipeline.core.settings import BUNDLED_MODEL_DIR, Settings, load_settings
from pipeline.store.database import DocumentRow, Store, UtteranceRow
from pipeline.core.records import DocumentMeta


@pytest.fixture(scope="module")
def nlp():
    return shared_pipeline("", str(BUNDLED_MODEL_DIR))


def ingest(settings: Settings, store: Store, nlp, text: str, name: str = "gesprek.txt",
           **meta: object) -> Ingestor:
    ingestor = Ingestor(settings, store, nlp=nlp)
    report = ingestor.ingest([IngestRequest(SourceFile(name, text.encode("utf-8")),
                                            DocumentMeta(**meta))])
    assert report.ok, [o.error.message for o in report.outcomes if o.error]
    return ingestor


def turns(store: Store) -> list[str]:
    with store.session() as s:
        return [u.text for u in s.scalars(select(UtteranceRow).order_by(UtteranceRow.document_id,
                                                                        UtteranceRow.idx))]


def documents(store: Store) -> list[DocumentRow]:
    with store.session() as s:
        return list(s.scalars(select(DocumentRow).order_by(DocumentRow.id)))


def person_names(settings: Settings) -> list[str]:
    return [n for p in PseudonymKey.load(settings.paths.key_file).persons for n in p.names]


# -- 7: a name ends at a line break and never swallows a speaker ---------------------------
def test_a_name_ends_at_a_line_break(nlp, settings: Settings, store: Store) -> None:
    text = "Ik sprak gisteren met Hilde Verbeke\n\nIntegratie was haar thema."
    for detector in (NameDetector(), NameDetector(nlp=nlp)):
        assert [s.text for s in detector.detect(text)] == ["Hilde Verbeke"]
    assert [s.text for s in NameDetector().detect("Marieke Vandenberghe\nEinde.")] == [
        "Marieke Vandenberghe"]
    ingest(settings, store, nlp, "Karim: Welkom. Ik sprak gisteren met Hilde Verbeke\n\n"
           "Integratie was haar thema.\nLotte: Ik ken Hilde Verbeke.\n")
    assert turns(store)[0] == ("Welkom. Ik sprak gisteren met [PERSOON-1]\n\n"
                               "Integratie was haar thema.")
    assert person_names(settings) == ["Hilde Verbeke"]


def test_a_detected_name_never_swallows_a_speaker(nlp, settings: Settings,
                                                  store: Store) -> None:
    ingest(settings, store, nlp, "Karim: Wat denk jij?\nLotte Peeters: Integratie vraagt tijd."
           "\nKarim: Oké Peeters. Dank je Lotte.\n")
    assert turns(store)[2] == "Oké [P02]. Dank je [P02]."
    assert not any("Oké" in n for n in person_names(settings))


# -- 3: lower-case mentions of a detected or added person ----------------------------------
def test_lower_case_mentions_are_replaced_and_export_passes(nlp, settings: Settings,
                                                            store: Store) -> None:
    ingest(settings, store, nlp, "Karim: Zerrin Kaya zegt dat integratie werkt.\n"
           "Lotte: Mijn buurvrouw zerrin vindt racisme erg, net als qadrinaxa.\n")
    assert turns(store) == ["[PERSOON-1] zegt dat integratie werkt.",
                            "Mijn buurvrouw [PERSOON-1] vindt racisme erg, net als qadrinaxa."]
    assert add_name(settings, store, "Qadrinaxa") == 1
    assert turns(store)[1] == "Mijn buurvrouw [PERSOON-1] vindt racisme erg, net als [PERSOON-2]."
    run_analysis(settings, store, nlp=nlp)
    text, _ = export_hits(store, "csv", settings)
    assert "zerrin" not in text.lower() and "qadrinaxa" not in text.lower()


# -- 4: a review decision deletes stale hits and cache files -------------------------------
def _cache_bytes(settings: Settings) -> list[bytes]:
    out = []
    for path in Path(settings.paths.cache_dir).rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            try:
                data = zlib.decompress(data)
            except zlib.error:
                pass
            out.append(data)
    return out


def test_add_name_deletes_hits_and_cache_files_of_the_old_text(nlp, settings: Settings,
                                                               store: Store) -> None:
    ingest(settings, store, nlp, "Karim: Racisme bestaat, zegt mijn buurvrouw qadrinaxa. "
           "Integratie ook.\nLotte: Racisme is een probleem.\n")
    run_analysis(settings, store, nlp=nlp)
    assert any("qadrinaxa" in h.sentence for h in store.term_hits())
    assert any(b"qadrinaxa" in data for data in _cache_bytes(settings))
    assert not analysis_outdated(store)
    assert add_name(settings, store, "Qadrinaxa") == 1
    assert not any("qadrinaxa" in h.sentence.lower() for h in store.term_hits())
    assert not any(b"qadrinaxa" in data.lower() for data in _cache_bytes(settings))
    assert analysis_outdated(store)
    settings_file = settings.paths.data_dir / "s.toml"
    settings_file.write_text(f'[paths]\ndata_dir = "{settings.paths.data_dir}"\n'
                             f'cache_dir = "{settings.paths.cache_dir}"\n'
                             f'key_file = "{settings.paths.key_file}"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--settings", str(settings_file), "--db",
                                      settings.database_url, "terms", "export", "--format",
                                      "csv"])
    assert REANALYSE_NOTICE in result.output
    run_analysis(settings, store, nlp=nlp)
    assert not analysis_outdated(store)
    assert store.term_hits()
    assert not any("qadrinaxa" in h.sentence.lower() for h in store.term_hits())


# -- 2 and 5: file names and metadata ------------------------------------------------------
def test_file_names_and_metadata_are_pseudonymised(nlp, settings: Settings,
                                                   store: Store) -> None:
    ingest(settings, store, nlp, "Karim: Integratie is belangrijk.\n",
           "verslag_Mohammed_El_Amrani.txt", focus_group="Gesprek met Hilde Verbeke",
           title="Bij Sofie Peeters thuis")
    ingest(settings, store, nlp, "Karim: Racisme bestaat.\n", "interview_roos.txt")
    first, second = documents(store)
    assert "Mohammed" not in first.file_name and "Amrani" not in first.file_name
    assert first.file_name.startswith("verslag_[PERSOON-") and first.file_name.endswith(".txt")
    assert "Hilde" not in first.focus_group and "[PERSOON-" in first.focus_group
    assert "Sofie" not in first.title
    # a lower-case common word in a file name stays until the review adds it
    assert second.file_name == "interview_roos.txt"
    add_name(settings, store, "Roos")
    assert documents(store)[1].file_name.startswith("interview_[PERSOON-")


def test_kwic_compare_and_lexicon_export_are_leak_scanned(nlp, tmp_path: Path) -> None:
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text('[paths]\ndata_dir = "data"\n', encoding="utf-8")
    settings = load_settings(settings_file)
    store = Store(settings.database_url)
    try:
        ingest(settings, store, nlp, "Karim: Mijn buurvrouw qadrinaxa zegt dat racisme bestaat.\n",
               group="Wbxqlorp")
        run_analysis(settings, store, nlp=nlp)
    finally:
        store.close()

    def run(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(cli, ["--settings", str(settings_file), *args])

    assert run("terms", "kwic", "racisme").exit_code == 0
    assert run("terms", "compare", "--format", "csv").exit_code == 0
    assert run("lexicon", "import", "--seed").exit_code == 0
    assert run("lexicon", "edit", "wijkfeest", "--create", "--why", "nieuw",
               "--set", "pref_label=wijkfeest",
               "--set", "definition=Een feest in de wijk, zoals bij Qadrinaxa.").exit_code == 0
    assert run("lexicon", "export").exit_code == 0
    # the key learns these names later (another document, a reviewer): outputs refuse. The
    # CLI uses the key of its database (issue #11: one key per database)
    bound = Store(settings.database_url)
    key = PseudonymKey.load(bind_key(settings, bound).paths.key_file)
    bound.close()
    for name in ("Qadrinaxa", "Wbxqlorp"):
        key.register_person(name)
    key.save()
    for args in (("terms", "kwic", "racisme"), ("terms", "compare", "--format", "csv"),
                 ("lexicon", "export"), ("lexicon", "export", "--format", "turtle")):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "FX-PSE-003" in result.output
        assert "Qadrinaxa" not in result.output and "Wbxqlorp" not in result.output


# -- 6: concurrent ingests keep every code ------------------------------------------------
def test_two_ingestors_made_before_either_ingests_lose_no_codes(nlp, settings: Settings,
                                                               store: Store) -> None:
    first, second = Ingestor(settings, store, nlp=nlp), Ingestor(settings, store, nlp=nlp)

    def request(name: str, text: str) -> list[IngestRequest]:
        return [IngestRequest(SourceFile(name, text.encode("utf-8")), DocumentMeta())]

    assert first.ingest(request("a.txt", "Jan Peeters: Integratie is moeilijk.\n"
                                         "Karim Haddou: Ja.\n")).ok
    assert second.ingest(request("b.txt", "Lotte Maes: Racisme bestaat.\n")).ok
    key = PseudonymKey.load(settings.paths.key_file)
    codes = {e.label: e.code for e in key.entries}
    assert codes == {"Jan Peeters": "P01", "Karim Haddou": "P02", "Lotte Maes": "P03"}
    assert first.ingest(request("c.txt", "Lotte Maes: Nog iets.\n")).ok
    with store.session() as s:
        rows = s.execute(select(UtteranceRow.document_id, UtteranceRow.speaker_id)).all()
    assert len({speaker for _, speaker in rows}) == 3  # Lotte keeps one code in c.txt
