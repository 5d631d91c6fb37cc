"""The Dask engine (`focuslex analyse --engine dask`) against the local engine on the demo
corpus: the same term hits, units, topics and unit vectors; a streamed run in small partitions
with a bounded number in flight; the coded errors.

One 2-worker LocalCluster per module, started by focuslex's own `dask_client` (the code path of
`--workers 2`); the CLI reaches it through `--scheduler`.
"""

from __future__ import annotations

import contextlib
import functools
import pickle
import shutil
import sys
import types
from dataclasses import replace
from pathlib import Path

import dask
import numpy as np
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from pipeline.cli.main import cli
from pipeline.core.errors import FocuslexError
from pipeline.core.records import DocumentMeta
from pipeline.core.settings import EngineSettings, Settings, load_settings
from pipeline.engine.cluster import _Writer, dask_client, run_dask_analysis
from pipeline.engine.options import DaskOptions
from pipeline.engine.partitions import PartitionResult
from pipeline.ingest.service import Ingestor, collect_requests
from pipeline.ingest.sheets import read_participants
from pipeline.store.batches import plan_partitions, replacing_term_hits
from pipeline.store.database import TERM_HIT_FIELDS, RunRow, Store
from pipeline.store.topics import TopicStore
from pipeline.topics.embeddings import CachedEmbedder, load_encoder
from pipeline.topics.run import load_units
from tests.engine_faults import dies_at

DEMO = Path(__file__).resolve().parent.parent / "corpora" / "demo"
SETTINGS = ('[paths]\ndata_dir = "data"\n\n[topics]\nreduction = "pca"\nclustering = "kmeans"\n'
            'n_topics = 6\n\n[engine]\nconnect_timeout = 3.0\n')


