"""About: the programme, where the data comes from, and the definition of every figure."""

import streamlit as st

from oversight.config import SUPPRESSION_THRESHOLD
from oversight.i18n import catalogue, t
from ui import components

lang, _ = components.current()
info = components.page_header("page.about", lang)

st.markdown(t("about.programme", lang))

st.header(t("about.data.heading", lang))
st.markdown(
    t(
        "about.data.body", lang,
        kind=t(f"about.kind.{info.get('kind', 'submitted')}", lang),
        date=info.get("data_date"), built=info.get("built_at"),
        batch=components.plain(info.get("latest_batch") or "–"), batches=info.get("batches", 0),
    )
)

st.header(t("about.definitions", lang))
# Every definition is written once (locales/definitions.json) and shown here and beside its figure.
for key in sorted(k for k in catalogue() if k.startswith("def.")):
    name = key.removeprefix("def.")
    st.markdown(f"**{t('defname.' + name, lang)}**")
    st.write(t(key, lang, n=SUPPRESSION_THRESHOLD))

st.header(t("about.filters.heading", lang))
st.markdown(t("about.filters.body", lang))
