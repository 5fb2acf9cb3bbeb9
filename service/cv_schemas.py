"""HTTP schemas of CV parsing (`POST /v1/cvs/parse`)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from models import budgets
from models.competences import Aggregate
from models.cv.parser import CVParse, Experience
from service.schemas import AggregateOut, ItemsByKind, ResolutionOut, SpanOut, TaggedItemOut


class CVTextIn(BaseModel):
    text: str = Field(description=f"the CV's text; at most {budgets.TEXT_CHARS:,} characters")


class SectionOut(BaseModel):
    type: str = Field(
        description="header, summary, experience, education, skills, languages, interests"
    )
    heading: str | None = Field(description="as written")
    start: int
    end: int


class ExperienceOut(BaseModel):
    title: str = Field(description="the job title as written")
    title_span: SpanOut
    employer: str | None
    place: str | None
    dates: str | None = Field(description="as written")
    start: str | None = Field(description="YYYY-MM or YYYY")
    end: str | None = Field(description="YYYY-MM or YYYY; null when ongoing or unknown")
    ongoing: bool
    months: int | None = Field(description="duration, computed from the dates or as stated")
    span: SpanOut
    job: ResolutionOut | None = Field(description="resolved appellation and fiche, ranked")
    competences: list[TaggedItemOut] = Field(description="found in this experience's text")

    @classmethod
    def of(cls, e: Experience, text: str) -> ExperienceOut:
        return cls(
            title=e.title,
            title_span=SpanOut(start=e.title_span.start, end=e.title_span.end, text=e.title),
            employer=e.employer,
            place=e.place,
            dates=e.period.text if e.period else None,
            start=e.start_date,
            end=e.end_date,
            ongoing=e.ongoing,
            months=e.months,
            span=SpanOut(start=e.span.start, end=e.span.end, text=text[e.span.start : e.span.end]),
            job=ResolutionOut.of(e.job) if e.job else None,
            competences=[TaggedItemOut.of(i) for i in e.competences],
        )


class ProfileItemOut(TaggedItemOut):
    sources: list[str] = Field(description="where it was found: experience[i], skills, summary…")


class LanguageOut(BaseModel):
    name: str
    level: str | None = Field(description="as written")
    span: SpanOut


class LicenceOut(BaseModel):
    category: str = Field(description="driving licence category: B, C, CE, D…")
    span: SpanOut


class TrainingOut(BaseModel):
    text: str = Field(description="as written")
    year: int | None
    span: SpanOut


class CVParseOut(BaseModel):
    format: str = Field(description="pdf, docx or text")
    pages: int | None
    text: str | None = Field(
        description="the text read from the document; every span points "
        "into it (omitted with include_text=false)"
    )
    sections: list[SectionOut]
    experiences: list[ExperienceOut]
    total_months: int | None = Field(description="sum of the experiences' durations")
    found: ItemsByKind[ProfileItemOut] = Field(
        description="competences evidenced in the CV, with spans"
    )
    suggested: ItemsByKind[TaggedItemOut] = Field(
        description="usual for the most recent job but not stated in the CV (no span)"
    )
    by_macro_competence: list[AggregateOut]
    by_enjeu: list[AggregateOut]
    languages: list[LanguageOut]
    driving_licences: list[LicenceOut]
    trainings: list[TrainingOut]

    @classmethod
    def of(cls, r: CVParse, include_text: bool) -> CVParseOut:
        def aggregates(items: tuple[Aggregate, ...]) -> list[AggregateOut]:
            return [
                AggregateOut(code=a.code, label=a.label, found=a.found, suggested=a.suggested)
                for a in items
            ]

        return cls(
            format=r.format.value,
            pages=r.pages,
            text=r.text if include_text else None,
            sections=[
                SectionOut(type=s.type.value, heading=s.heading, start=s.span.start, end=s.span.end)
                for s in r.sections
            ],
            experiences=[ExperienceOut.of(e, r.text) for e in r.experiences],
            total_months=r.total_months,
            found=ItemsByKind[ProfileItemOut].group(
                [
                    ProfileItemOut(**TaggedItemOut.of(p.item).model_dump(), sources=list(p.sources))
                    for p in r.found
                ]
            ),
            suggested=ItemsByKind.of(r.suggested),
            by_macro_competence=aggregates(r.by_macro),
            by_enjeu=aggregates(r.by_enjeu),
            languages=[
                LanguageOut(
                    name=lang.name,
                    level=lang.level,
                    span=SpanOut(start=lang.span.start, end=lang.span.end, text=lang.span.text),
                )
                for lang in r.languages
            ],
            driving_licences=[
                LicenceOut(category=c, span=SpanOut(start=s.start, end=s.end, text=s.text))
                for c, s in r.licences
            ],
            trainings=[
                TrainingOut(
                    text=t.text,
                    year=t.year,
                    span=SpanOut(start=t.span.start, end=t.span.end, text=t.span.text),
                )
                for t in r.trainings
            ],
        )
