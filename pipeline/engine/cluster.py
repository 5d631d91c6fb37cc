"""`focuslex analyse --engine dask`: parse, term matching and unit embedding per partition of
documents on `dask.distributed` workers; the client streams the results into the store.

- Cluster: a `LocalCluster` of `engine.workers` processes with one thread each on this machine,
  or the running scheduler at `engine.scheduler` (`dask scheduler` + `dask worker`s with
  focuslex installed on each; see the README).
- Workers: a `WorkerPlugin` carries the settings and the lexicon entries to each worker once;
  the worker loads its pipeline (`PartitionWorker`) at the first task and keeps it. A task
  gets one partition's utterances and returns hits, token tables and unit vectors.
- Client: documents are planned into partitions by word count (`plan_partitions`); only
  `in_flight_per_worker` partitions per worker are read from the store and submitted at a
  time, and each completed partition (`as_completed`) is written at once: hits bulk-inserted
  in the run's one transaction (`pipeline.store.batches`), token tables and unit vectors into
  this machine's caches, so `topics fit` and a later re-analyse find them. The whole corpus is
  never in the client's memory.
Topic fitting and the activities are not distributed: they run afterwards in this process.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from distributed import Client, LocalCluster, as_completed, get_worker
from distributed.diagnostics.plugin import WorkerPlugin
from distributed.scheduler import KilledWorker

from pipeline.core.errors import FocuslexError
from pipeline.core.files import write_atomic
from pipeline.core.settings import EngineSettings, Settings
from pipeline.engine.options import DaskOptions, check_engine, engine_settings
from pipeline.engine.partitions import Partition, PartitionResult, PartitionWorker
from pipeline.nlp.cache import Progress, TABLE_SUFFIX, cache_file, table_folder
from pipeline.store.batches import AddHits, plan_partitions, replacing_term_hits
from pipeline.store.database import Store
from pipeline.terms.run import (AnalysisReport, Lexicon, RunTotals, lexicon_revision,
                                load_lexicon)
from pipeline.topics.embeddings import CachedEmbedder, Encoder, load_encoder

log = logging.getLogger("focuslex.engine")

PLUGIN = "focuslex-analyse"
# The function a worker runs on one partition (`analyse_partition`; a test may wrap it).
PartitionTask = Callable[[Partition], PartitionResult]


class FocuslexWorkerPlugin(WorkerPlugin):
    """Settings and lexicon for every worker; the pipeline is loaded once per worker."""

    def __init__(self, settings: Settings, lexicon: Lexicon, embed: bool) -> None:
        self.settings = settings
        self.lexicon = lexicon
        self.embed = embed
        self._pipeline: PartitionWorker | None = None
        self._lock: threading.Lock | None = None

    def setup(self, worker: Any) -> None:
        self._lock = threading.Lock()

    def pipeline(self) -> PartitionWorker:
        assert self._lock is not None, "plugin not set up"
        with self._lock:
            if self._pipeline is None:
                began = time.perf_counter()
                self._pipeline = PartitionWorker(self.settings, self.lexicon, self.embed)
                log.info("Worker loaded pipeline %s in %.1f s", self._pipeline.ident,
                         time.perf_counter() - began)
            return self._pipeline


def _plugin() -> FocuslexWorkerPlugin:
    return get_worker().plugins[PLUGIN]


def analyse_partition(partition: Partition) -> PartitionResult:
    """The task run on a worker: one partition with the worker's pipeline."""
    return _plugin().pipeline().analyse(partition)


def describe_run() -> dict[str, Any]:
    """The task that loads a worker's pipeline and returns the run record."""
    return _plugin().pipeline().describe()


