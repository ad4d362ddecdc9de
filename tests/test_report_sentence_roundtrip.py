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
    stop,
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


@st.composite
def participants(draw: st.DrawFn) -> object:
    """An organisation with or without a count, ほか, 約 and a breakdown."""
    people = draw(maybe_counts)
    return participant(
        draw(org_names()),
        people,
        more=draw(st.booleans()),
        approx=people is not None and draw(st.booleans()),
        breakdown=draw(st.lists(st.tuples(st.sampled_from(ROLE_LABELS), maybe_counts), max_size=3)),
    )


@st.composite
def bounds(draw: st.DrawFn, value: int | None) -> tuple[bool, bool]:
    """(more, approx) of a count: exact, a floor (以上) or about (約); none without a count."""
    if value is None:
        return False, False
    return draw(st.sampled_from([(False, False), (True, False), (False, True)]))


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
    more, approx = draw(bounds(value))
    return tally(item, value, label=label, unit=unit, options=options, more=more, approx=approx)


# What organisations count per organisation: unnamed, a word, a known item (筆 alone
# already says 署名, so an unnamed count is never in 筆).
ORG_TALLY_ITEMS = ["", "注文", "普及", "署名", "パンフ", "チラシ"]


@st.composite
def org_tallies(draw: st.DrawFn) -> object:
    """``医療生協が120冊``: an organisation's result, in a unit other than people."""
    item = draw(st.sampled_from(ORG_TALLY_ITEMS))
    units = [u for u in UNITS if u != "筆"] if item == "" else UNITS
    label = draw(st.none() | st.sampled_from(TALLY_LABELS)) if item in KNOWN_ITEMS else None
    value = draw(counts)
    more, approx = draw(bounds(value))
    return tally(
        item,
        value,
        label=label,
        unit=draw(st.sampled_from(units)),
        options=draw(st.lists(st.tuples(st.sampled_from(OPTION_LABELS), counts), max_size=2)),
        org=draw(org_names()),
        more=more,
        approx=approx,
    )


# Municipalities of 神奈川県 as organisers write them (中区 is 横浜市中区 at home).
TOWNS = ["寒川町", "愛川町", "清川村", "厚木市", "大磯町", "横浜市中区", "中区", "相模原市",
         "川崎市", "平塚市", "小田原市", "箱根町", "海老名市", "二宮町"]
PLACES = ["本厚木駅前", "駅前", "中央公園", "北口", "商店街", "駅頭", "東口交差点"]
ACTIVITIES = ["懇談", "宣伝", "署名", "要請", "懇談・宣伝", "訪問し懇談"]
HOME = "14"


@st.composite
def stops(draw: st.DrawFn) -> object:
    """``寒川町（8人）``, ``厚木市本厚木駅前（6人）``, ``寒川町役場``, with an activity or not."""
    town = draw(st.sampled_from(TOWNS))
    venue = draw(st.none() | st.sampled_from(PLACES) | st.just(town + "役場"))
    people = draw(maybe_counts)
    more, approx = draw(bounds(people))
    activity = draw(st.none() | st.sampled_from(ACTIVITIES))
    return stop(town, people, venue=venue, activity=activity, more=more, approx=approx, home=HOME)


@st.composite
def venues(draw: st.DrawFn, total: bool) -> dict[str, object]:
    """The hall and online counts, each exact, about or a floor; a hybrid total needs one."""
    values = {name: draw(maybe_counts) for name in ("people", "online_sites", "online_people")}
    approx, at_least = [], []
    for name, value in values.items():
        if value is None:
            continue
        more, about = draw(bounds(value))
        if about:
            approx.append(name)
        elif more:
            at_least.append(name)
    return {
        "venue_people": values["people"],
        "online_sites": values["online_sites"],
        "online_people": values["online_people"],
        "venue_approx": approx,
        "venue_at_least": at_least,
        "hybrid": total and draw(st.booleans()),
    }


@st.composite
def reports(draw: st.DrawFn) -> ParsedReport:
    """Any report the sentence can say: organisations, totals, bounds, the hall and online,
    stops and results (plain and per organisation), in any mix."""
    people, at_least, approx = draw(maybe_counts), draw(maybe_counts), draw(maybe_counts)
    results = draw(st.lists(st.one_of(tallies(), org_tallies()), max_size=6))
    return make_report(
        draw(st.lists(participants(), max_size=6)),
        orgs=draw(maybe_counts),
        people=people,
        people_at_least=at_least,
        people_approx=approx,
        municipalities=draw(maybe_counts),
        tallies=results,
        stops=draw(st.lists(stops(), max_size=5)),
        **draw(venues(any(v is not None for v in (people, at_least, approx)))),
    )


@settings(max_examples=300, deadline=None)
@given(reports())
def test_what_the_renderer_writes_reads_back_the_same(report: ParsedReport) -> None:
    assert parse_report(render_report(report), HOME) == report


@settings(max_examples=80, deadline=None)
@given(reports())
def test_json_reads_back_the_same(report: ParsedReport) -> None:
    assert ParsedReport.from_json(json.loads(json.dumps(report.to_json()))) == report


# Text made mostly of the sentence's own characters, so the fuzzing reaches deep.
GRAMMAR_ALPHABET = (
    "年金者組合医療生協人名計団体、。,，（）()「」うちほか他署名筆枚個件シール投票反対賛成"
    "会場オンラインZOOMzカ所ヶケか箇0123456789１２３：:～〜・ 　\nでしたの参加を超える晴"
    "寒川町愛清村厚木市駅前役場懇談宣伝約以上余冊がは注文団別＋+Zoomウェビナー第回十数万拠点から"
    "横浜中区緑府中雨や"
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
    kept = nfkc(written + "".join(w.text for w in report.warnings) + "".join(report.asides))
    for ch in nfkc(text):
        if ch.isspace() or ch.casefold() in VOCABULARY_CHARS:
            continue
        assert ch in kept, f"{ch!r} of {text!r} was neither placed nor quoted"


@settings(max_examples=200, deadline=None)
@given(odd_text)
def test_reading_what_was_written_is_stable(text: str) -> None:
    once = parse_report(render_report(parse_report(text)))
    assert parse_report(render_report(once)) == once
