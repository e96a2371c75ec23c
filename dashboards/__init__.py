"""Streamlit dashboards; they read the published marts snapshot, never the warehouse."""