@contextmanager
def dask_client(engine: EngineSettings) -> Iterator[Client]:
    """A client of the scheduler at `engine.scheduler`, else of a LocalCluster of
    `engine.workers` processes (one thread each), closed afterwards. FX-ENG-001 when the
    scheduler cannot be reached."""
    if engine.scheduler:
        try:
            client = Client(engine.scheduler, timeout=engine.connect_timeout)
        except (OSError, TimeoutError) as exc:
            raise FocuslexError("FX-ENG-001", address=engine.scheduler,
                                detail=str(exc) or type(exc).__name__) from exc
        with client:
            yield client
        return
    with LocalCluster(n_workers=engine.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        yield client


@dataclass
class _Totals(RunTotals):
    """The local engine's totals, plus what the partitions and workers add."""
    embedded: int = 0
    worker_seconds: float = 0.0
    partitions: int = 0
    peak_in_flight: int = 0     # most partitions submitted and not yet written at once


class _Writer:
    """Writes each completed partition: hits into the run's transaction, token tables and
    unit vectors into this machine's caches."""

    def __init__(self, settings: Settings, ident: str, add: AddHits,
                 embedder: CachedEmbedder | None, totals: _Totals | None = None) -> None:
        self.ident = ident
        self.folder = table_folder(settings.paths.cache_dir, ident)
        self.add = add
        self.embedder = embedder
        self.totals = _Totals() if totals is None else totals

    def write(self, result: PartitionResult) -> None:
        if result.pipeline != self.ident:   # a worker with another spaCy pipeline installed
            raise FocuslexError("FX-ENG-003", detail=f"een worker gebruikt {result.pipeline} "
                                f"in plaats van {self.ident}")
        t = self.totals
        t.hits += self.add(result.hits)
        for key, data in result.tables.items():
            path = cache_file(self.folder, key, TABLE_SUFFIX)
            if not path.is_file():
                write_atomic(path, data)
        if self.embedder is not None and result.vectors is not None:
            t.embedded += self.embedder.remember(result.unit_texts, result.vectors)
        t.documents += len(result.document_ids)
        t.utterances += result.utterances
        t.words += result.words
        t.parsed += result.parsed
        t.uncertain += sum(h.uncertain for h in result.hits)
        t.fuzzy += sum(h.fuzzy for h in result.hits)
        t.terms.update(h.term_id for h in result.hits)
        t.worker_seconds += result.seconds
        t.partitions += 1


def _partitions(store: Store, plan: list[list[int]], names: dict[int, str],
                facilitators: frozenset[str]) -> Iterator[Partition]:
    """The partitions, each read from the store only when it is about to be submitted."""
    for number, doc_ids in enumerate(plan):
        yield Partition(number=number, utterances=store.stored_utterances(doc_ids),
                        file_names={d: names[d] for d in doc_ids}, facilitators=facilitators)


def _stream(client: Client, partitions: Iterator[Partition], limit: int, writer: _Writer,
            total_words: int, progress: Progress | None,
            task: PartitionTask = analyse_partition) -> None:
    """Keep at most `limit` partitions in flight; write each as it completes. A partition
    whose task took down more workers than the scheduler allows (Dask resubmits it to
    another worker until then) stops the run with FX-ENG-002, naming the partition."""
    running = as_completed()
    names: dict[str, str] = {}

    def submit(partition: Partition) -> None:
        future = client.submit(task, partition, pure=False)
        names[future.key] = describe_partition(partition)
        running.add(future)
        writer.totals.peak_in_flight = max(writer.totals.peak_in_flight, running.count())

    for partition in partitions:
        submit(partition)
        if running.count() >= limit:
            break
    for future in running:
        try:
            result = future.result()
        except KilledWorker as exc:
            raise FocuslexError("FX-ENG-002", partition=names.get(future.key, "?"),
                                detail=f"{exc.allowed_failures + 1} workers na elkaar "
                                f"gestopt, het laatst {exc.last_worker.address}") from exc
        writer.write(result)
        future.release()
        if progress is not None:
            progress(min(writer.totals.words, total_words), total_words, "Ontleden (Dask)")
        following = next(partitions, None)
        if following is not None:
            submit(following)


def describe_partition(partition: Partition, shown: int = 3) -> str:
    """A partition as the user knows it: its number (from 1) and its first files."""
    files = sorted(partition.file_names.values())
    more = f" en {len(files) - shown} andere" if len(files) > shown else ""
    return f"{partition.number + 1} ({', '.join(files[:shown])}{more})"


def _worker_count(client: Client, engine: EngineSettings) -> int:
    workers = len(client.scheduler_info().get("workers", {}))
    return workers or engine.workers


def _run_record(client: Client, engine: EngineSettings, partitions: int) -> dict[str, Any]:
    try:
        record = client.submit(describe_run, pure=False).result()
    except KilledWorker as exc:
        raise FocuslexError("FX-ENG-002", partition="(opstart)",
                            detail="worker gestopt bij het laden") from exc
    except (OSError, ImportError, RuntimeError) as exc:
        raise FocuslexError("FX-ENG-003", detail=f"{type(exc).__name__}: {exc}") from exc
    record["engine"] = {"name": "dask", "workers": _worker_count(client, engine),
                        "scheduler": engine.scheduler or "LocalCluster",
                        "partitions": partitions, "partition_words": engine.partition_words}
    return record


def run_dask_analysis(settings: Settings, store: Store, *, lexicon_file: Path | None = None,
                      options: DaskOptions = DaskOptions(), encoder: Encoder | None = None,
                      embed: bool = True, progress: Progress | None = None,
                      task: PartitionTask = analyse_partition) -> AnalysisReport:
    """`focuslex analyse` on Dask workers: the same hits, token tables and (with `embed`)
    unit vectors as the local engine (`pipeline.terms.run.run_analysis` and the topics'
    embedding), stored as partitions complete, with a run record naming the engine.
    `encoder` is the client's encoder whose cache receives the vectors (loaded when None);
    `task` is what a worker runs on each partition (`analyse_partition`)."""
    began = time.perf_counter()
    engine = engine_settings(settings, options)
    check_engine(engine)
    sizes = store.document_sizes()
    if not sizes:
        raise FocuslexError("FX-TRM-001")
    lexicon = load_lexicon(store, lexicon_file)
    facilitators = frozenset(s.code for s in store.speakers() if s.role == "facilitator")
    plan = plan_partitions(sizes, engine.partition_words)
    embedder = None
    if embed:
        embedder = CachedEmbedder(encoder or load_encoder(settings.topics.embedder),
                                  settings.paths.cache_dir)
    with dask_client(engine) as client:
        client.register_plugin(FocuslexWorkerPlugin(settings, lexicon, embed), name=PLUGIN)
        record = {**_run_record(client, engine, len(plan)),
                  "lexicon_revision": lexicon_revision(store)}
        run_id = store.start_run("analyse", record)
        totals = _Totals()
        try:
            with replacing_term_hits(store, run_id) as add:
                writer = _Writer(settings, record["model"]["id"], add, embedder, totals)
                _stream(client, _partitions(store, plan, {i: n for i, n, _ in sizes},
                                            facilitators),
                        _worker_count(client, engine) * engine.in_flight_per_worker, writer,
                        sum(w for *_, w in sizes), progress, task)
        except Exception as exc:   # the hits of the partitions done are rolled back
            store.finish_run(run_id, "error", {"error": str(exc),
                                               "partitions_done": totals.partitions,
                                               "hits_rolled_back": totals.hits})
            raise
    return _finish(store, run_id, record, lexicon, totals, began)


def _finish(store: Store, run_id: int, record: dict[str, Any], lexicon: Lexicon,
            t: _Totals, began: float) -> AnalysisReport:
    seconds = time.perf_counter() - began
    report = AnalysisReport(
        run_id=run_id, documents=t.documents, utterances=t.utterances, words=t.words,
        parsed=t.parsed, cached=t.utterances - t.parsed, hits=t.hits,
        terms=len(lexicon.entries), terms_found=len(t.terms), lexicon_source=lexicon.source,
        seconds=seconds, pipeline=record["model"]["id"],
        timings={"workers": t.worker_seconds}, uncertain=t.uncertain, fuzzy=t.fuzzy)
    store.finish_run(run_id, "ok", {
        "documents": t.documents, "utterances": t.utterances, "words": t.words,
        "parsed": t.parsed, "from_cache": report.cached, "hits": t.hits,
        "uncertain": t.uncertain, "fuzzy": t.fuzzy, "terms_found": len(t.terms),
        "embedded": t.embedded, "partitions_done": t.partitions,
        "peak_in_flight": t.peak_in_flight, "seconds": round(seconds, 3)})
    log.info("Dask analysis: %d partitions, %d hits, %d vectors cached, %.1f s",
             record["engine"]["partitions"], t.hits, t.embedded, seconds)
    return report
