"""The inline SVG charts write their figures in the reader's language."""

from decimal import Decimal

from django.utils import translation

from college.core.charts import bar_chart


def texts(chart):
    return [bar["text"] for row in chart["rows"] for bar in row["bars"]]


def test_a_decimal_value_reads_with_the_readers_decimal_separator():
    rows = [
        {"label": "Sécurité", "values": [1.5]},
        {"label": "Communication", "values": [4]},
        {"label": "Création", "values": [Decimal("4.0")]},
    ]
    with translation.override("fr"):
        assert texts(bar_chart(rows, series=["Niveau"], maximum=6)) == ["1,5", "4", "4,0"]
    with translation.override("nl"):
        assert texts(bar_chart(rows, series=["Niveau"], maximum=6)) == ["1,5", "4", "4,0"]
    with translation.override("en"):
        assert texts(bar_chart(rows, series=["Niveau"], maximum=6)) == ["1.5", "4", "4.0"]


def test_percentages_and_missing_values_keep_their_form():
    rows = [{"label": "A", "values": [62.4]}, {"label": "B", "values": [None]}]
    with translation.override("fr"):
        assert texts(bar_chart(rows, series=["Taux"], percent=True)) == ["62 %", "—"]
