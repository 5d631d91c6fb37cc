"""`focuslex analyse` and `focuslex terms export`: stored utterances -> parse (cached) ->
token tables -> hits in the store with a run record; re-matching after a lexicon edit
without parsing; the export's columns and formats; the leak scan before writing."""

from __future__ import annotations

import csv
import gc
import io
import json
import logging
import weakref
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.terms.run import EXPORT_COLUMNS, export_hits, format_rows, run_analysis
from pipeline.nlp.cache import (TABLE_SUFFIX, cache_file, cache_key, table_folder,
                                table_from_bytes, table_to_bytes, token_tables)
from pipeline.cli.main import cli
from pipeline.core.errors import FocuslexError
from pipeline.nlp.loader import load_pipeline, pipeline_id
from pipeline.privacy.pseudonymise import (KeyEntry, PseudonymKey)
from pipeline.core.settings import NlpSettings, Settings
from pipeline.store.database import Store
from pipeline.nlp.tokens import table_from_doc
from pipeline.core.records import Document, DocumentMeta, Kind, Role, Utterance
from tests.test_terms import LEXICON, term

TURNS = [
    ("FAC1", "Welkom. Wat betekent integratie voor jullie?"),
    ("P01", "Voor mij is integratie wederzijds. Dat is geen racisme, zeggen ze dan."),
    ("P02", "Het inburgeringstraject duurt te lang.\n\nEn discriminatie op de woningmarkt "
            "blijft, ook al noemt men het 'een misverstand'."),
]
STATEMENT = ["Onze vereniging kiest voor gelijke kansen.",
             "Wij vragen een antidiscriminatiebeleid en het woord integratie vermijden we."]


def document(turns: list[tuple[str | None, str]], name: str, meta: DocumentMeta) -> Document:
    utterances, start = [], 0
    for i, (speaker, text) in enumerate(turns):
        utterances.append(Utterance(i, speaker, text, start, start + len(text)))
        start += len(text) + 2
    return Document(f"hash-{name}", name, "txt", meta, "", utterances)


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(Settings(nlp=NlpSettings(model="")))


@pytest.fixture
def filled(store: Store) -> Store:
    store.add_document(document(TURNS, "gesprek.txt", DocumentMeta(round=2)), {
        "FAC1": {"role": Role.FACILITATOR.value, "group": "begeleiding"},
        "P01": {"role": Role.PARTICIPANT.value, "group": "vakbond"},
        "P02": {"role": Role.PARTICIPANT.value, "group": "lokaal bestuur"}})
    store.add_document(document([(None, t) for t in STATEMENT], "verklaring.txt",
                                DocumentMeta(kind=Kind.STATEMENT, group="migrantenorganisatie")),
                       {})
    return store


