"""Text enrichment: normalization, language, entity matching, the query language, themes,
touchpoints, segments and (in :mod:`brandhalo.text.sentiment`) sentiment engines.

Modules (import them directly; nothing heavy is imported here):

- :mod:`~brandhalo.text.normalize` — batch normalization (NFKC, width, Traditional ->
  Simplified, case), emoji and Weibo emoticons;
- :mod:`~brandhalo.text.lang` — ``zh`` / ``en`` / ``mixed`` / ``other`` per post;
- :mod:`~brandhalo.text.matcher` — aliases -> brand / competitor / persona / product mentions;
- :mod:`~brandhalo.text.query` — ``compile_query(text).matches(texts, ...)``;
- :mod:`~brandhalo.text.themes`, :mod:`~brandhalo.text.segments`,
  :mod:`~brandhalo.text.targeted` — themes -> touchpoints, segments, per-target sentiment;
- :mod:`~brandhalo.text.enrich` — ``enrich_table(table, ctx)`` (pure) and ``run(ws)`` (stage);
- :mod:`~brandhalo.text.preview` — ``brandhalo query`` preview and ``export posts``.
"""
