"""Ledgerdesk's Streamlit app: `streamlit run dashboards/streamlit_app.py`."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` puts this file's folder on sys.path, not the project root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st

st.set_page_config(page_title="Ledgerdesk", page_icon=":ledger:", layout="wide")

pages = {
    "Agents": [
        st.Page(
            "app_pages/customer_lookup.py",
            title="Customer lookup",
            icon=":material/person_search:",
            default=True,
        ),
    ],
}
st.navigation(pages).run()
