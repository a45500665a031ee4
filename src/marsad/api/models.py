"""Pydantic response and request models of the REST API (they shape /openapi.json).

Record listings keep their rows open (``extra="allow"``): the store's listings and the
fusion views add fields over time, and the API passes them through unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a listing; ``total`` counts every visible item over all pages."""

    items: list[T]
    total: int | None = Field(None, description="Visible items over all pages (null: not counted).")
    limit: int
    offset: int


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class DocumentOut(BaseModel):
    id: str = Field(description="Hash of the normalised body (16 hex digits).")
    title: str
    source: str
    outlet: str | None = None
    published: dt.date | None = None
    url: str | None = None
    language: str = "ar"
    tlp: str = Field(description="TLP 2.0: CLEAR, GREEN, AMBER, AMBER+STRICT or RED.")
    owner: str | None = Field(None, description="Owner organisation (null: the local single user).")
    ingested_at: dt.datetime | None = None


class DocumentHit(BaseModel):
    id: str
    title: str
    source: str
    outlet: str | None = None
    published: dt.date | None = None
    tlp: str
    snippet: str | None = Field(None, description="Original text around the first match, matches in [ ].")
    score: float | None = None


class DocumentPage(Page[DocumentHit]):
    total_is_lower_bound: bool = Field(
        False, description="True when a search has more visible matches than it counted: `total` "
                           "then means \"more than total\" (ask with `facets=true` for an exact count).")
    facets: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="Counts per TLP level and outlet over the visible matches "
                                          "(only with `facets=true`).")


class ShareOut(BaseModel):
    kind: str = Field(description="org or group")
    name: str


class DocumentDetail(BaseModel):
    document: DocumentOut
    body: str
    entities: list[Open]
    quantities: list[Open] = Field(description="Claims: figures with what, where, when and who says so.")
    dates: list[Open]
    events: list[Open]
    quotes: list[Open]
    shares: list[ShareOut] | None = Field(None, description="Explicit shares; shown to the owner only.")


class IngestText(BaseModel):
    text: str = Field(min_length=1, description="The report's text (original, any Arabic spelling).")
    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    tlp: str = Field("CLEAR", description="clear, green, amber, amber+strict or red.")
    share_with: list[str] = Field(default_factory=list,
                                  description="Organisations or groups (AMBER) / organisations (AMBER+STRICT, RED).")


class Rejected(BaseModel):
    source: str
    reason: str


class IngestResult(BaseModel):
    new: list[str] = Field(description="Ids of the documents stored by this request.")
    duplicates: list[str] = Field(description="Ids of documents the caller already had.")
    rejected: list[Rejected]
    warnings: list[str]


class Stats(BaseModel):
    documents: int
    entities: int
    mentions: int
    quantities: int
    dates: int
    events: int
    quotes: int


class Me(BaseModel):
    org: str | None = Field(description="null: the unrestricted local caller (no organisation exists yet).")
    scopes: list[str]
    groups: list[str]
    token_id: int | None = None
    user: str | None = None


class ErrorOut(BaseModel):
    detail: Any
