"""The curated lexicon: entries and their validation (model), revisions and releases
(store), YAML/CSV (io), SKOS (skos), and the edits the CLI and the app share (editing).
Imports only pipeline.core and pipeline.store."""
