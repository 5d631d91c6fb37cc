"""The Streamlit pages routed by app.py: UI only. Cached resources and data live in
`app_pages.context`; the work is in the library (`pipeline.analysis.service`, `lexicon`)."""
