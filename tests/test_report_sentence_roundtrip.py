"""Properties of the report sentence: what the renderer writes reads back the same,
and no text, however odd, makes the parser fail or lose a character silently."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from campaign_sheets.core.text import nfkc
from campaign_sheets.report import (
    ParsedReport,
    make_report,
    parse_report,
    participant,
    render_report,
    tally,
)
from campaign_sheets.report.grammar import CLOSING_BRACKETS, OPENING_BRACKETS, vocabulary

# Pieces organisation names are made of, including digits (9条の会) and a 2区 branch.
NAME_PIECES = [
    "年金者",
    "組合",
    "医療",
    "生協",
    "建設",
    "ユニオン",
    "市民",
    "の会",
    "地区",
    "労",
    "県",
    "連",
    "新婦人",
    "商工会",
    "保険医",
    "協会",
    "9条",
    "25条",
    "平和",
    "いのち",
    "暮らし",
    "守る",
    "社保協",
    "民商",
    "2区",
    "ＪＭＩＵ",
    "ｱｸｼｮﾝ",
]
ROLE_LABELS = ["支部役員", "開業医", "勤務医", "事務局", "青年部", "20代", "女性", "役員・事務局"]
KNOWN_ITEMS = ["署名", "チラシ", "シール投票", "相談", "パンフ", "チラシ・ティッシュ", "募金"]
OTHER_ITEMS = ["風船", "ポスター", "宣伝カー"]
TALLY_LABELS = [
    "介護を守れ",
    "年金",
    "消費税10%反対",
    "消費税10％反対",
    "いのちと暮らし",
    "75歳以上医療費2倍化反対",
    "国保料引き下げ",
]
UNITS = ["筆", "枚", "個", "件", "冊", "円", "部"]
OPTION_LABELS = ["反対", "賛成", "わからない", "上げるべき", "下げるべき"]

counts = st.integers(min_value=0, max_value=99_999)
maybe_counts = st.none() | counts


@st.composite
def org_names(draw: st.DrawFn) -> str:
    """``医療生協``, ``建設ユニオン・市民の会``, ``9条の会`` and the like."""
    groups = draw(
        st.lists(
            st.lists(st.sampled_from(NAME_PIECES), min_size=1, max_size=3), min_size=1, max_size=2
        )
    )
    name = "・".join("".join(group) for group in groups)
    return name if not name[-1].isdigit() else name + "会"


participants = st.builds(
    participant,
    org_names(),
    maybe_counts,
    more=st.booleans(),
    breakdown=st.lists(st.tuples(st.sampled_from(ROLE_LABELS), maybe_counts), max_size=3),
)


@st.composite
def tallies(draw: st.DrawFn) -> object:
    """Results: known items with or without unit and value, other items with both."""
    options = draw(st.lists(st.tuples(st.sampled_from(OPTION_LABELS), counts), max_size=3))
    label = draw(st.none() | st.sampled_from(TALLY_LABELS))
    if draw(st.booleans()):
        item = draw(st.sampled_from(KNOWN_ITEMS))
        value = draw(maybe_counts)
        unit = draw(st.none() | st.sampled_from([*UNITS, "人"])) if value is not None else None
    else:
        item = draw(st.sampled_from(OTHER_ITEMS))
        value, unit = draw(counts), draw(st.sampled_from(UNITS))
    return tally(item, value, label=label, unit=unit, options=options)


reports = st.builds(
    make_report,
    st.lists(participants, max_size=6),
    orgs=maybe_counts,
    people=maybe_counts,
    people_at_least=maybe_counts,
    venue_people=maybe_counts,
    online_sites=maybe_counts,
    tallies=st.lists(tallies(), max_size=5),
)


@settings(max_examples=150, deadline=None)
@given(reports)
def test_what_the_renderer_writes_reads_back_the_same(report: ParsedReport) -> None:
    assert parse_report(render_report(report)) == report


@settings(max_examples=80, deadline=None)
@given(reports)
def test_json_reads_back_the_same(report: ParsedReport) -> None:
    assert ParsedReport.from_json(json.loads(json.dumps(report.to_json()))) == report


# Text made mostly of the sentence's own characters, so the fuzzing reaches deep.
GRAMMAR_ALPHABET = (
    "年金者組合医療生協人名計団体、。,，（）()「」うちほか他署名筆枚個件シール投票反対賛成"
    "会場オンラインZOOMzカ所ヶケか箇0123456789１２３：:～〜・ 　\nでしたの参加を超える晴"
)
odd_text = st.text(alphabet=GRAMMAR_ALPHABET, max_size=60) | st.text(max_size=40)


def _vocabulary_chars() -> set[str]:
    words = vocabulary().all_words()
    chars = {ch.casefold() for word in words for ch in word}
    return chars | set("0123456789,:.、。「」") | set(OPENING_BRACKETS + CLOSING_BRACKETS)


VOCABULARY_CHARS = _vocabulary_chars()


@settings(max_examples=400, deadline=None)
@given(odd_text)
def test_odd_text_only_warns_and_drops_nothing_silently(text: str) -> None:
    report = parse_report(text)
    json.dumps(report.to_json("en"))
    assert ParsedReport.from_json(report.to_json()) == report
    written = render_report(report)
    kept = nfkc(written + "".join(w.text for w in report.warnings))
    for ch in nfkc(text):
        if ch.isspace() or ch.casefold() in VOCABULARY_CHARS:
            continue
        assert ch in kept, f"{ch!r} of {text!r} was neither placed nor quoted"


@settings(max_examples=200, deadline=None)
@given(odd_text)
def test_reading_what_was_written_is_stable(text: str) -> None:
    once = parse_report(render_report(parse_report(text)))
    assert parse_report(render_report(once)) == once
