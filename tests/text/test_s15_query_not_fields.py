"""`segment:premium` in a query is refused with the real fields, not searched as text.

An analyst wrote `brandhalo query 'segment:premium'` and got "0 of 300 posts match": the
query looked for the literal word and said nothing.
"""

from __future__ import annotations

import pytest

from brandhalo.errors import QueryError
from brandhalo.text.query import parse_query as parse


@pytest.mark.parametrize("query", ["segment:premium", "刹车 AND theme:safety", "brand:小米"])
def test_a_name_that_is_not_a_field_is_refused_with_the_fields(query: str) -> None:
    with pytest.raises(QueryError) as err:
        parse(query)
    message = str(err.value)
    assert "is not a field of the query language" in message
    assert "author:, source: and lang:" in message


def test_fields_urls_times_and_quoted_text_still_parse() -> None:
    for query in ("author:*车主*", "lang:en crash*", "http://t.co", "10:30", '"segment:premium"'):
        parse(query)
