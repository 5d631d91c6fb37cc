"""focuslex pipeline: ingest, pseudonymise, NLP, terms, topics, store, report.

A library with a thin CLI (`pipeline.cli.main`) and a thin Streamlit app (`app.py`) over it.
"""

__version__ = "0.1.0"