class CountingParse:
    """Wraps pipeline.nlp.cache.parse_texts and counts the texts that reach the model."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, nlp) -> None:
        self.texts = 0
        original_pipe = nlp.pipe

        def pipe(texts, *args, **kwargs):
            texts = list(texts)
            self.texts += len(texts)
            return original_pipe(texts, *args, **kwargs)

        monkeypatch.setattr(nlp, "pipe", pipe)


# -- the run ------------------------------------------------------------------------------------

class Batch(list):
    """A list of stored utterances that a weak reference can watch."""


def test_the_local_engine_holds_one_batch_of_documents_at_a_time(settings, filled, nlp,
                                                                 monkeypatch) -> None:
    """engine.batch_words: the documents are read, parsed and matched a batch at a time;
    when a batch is read, no earlier batch is still in memory, the whole corpus is never read
    at once, and the stored hits are those of a run in one batch."""
    whole = run_analysis(settings, filled, entries=LEXICON, nlp=nlp)
    expected = sorted((h.document_id, h.start, h.term_id) for h in filled.term_hits())
    batches: list[weakref.ref[Batch]] = []
    reads: list[tuple[int, list[int] | None]] = []
    original = filled.stored_utterances

    def read(document_ids=None):
        gc.collect()
        alive = sum(ref() is not None for ref in batches)
        reads.append((alive, None if document_ids is None else list(document_ids)))
        batch = Batch(original(document_ids))
        batches.append(weakref.ref(batch))
        return batch

    monkeypatch.setattr(filled, "stored_utterances", read)
    small = replace(settings, engine=replace(settings.engine, batch_words=10))
    report = run_analysis(small, filled, entries=LEXICON, nlp=nlp)
    assert reads == [(0, [1]), (0, [2])]            # one document each, the other one freed
    assert filled.last_run("analyse").details["batches"] == 2
    assert report.hits == whole.hits > 0 and report.words == whole.words
    assert (report.documents, report.utterances) == (whole.documents, whole.utterances)
    assert sorted((h.document_id, h.start, h.term_id) for h in filled.term_hits()) == expected


def test_a_batch_size_below_one_is_refused(tmp_path: Path) -> None:
    (tmp_path / "s.toml").write_text("[engine]\nbatch_words = 0\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--settings", str(tmp_path / "s.toml"), "analyse"])
    assert result.exit_code == 2 and "[FX-ENG-005]" in result.output
    assert "engine.batch_words = 0" in result.output


def test_analyse_stores_hits_with_offsets_metadata_and_run_record(settings, filled, nlp):
    report = run_analysis(settings, filled, entries=LEXICON, nlp=nlp)
    assert (report.documents, report.utterances) == (2, 5)
    hits = filled.term_hits()
    assert report.hits == len(hits) > 0
    texts = {d.id: d.text for d in filled.documents()}
    for hit in hits:
        assert texts[hit.document_id][hit.start:hit.end] == hit.text
    by_text = {h.text: h for h in hits}
    assert set(by_text) >= {"integratie", "racisme", "inburgeringstraject", "discriminatie",
                            "gelijke kansen", "antidiscriminatiebeleid"}
    assert by_text["racisme"].negated and by_text["racisme"].speaker == "P01"
    assert by_text["racisme"].group == "vakbond" and by_text["racisme"].round == 2
    assert by_text["inburgeringstraject"].compound_part == "traject"
    assert by_text["gelijke kansen"].speaker is None
    assert by_text["gelijke kansen"].group == "migrantenorganisatie"
    statement_integratie = [h for h in hits if h.text == "integratie" and h.speaker is None]
    assert statement_integratie[0].mention == "named"
    run = filled.last_run("analyse")
    assert run.details["model"]["id"] == pipeline_id(nlp)
    assert run.details["lexicon"]["terms"] == len(LEXICON)
    assert len(run.details["lexicon"]["fingerprint"]) == 64
    assert run.details["settings"]["nlp"]["batch_size"] == settings.nlp.batch_size
    assert run.details["hits"] == len(hits)
    assert filled.term_hits("racisme") == [by_text["racisme"]]


def test_lexicon_edit_rematches_without_parsing(settings, filled, nlp, monkeypatch):
    parse = CountingParse(monkeypatch, nlp)
    run_analysis(settings, filled, entries=LEXICON, nlp=nlp)
    assert parse.texts == 5
    assert not any(h.term_id == "woningmarkt" for h in filled.term_hits())
    edited = LEXICON + [term("woningmarkt", "woningmarkt")]
    report = run_analysis(settings, filled, entries=edited, nlp=nlp)
    assert parse.texts == 5, "a lexicon edit must not parse again"
    assert (report.parsed, report.cached) == (0, 5)
    assert [h.text for h in filled.term_hits("woningmarkt")] == ["woningmarkt"]
    # the edit also reaches compounds: a stored hit per run, none left from the last one
    assert len(filled.term_hits()) == report.hits


def test_token_tables_fall_back_to_the_docbin_cache(settings, nlp, monkeypatch):
    texts = ["Integratie is wederzijds.", "Racisme bestaat."]
    first, fresh = token_tables(nlp, texts, settings.paths.cache_dir)
    assert fresh == 2
    folder = table_folder(settings.paths.cache_dir, pipeline_id(nlp))
    for text in texts:  # lose the token tables, keep the DocBin cache
        cache_file(folder, cache_key(pipeline_id(nlp), text), TABLE_SUFFIX).unlink()
    parse = CountingParse(monkeypatch, nlp)
    again, fresh = token_tables(nlp, texts, settings.paths.cache_dir)
    assert fresh == 2 and parse.texts == 0
    assert again == first


def test_corrupt_token_table_is_parsed_again(settings, nlp, caplog):
    text = "Discriminatie blijft een probleem."
    token_tables(nlp, [text], settings.paths.cache_dir)
    path = cache_file(table_folder(settings.paths.cache_dir, pipeline_id(nlp)),
                      cache_key(pipeline_id(nlp), text), TABLE_SUFFIX)
    path.write_bytes(b"FXTT1Lgarbage")
    with caplog.at_level(logging.WARNING, logger="focuslex.nlp"):
        tables, fresh = token_tables(nlp, [text], settings.paths.cache_dir)
    assert fresh == 1 and tables[0].words[0] == "Discriminatie"
    assert "corrupt" in caplog.text


def test_token_table_bytes_round_trip(nlp):
    doc = nlp("Het woord 'integratie' is beladen.\n\nDat is geen racisme.")
    table = table_from_doc(doc)
    again = table_from_bytes(table_to_bytes(table))
    assert again == table and again.sent_starts == table.sent_starts == [0, 8]
    with pytest.raises(ValueError):
        table_from_bytes(b"something else entirely")


def test_analyse_without_documents_says_what_to_do(settings, store, nlp):
    with pytest.raises(FocuslexError) as info:
        run_analysis(settings, store, entries=LEXICON, nlp=nlp)
    assert info.value.code == "FX-TRM-001"


# -- export -------------------------------------------------------------------------------------

def test_export_rows_in_both_formats(settings, filled, nlp):
    with pytest.raises(FocuslexError) as info:
        export_hits(filled, "jsonl", settings)
    assert info.value.code == "FX-TRM-003"  # no analysis yet
    run_analysis(settings, filled, entries=LEXICON, nlp=nlp)
    text, count = export_hits(filled, "jsonl", settings)
    rows = [json.loads(line) for line in text.splitlines()]
    assert len(rows) == count == filled.term_hit_count()
    required = {"document", "term_id", "label", "text", "start", "end", "sentence", "speaker",
                "group", "round", "negated", "mention"}
    assert required <= set(rows[0]) and list(rows[0]) == list(EXPORT_COLUMNS)
    assert {r["document"] for r in rows} == {"gesprek.txt", "verklaring.txt"}
    racism = next(r for r in rows if r["text"] == "racisme")
    assert racism["negated"] is True and racism["round"] == 2 and racism["speaker"] == "P01"
    text, _ = export_hits(filled, "csv", settings)
    table = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert list(table[0]) == list(EXPORT_COLUMNS) and len(table) == count
    racism = next(r for r in table if r["text"] == "racisme")
    assert (racism["negated"], racism["round"]) == ("true", "2")
    statement = next(r for r in table if r["document"] == "verklaring.txt")
    assert statement["speaker"] == "" and statement["round"] == ""


def test_csv_cells_never_start_a_formula():
    row = {c: "" for c in EXPORT_COLUMNS} | {"sentence": "=HYPERLINK(\"x\")", "negated": False}
    text = format_rows([row], "csv")
    assert "'=HYPERLINK" in text and ";false;" in text
    with pytest.raises(FocuslexError) as info:
        format_rows([row], "xml")
    assert info.value.code == "FX-TRM-005"


def test_export_refuses_to_write_a_planted_name(settings, filled, nlp):
    run_analysis(settings, filled, entries=LEXICON, nlp=nlp)
    key = PseudonymKey(settings.paths.key_file, [KeyEntry("Khadija Amrani", "P01",
                                                          Role.PARTICIPANT)])
    key.save()
    export_hits(filled, "jsonl", settings)  # clean: no name in the hits
    with filled.session() as s:  # plant a leak in a stored sentence
        from pipeline.store.database import TermHitRow

        row = s.query(TermHitRow).first()
        row.sentence = "Khadija zei dat integratie wederzijds is."
    with pytest.raises(FocuslexError) as info:
        export_hits(filled, "csv", settings, target="hits.csv")
    assert info.value.code == "FX-PSE-003" and "Khadija" not in info.value.message


# -- the command line ---------------------------------------------------------------------------

@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text('[paths]\ndata_dir = "data"\n\n[nlp]\nmodel = ""\n', encoding="utf-8")
    return path


def test_cli_analyse_and_export(settings_file: Path, tmp_path: Path):
    from lexicon.io import dump_yaml
    from pipeline.core.settings import load_settings

    settings = load_settings(settings_file)
    store = Store(settings.database_url)
    store.add_document(document(TURNS, "gesprek.txt", DocumentMeta(round=1)),
                       {"P01": {"role": "participant", "group": "vakbond"}})
    store.close()
    lexicon = tmp_path / "lexicon.yaml"
    lexicon.write_text(dump_yaml(LEXICON), encoding="utf-8")
    runner = CliRunner()
    base = ["--settings", str(settings_file)]
    result = runner.invoke(cli, base + ["terms", "export", "--format", "csv"])
    assert result.exit_code == 2 and "FX-TRM-003" in result.output
    result = runner.invoke(cli, base + ["analyse", "--lexicon", str(lexicon)])
    assert result.exit_code == 0, result.output
    assert "1 document, 3 beurten" in result.output and "termgebruiken" in result.output
    out = tmp_path / "uit" / "hits.jsonl"
    result = runner.invoke(cli, base + ["terms", "export", "--format", "jsonl", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows and all(r["document"] == "gesprek.txt" for r in rows)
    result = runner.invoke(cli, base + ["terms", "export", "--format", "csv"])
    # on the screen: no byte-order mark; in a file: one, for Belgian Excel (";")
    assert result.exit_code == 0 and result.output.startswith("document;term_id;label;text")
    out_csv = tmp_path / "uit" / "hits.csv"
    result = runner.invoke(cli, base + ["terms", "export", "--format", "csv", "--out",
                                        str(out_csv)])
    assert result.exit_code == 0 and out_csv.read_bytes().startswith("\ufeff".encode("utf-8"))
    table = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8-sig")),
                                delimiter=";"))
    assert len(table) == len(rows) and table[0]["document"] == "gesprek.txt"
    result = runner.invoke(cli, base + ["terms", "export", "--format", "xml"])
    assert result.exit_code == 2