@pytest.fixture(scope="module")
def address() -> str:
    """A 2-worker LocalCluster (one thread each) for the whole module.

    Worker processes are spawned, and a spawned process first runs the parent's `__main__`
    file. Streamlit's AppTest (earlier tests) leaves an app page there, which would run in
    each worker; `focuslex`'s own entry point is a safe main, so the cluster is started with
    an empty `__main__`, as under the CLI."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
        stack = contextlib.ExitStack()
        client = stack.enter_context(dask_client(EngineSettings(workers=2)))
    with stack:
        assert len(client.scheduler_info()["workers"]) == 2
        yield client.scheduler.address


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory, address: str) -> dict[str, Path]:
    """The demo corpus ingested once, copied to two folders (own database, own caches),
    then `focuslex analyse` with the local engine in one and the Dask engine in the other."""
    base = tmp_path_factory.mktemp("engines")
    local, dask = base / "local", base / "dask"
    local.mkdir()
    (local / "settings.toml").write_text(SETTINGS, encoding="utf-8")
    settings = load_settings(local / "settings.toml")
    store = Store(settings.database_url)
    ingestor = Ingestor(settings, store, read_participants(DEMO / "participants.csv",
                                                           settings.ingest))
    assert ingestor.ingest(collect_requests([DEMO], DocumentMeta(), settings)).ok
    store.close()
    shutil.copytree(local, dask)
    runner = CliRunner()
    done = runner.invoke(cli, ["--settings", str(local / "settings.toml"), "analyse"])
    assert done.exit_code == 0, done.output
    done = runner.invoke(cli, ["--settings", str(dask / "settings.toml"), "analyse",
                               "--engine", "dask", "--scheduler", address])
    assert done.exit_code == 0, done.output
    assert "onderwerpen in" in done.output
    return {"local": local, "dask": dask}


def _open(folder: Path) -> tuple[Settings, Store]:
    settings = load_settings(folder / "settings.toml")
    return settings, Store(settings.database_url)


def _hits(store: Store) -> list[tuple]:
    return sorted(tuple(getattr(h, f) for f in TERM_HIT_FIELDS) for h in store.term_hits())


def test_dask_gives_the_same_hits_units_topics_and_vectors(engines) -> None:
    (local_settings, local), (dask_settings, dask) = _open(engines["local"]), _open(engines["dask"])
    try:
        hits = _hits(local)
        assert len(hits) > 1000
        assert _hits(dask) == hits        # every column: offsets, sentence, senses, cues
        local_units, dask_units = load_units(local_settings, local), load_units(dask_settings,
                                                                              dask)
        assert len(local_units) > 1000 and dask_units == local_units  # lemmas from its tables
        topics = [(u["document_id"], u["start"], u["end"], u["topic"])
                  for u in TopicStore(local).units()]
        assert [(u["document_id"], u["start"], u["end"], u["topic"])
                for u in TopicStore(dask).units()] == topics
        record = dask.last_run("analyse").details
        assert record["engine"]["name"] == "dask" and record["engine"]["workers"] == 2
        assert local.last_run("analyse").details["engine"] == {"name": "local", "workers": 1}
        assert record["model"] == local.last_run("analyse").details["model"]
        topic_run = dask.last_run("topics").details
        assert topic_run["embedded"] < len({u.text for u in dask_units})  # vectors came cached
    finally:
        local.close()
        dask.close()
    texts = [u.text for u in local_units]
    encoder = load_encoder("use")
    mine = CachedEmbedder(encoder, local_settings.paths.cache_dir).embed(texts)
    theirs_cache = CachedEmbedder(encoder, dask_settings.paths.cache_dir)
    theirs = theirs_cache.embed(texts)
    assert theirs_cache.computed == 0   # every unit vector was written by the Dask client
    # float32 rounding differs with the batch a text was encoded in (measured: < 2e-7)
    assert np.allclose(theirs, mine, rtol=0, atol=1e-6)


def test_streamed_run_in_small_partitions_keeps_few_in_flight(engines, address) -> None:
    settings, store = _open(engines["dask"])
    try:
        before = _hits(store)
        small = replace(settings, engine=replace(settings.engine, partition_words=1500,
                                                 in_flight_per_worker=1))
        seen: list[int] = []
        report = run_dask_analysis(small, store, options=DaskOptions(scheduler=address),
                                   embed=False, progress=lambda done, total, _: seen.append(done))
        details = store.last_run("analyse").details
        assert details["partitions_done"] == details["engine"]["partitions"] >= 12
        assert details["peak_in_flight"] <= 2          # 2 workers x 1 partition each
        assert len(seen) == details["partitions_done"] and seen == sorted(seen)
        assert seen[-1] == report.words > 30_000
        assert report.parsed == 0                       # the workers' parse cache was used
        assert _hits(store) == before
    finally:
        store.close()


def test_unreachable_scheduler_is_a_coded_error_and_keeps_the_hits(engines) -> None:
    settings, store = _open(engines["dask"])
    before = _hits(store)
    store.close()
    result = CliRunner().invoke(cli, ["--settings", str(engines["dask"] / "settings.toml"),
                                      "analyse", "--engine", "dask", "--scheduler",
                                      "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "[FX-ENG-001]" in result.output and "tcp://127.0.0.1:9" in result.output
    assert "Traceback" not in result.output
    store = Store(settings.database_url)
    try:
        assert _hits(store) == before
    finally:
        store.close()


def test_engine_options_and_settings_are_checked(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["analyse", "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2 and "alleen met --engine dask" in result.output
    (tmp_path / "s.toml").write_text('[engine]\nname = "spark"\n', encoding="utf-8")
    result = runner.invoke(cli, ["--settings", str(tmp_path / "s.toml"), "analyse"])
    assert result.exit_code == 2 and "[FX-ENG-004]" in result.output and "spark" in result.output


def test_partitions_are_whole_documents_of_about_the_asked_size() -> None:
    sizes = [(1, "a", 900), (2, "b", 300), (3, "c", 5000), (4, "d", 200), (5, "e", 700)]
    assert plan_partitions(sizes, 1000) == [[1], [2], [3], [4, 5]]
    assert plan_partitions(sizes, 100_000) == [[1, 2, 3, 4, 5]]
    assert plan_partitions([], 1000) == []


def test_a_worker_error_reaches_the_client_with_its_code() -> None:
    error = pickle.loads(pickle.dumps(FocuslexError("FX-ENG-001", address="tcp://x:1",
                                                    detail="weigering")))
    assert error.code == "FX-ENG-001" and "tcp://x:1" in error.message


def test_a_worker_with_another_pipeline_stops_the_run(settings: Settings, store: Store) -> None:
    with pytest.raises(FocuslexError) as caught, replacing_term_hits(store) as add:
        _Writer(settings, "nl_focuslex_sm-0.1.0+fixes1", add, None).write(PartitionResult(
            number=0, pipeline="nl_core_news_sm-3.8.0+fixes1", document_ids=[1],
            utterances=1, words=3, parsed=1, hits=[], tables={}))
    assert caught.value.code == "FX-ENG-003" and "nl_core_news_sm" in caught.value.message


def _runs(store: Store) -> list[tuple[int, str]]:
    with store.session() as s:
        return [(r.id, r.status) for r in s.scalars(select(RunRow).where(
            RunRow.command == "analyse").order_by(RunRow.id))]


@pytest.fixture(scope="module")
def dying_worker() -> str:
    """A second 2-worker LocalCluster (focuslex's `dask_client`) for the tests that kill
    workers, so the first one never waits for replacements. Its scheduler lets a partition
    take down one worker and resubmits it (Dask's `allowed-failures`, 3 by default, is 1
    here to keep the tests quick); the nannies start new worker processes, with an empty
    `__main__` (see `address`) for as long as the cluster lives."""
    with pytest.MonkeyPatch.context() as patch, \
            dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        patch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
        with dask_client(EngineSettings(workers=2)) as client:
            yield client.scheduler.address


def test_a_killed_worker_is_replaced_and_the_run_gives_the_local_hits(
        engines, dying_worker, tmp_path: Path) -> None:
    """Dask resubmits the partition of a worker that died to another worker (its nanny
    starts a new one): the run completes with the local engine's hits."""
    settings, store = _open(engines["dask"])
    local_settings, local = _open(engines["local"])
    try:
        expected, runs = _hits(local), _runs(store)
        small = replace(settings, engine=replace(settings.engine, partition_words=5000))
        marker = tmp_path / "killed"
        run_dask_analysis(small, store, options=DaskOptions(scheduler=dying_worker),
                          embed=False, task=functools.partial(dies_at, number=2,
                                                              marker=marker))
        assert marker.exists()                          # a worker did die at partition 3
        details = store.last_run("analyse").details
        assert details["partitions_done"] == details["engine"]["partitions"] >= 5
        assert _hits(store) == expected
        assert _runs(store) == [*runs, (runs[-1][0] + 1, "ok")]
    finally:
        store.close()
        local.close()


def test_a_partition_that_keeps_killing_workers_is_fx_eng_002_and_keeps_the_hits(
        engines, dying_worker) -> None:
    """Once a partition took down more workers than the scheduler allows (Dask's
    `allowed-failures`), the run stops with FX-ENG-002 naming the partition and its files;
    the hits of the partitions written before are rolled back."""
    settings, store = _open(engines["dask"])
    try:
        before, runs = _hits(store), _runs(store)
        small = replace(settings, engine=replace(settings.engine, partition_words=5000))
        with pytest.raises(FocuslexError) as caught:
            run_dask_analysis(small, store, options=DaskOptions(scheduler=dying_worker),
                              embed=False, task=functools.partial(dies_at, number=2))
        error = caught.value
        names = {i: n for i, n, _ in store.document_sizes()}
        third = sorted(names[d] for d in plan_partitions(store.document_sizes(), 5000)[2])
        assert error.code == "FX-ENG-002"
        assert f"deel 3 ({third[0]}" in error.message
        assert "2 workers na elkaar gestopt" in error.message
        assert "niets half opgeslagen" in error.message
        assert _hits(store) == before
        failed = _runs(store)[-1]
        assert _runs(store) == [*runs, failed] and failed[1] == "error"
        with store.session() as s:
            record = s.get(RunRow, failed[0]).details
        assert "FX-ENG-002" in record["error"]
        # partitions written before the failure, inserted in the run's transaction, undone
        assert record["partitions_done"] >= 1 and record["hits_rolled_back"] > 0
    finally:
        store.close()
