"""focuslex pipeline: ingest and pseudonymise transcripts, parse them with a Dutch spaCy
pipeline, find the lexicon's terms, and analyse their use, over one store.

Subpackages, each importing only those listed after it (`.importlinter`):
- `cli`: the `focuslex` command, one thin module per command group;
- `analysis`: concordance, collocations, comparisons, their statistics, and `service`, the
  layer the CLI and the app (`app_pages/`) both call;
- `terms`: lexicon -> patterns, the term matcher (a spaCy component), the analysis run and
  the export of hits;
- `ingest`: readers (txt, md, docx, vtt, srt, pdf), participant and document sheets, the
  ingest service;
- `privacy`: the pseudonym key, name detection and replacement, the names review, the leak
  scan;
- `nlp`: the Dutch pipeline loader, the lemma fixes, token tables and the parse caches;
- `store`: the database (SQLAlchemy; SQLite or PostgreSQL);
- `core`: errors (one catalogue), settings, records, files, text keys (one fold family).
The curated lexicon is the package `lexicon` (between `store` and `nlp`).
"""

__version__ = "0.1.0"
