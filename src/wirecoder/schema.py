"""The one schema: typed records passed between pipeline stages and exposed by the API.

Every stage reads and writes these pydantic models, nothing else. Offsets are
character offsets into the *cleaned* text of an article unless a field says
otherwise; :class:`OffsetMap` maps them back to the original text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

SCHEMA_VERSION = "1"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


# --------------------------------------------------------------------------- text


class Span(Model):
    """Evidence: a stretch of the cleaned text, ``text == cleaned[start:end]``."""

    start: int
    end: int
    text: str


class Segment(Model):
    """``cleaned[clean_start:clean_start+length] == original[orig_start:orig_start+length]``."""

    clean_start: int
    orig_start: int
    length: int


class OffsetMap(Model):
    segments: list[Segment] = Field(default_factory=list)
    input_removed: list[int] = Field(
        default_factory=list,
        description="positions in the article text before which the input had a character that the reader "
                    "dropped (the CR of a CRLF, a byte-order mark): to_original adds them back")
    _starts: list[int] | None = PrivateAttr(default=None)

    def to_original(self, offset: int, *, end: bool = False) -> int:
        """Map an offset in the cleaned text to the input as the user gave it, decoded (its
        own line endings and byte-order mark included). ``end=True`` for the exclusive end
        of a span (a CR just before the span's end is then left out)."""
        pos = self._to_article(offset)
        if not self.input_removed:
            return pos
        from bisect import bisect_left, bisect_right

        return pos + (bisect_left if end else bisect_right)(self.input_removed, pos)

    def _to_article(self, offset: int) -> int:
        """Cleaned text -> the article's (normalised) text."""
        segs = self.segments
        if not segs:
            return offset
        from bisect import bisect_right

        if self._starts is None or len(self._starts) != len(segs):
            self._starts = [s.clean_start for s in segs]
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return offset
        seg = segs[i]
        if offset <= seg.clean_start + seg.length:
            return seg.orig_start + (offset - seg.clean_start)
        return seg.orig_start + seg.length


class Article(Model):
    """One input document (ingest stage output)."""

    id: str = Field(description="sha256 of the text, first 16 hex digits: the idempotency key")
    text: str
    title: str | None = None
    source: str | None = None
    published: dt.date | None = None
    url: str | None = None
    path: str | None = None
    external_id: str | None = Field(default=None, description="an id given by the input (JSONL 'id')")
    cluster: str | None = Field(default=None, description="gold cluster id, only in evaluation files")
    input_removed: list[int] = Field(default_factory=list, description="where the reader dropped a CR of a CRLF "
                                     "or a byte-order mark (positions in text): evidence maps back through them")

    @staticmethod
    def make_id(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Removed(Model):
    """A piece the cleaner dropped, with why (offsets into the original text)."""

    start: int
    end: int
    text: str
    reason: Literal["caption", "credit", "duplicate", "boilerplate", "markup", "dateline"]


class CleanText(Model):
    """Clean stage output."""

    article_id: str
    text: str
    offsets: OffsetMap
    removed: list[Removed] = Field(default_factory=list)
    title: str | None = None
    dateline: str | None = Field(default=None, description="place of reporting ('JERUSALEM (AP) --'), not of the event")


# --------------------------------------------------------------------------- fields

Sector = Literal[
    "GOV", "MIL", "POL", "REB", "MIL_PRO", "CVL", "JUD", "LEG", "MED", "IGO", "NGO",
    "BUS", "OPP", "PTY", "REL", "EDU", "LAB", "UNK", "OTHER",
]


class Actor(Model):
    text: str = Field(description="as written")
    name: str = Field(description="canonical name")
    country: str | None = Field(default=None, description="ISO-3166 alpha-3, or an IGO code (NATO, UN, EU, ...)")
    sector: Sector | None = None
    inter: int | None = Field(default=None, description="ACLED inter code 1..8")
    unidentified: bool = False
    generic: bool = Field(False, description="a description ('Iraqi armed group', 'protesters'), not a named actor")
    span: Span | None = None


class Location(Model):
    text: str = Field(description="as written")
    name: str = Field(description="resolved name")
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    country: str | None = Field(default=None, description="ISO-3166 alpha-3")
    admin1: str | None = None
    feature: str | None = Field(default=None, description="city, admin1, country, region, facility")
    precision: Literal[1, 2, 3] = Field(3, description="ACLED geo_precision: 1 town, 2 near/part of region, 3 admin or country")
    span: Span | None = None


class DateRange(Model):
    start: dt.date
    end: dt.date
    precision: Literal["day", "week", "month", "quarter", "season", "year", "range"] = "day"
    inferred: bool = Field(False, description="true when taken from publication, not stated")
    text: str | None = None
    span: Span | None = None


class Count(Model):
    kind: Literal["killed", "injured", "arrested", "size", "displaced", "missing"]
    value: int | None = Field(description="None when unquantified ('several')")
    approximate: bool = False
    text: str
    claimed_by: str | None = None
    claimed_by_span: Span | None = None
    source_article: str | None = None
    span: Span | None = None


class Quote(Model):
    text: str
    speaker: str = Field(description="canonical speaker name (coreference resolved)")
    speaker_text: str = Field(description="speaker as written at the quote ('he', 'the official')")
    direct: bool = True
    article_id: str | None = None
    span: Span
    speaker_span: Span | None = None


Extractor = Literal["rules", "llm"]
CHOSEN_BY_DOC = ("which extractor chose each field ('plover_type', 'actor', ...), 'rules' or 'llm': set by "
                 "`--extractor llm` (all 'llm') and `--extractor ensemble` (per field); empty for the rules alone")


class Mention(Model):
    """One sentence-level report of an event inside one article (detect stage output)."""

    article_id: str
    sentence: int
    trigger: Span
    sentence_span: Span
    plover_type: str | None = Field(description="None only for an article's main event that names no PLOVER "
                                                "event (a cue-only or main-clause mention, wirecoder.main_event); "
                                                "never in an Event's mentions")
    plover_mode: str | None = None
    plover_context: list[str] = Field(default_factory=list)
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    acled_code: str | None = Field(
        default=None, description="ACLED sub-event code (CASE 2021 task 2 codes, with the non-ACLED ORG_CRIME, "
                                  "NATURAL_DISASTER, MAN_MADE_DISASTER, DIPLO and ATTRIB)")
    cameo: str | None = None
    aux_mode: Literal["asserted", "negated", "hypothetical", "future", "historical", "threatened"] = "asserted"
    nominal: bool = False
    anaphoric: bool = Field(False, description="'the strike': refers back to an earlier mention")
    generic: bool = Field(False, description="plural/habitual ('numerous attacks'): not one event")
    actors: list[Actor] = Field(default_factory=list)
    recipients: list[Actor] = Field(default_factory=list)
    target: Span | None = Field(None, description="what the action fell on when it is not an actor ('a market')")
    actor_phrase: Span | None = Field(default=None, description="who does it, as written (the role reader's phrase, "
                                                               "coded by the dictionary or not)")
    recipient_phrase: Span | None = Field(default=None, description="to whom or where, as written")
    location: Location | None = None
    date: DateRange | None = None
    counts: list[Count] = Field(default_factory=list)
    link_to_sentence: list[tuple[str, int]] = Field(
        default_factory=list, description="(relation, mention index) resolved by the merge stage"
    )
    confidence: float = 0.5
    chosen_by: dict[str, Extractor] = Field(default_factory=dict, description=CHOSEN_BY_DOC)


class EventLink(Model):
    source: str = Field(description="event id")
    target: str = Field(description="event id")
    relation: Literal["retaliation", "response", "follows", "cause", "part_of", "accuses", "rejects", "supports",
                      "requests", "same_incident"] = Field(description="closed vocabulary: docs/ONTOLOGY.md, 'Links'")
    evidence: Span | None = None
    article_id: str | None = None


class Event(Model):
    """One real-world event: the merge stage fuses mentions (and articles) into it."""

    id: str
    plover_type: str
    plover_mode: str | None = None
    plover_context: list[str] = Field(default_factory=list)
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    cameo: str | None = None
    actors: list[Actor] = Field(default_factory=list)
    recipients: list[Actor] = Field(default_factory=list)
    location: Location | None = None
    date: DateRange | None = None
    counts: list[Count] = Field(default_factory=list)
    fatalities: int | None = Field(default=None, description="reconciled killed count")
    injured: int | None = None
    size: int | None = None
    reconcile_rule: str | None = None
    article_ids: list[str] = Field(default_factory=list)
    sentences: list[tuple[str, int]] = Field(default_factory=list, description="(article id, sentence index)")
    mentions: list[Mention] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    first_reported: dt.date | None = None
    last_reported: dt.date | None = None
    notes: str | None = None
    confidence: float = 0.5
    chosen_by: dict[str, Extractor] = Field(default_factory=dict, description=CHOSEN_BY_DOC)

    @property
    def actor(self) -> Actor | None:
        return self.actors[0] if self.actors else None

    @property
    def recipient(self) -> Actor | None:
        return self.recipients[0] if self.recipients else None


class ExtractionResult(Model):
    """Everything the pipeline learns from one article."""

    schema_version: str = SCHEMA_VERSION
    article: Article
    clean: CleanText
    events: list[Event] = Field(default_factory=list)
    links: list[EventLink] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    main_event: Mention | None = Field(
        default=None, description="the article's main event mention (wirecoder.main_event), realis or not: what "
                                  "`wirecoder eval plv/case2021/gsr` score")
    extractor: Literal["rules", "llm", "ensemble"] = Field(
        "rules", description="the extractor that coded this article (`--extractor`)")
    fallback: str | None = Field(
        default=None, description="why an LLM extractor fell back to the rules' events for this article "
                                  "(bad JSON, HTTP error, timeout, ...); None when it did not")


# --------------------------------------------------------------------------- LLM answers
# What an LLM extractor (wirecoder.llm) asks an OpenAI-compatible server for: strings as written in the
# article, which wirecoder maps back to evidence spans (a string not found in the text is dropped).


class LLMEvent(Model):
    model_config = ConfigDict(extra="ignore")
    plover_type: str = Field(description="a PLOVER type of the ontology (checked against it by wirecoder.llm)")
    plover_mode: str | None = None
    acled_code: str | None = Field(default=None, description="ACLED / CASE 2021 sub-event code, or null")
    trigger: str = Field(description="the word or phrase of the text that names the event, as written")
    actor: str | None = Field(default=None, description="who did it, as written")
    recipient: str | None = Field(default=None, description="to whom or what, as written")
    location: str | None = Field(default=None, description="where, as written")
    date: str | None = Field(default=None, description="when, as written ('on Friday', 'March 3')")
    killed: str | None = Field(default=None, description="the number killed, as written ('12 people')")
    candidate: int | None = Field(default=None, description="ensemble: the rule candidate this event confirms "
                                                            "(its number), or null for an event the rules missed")


class LLMAnswer(Model):
    model_config = ConfigDict(extra="ignore")
    events: list[LLMEvent] = Field(default_factory=list)
