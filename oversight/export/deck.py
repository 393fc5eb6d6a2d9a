"""The meeting deck: at most MEETING_SLIDES slides of what matters, and on request the pages after.

By default: the title; the key messages (3-5 findings, ranked across the pages by
oversight.findings); one slide per key finding whose title states it, over the chart that shows
it; what needs attention; the sources (data date, filters, the suppression rule) and the
definitions of the figures shown. With `appendix`, the full page slides follow: each page's KPIs,
what changed, every charted panel and every definition.

16:9 slides built with python-pptx. Bar, line, area, pie and scatter panels are native charts
(oversight.export.native_charts) the official can edit; heatmaps are the pages' figures rendered
to PNG by kaleido in the system Chromium (one browser for the whole deck). Without a working
Chromium those slides show the panel's table and say why, and the caller is told at once (the
notice callback). Hidden counts are left out and names shown as written; every text on a slide
is plain text.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from oversight.charts.describe import summary
from oversight.export import context as ctx
from oversight.export.figures import NoFigure, RendererUnavailable, image_renderer, room_figure
from oversight.export.native_charts import add_chart, is_native
from oversight.export.safe_text import plain_for_slides
from oversight import findings
from oversight.export.summary import change_sentence
from oversight.export.suppression import kpi_small, masked_panel, suppress_panel
from oversight.filters import Filters
from oversight.i18n import column_label, t
from oversight.queries import Runner
from oversight.views.localise import words
from oversight.views.model import Kpi, PageView, Panel

MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
FONT = "Malgun Gothic"  # PowerPoint's Korean UI font; LibreOffice falls back to Noto Sans CJK KR
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)
INK = RGBColor(0x1F, 0x2A, 0x36)
MUTED = RGBColor(0x5F, 0x6B, 0x7A)
ACCENT = RGBColor(0x0B, 0x3C, 0x5D)
CARD = RGBColor(0xF2, 0xF5, 0xF8)
UP_GOOD, DOWN_BAD = RGBColor(0x00, 0x7A, 0x4D), RGBColor(0xB0, 0x3A, 0x00)
WARNING = RGBColor(0x9C, 0x2B, 0x00)
IMAGE_PX = (1210, 500)  # the chart area at 100 px per inch; rendered at twice that
KPIS_PER_SLIDE = 6
SENTENCES_PER_SLIDE = 8
DEFINITION_CHARS_PER_SLIDE = 2400
TABLE_ROWS = 12
MEETING_SLIDES = 12
TITLE_CHARS = 40  # a 28-point title of more characters than this wraps (Korean is wider): 22 points
ATTENTION_ITEMS = 6
SHOWN_SHARE = 0.5
WORSE_NOTED = 2.0  # a change for the worse about its usual movement or more (2 ln 2 x 1.25 = 1.7) is noted


def build_deck(runner: Runner, filters: Filters, lang: str, sheets: Sequence[str] | None = None,
               threshold: int | None = None, progress: ctx.Progress | None = None,
               notice: Notice | None = None, appendix: bool = False) -> bytes:
    """The deck over every registered view (or the named ones) as .pptx bytes; `notice` hears,
    as soon as it is known, why charts could not be drawn as pictures."""
    step = _steps(progress)
    step(t("reports.deck.progress.views", lang), 0.0)
    context = ctx.report_context(runner, filters, lang, threshold=threshold)
    views = ctx.build_views(runner, filters, lang, sheets,
                            progress=(lambda name, f: step(name, 0.25 * f)) if progress else None)
    return deck_bytes(views, context, progress=lambda label, f: step(label, 0.25 + 0.75 * f), notice=notice,
                      appendix=appendix)


def deck_bytes(views: Sequence[PageView], context: ctx.ReportContext,
               progress: ctx.Progress | None = None, notice: Notice | None = None, appendix: bool = False) -> bytes:
    buffer = io.BytesIO()
    _Deck(views, context, _steps(progress), notice or (lambda text: None), appendix).build().save(buffer)
    return buffer.getvalue()


def meeting(views: Sequence[PageView], threshold: int | None = None) -> tuple[list, list, list]:
    """(key messages, their chart slides as (finding, view, panel), what needs attention): the
    findings ranked across the views, as the deck, presentation mode and the briefing show them."""
    ranked = findings.ranked_across(views, threshold)
    charted = {panel.key: (view, panel) for view, panel in ctx.charted_panels(views)}

    def shows(key: str) -> bool:
        """A chart whose values are mostly hidden as small counts cannot carry a key message."""
        if key not in charted:
            return True
        masked, _ = masked_panel(charted[key][1], threshold)
        values = masked.frame.get_column(masked.chart.y)
        return values.is_not_null().sum() >= SHOWN_SHARE * len(values)

    # the alert lists have their own slide, what needs attention
    messages = findings.key_messages([f for f in ranked if not f.attention], shows=shows)
    slides, seen = [], set()
    for finding in messages:
        if finding.panel in charted and finding.panel not in seen:
            seen.add(finding.panel)
            slides.append((finding, *charted[finding.panel]))
    attention = [f for f in ranked if (f.attention and f.score > 0) or (f.worse and f.score >= WORSE_NOTED)]
    return messages, slides, attention[:ATTENTION_ITEMS]


def _steps(progress: ctx.Progress | None) -> Callable[[str, float], None]:
    return progress if progress else (lambda label, fraction: None)


Notice = Callable[[str], None]


@dataclass(frozen=True)
class ChartSlide:
    view: PageView
    panel: Panel
    native: bool = False  # drawn as a native PowerPoint chart
    png: bytes | None = None  # a picture; neither native nor a picture: the slide shows the table
    why_table: str = ""  # why a table stands in for a picture the deck could not draw


class _Deck:
    def __init__(self, views: Sequence[PageView], context: ctx.ReportContext, progress, notice: Notice,
                 appendix: bool = False):
        self.views = list(views)
        self.appendix = appendix
        self.messages, self.key_slides, self.attention = meeting(self.views, context.threshold)
        self.context = context
        self.lang = context.lang
        self.progress = progress
        self.notice = notice
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT
        self.blank = self.prs.slide_layouts[6]

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    def build(self):
        key_panels = [(view, panel) for _, view, panel in self.key_slides]
        images = self.render_charts(key_panels + (ctx.charted_panels(self.views) if self.appendix else []))
        self.progress(self.t("reports.deck.progress.slides"), 0.95)
        self.title_slide()
        self.messages_slide()
        for (finding, _, _), item in zip(self.key_slides, images):
            self.item_slide(item, title=words(finding.title, self.lang), sentence=words(finding.sentence, self.lang))
        self.attention_slide()
        self.sources_slides(shown=key_panels)
        if self.appendix:
            self.divider_slide(self.t("reports.deck.appendix"))
            for view in self.views:
                for start in range(0, len(view.kpis), KPIS_PER_SLIDE):
                    self.kpi_slide(view, view.kpis[start:start + KPIS_PER_SLIDE])
            self.change_slides()
            for item in images[len(key_panels):]:
                self.item_slide(item)
            self.definition_slides(self.definition_entries(self.views))
        self.number_slides()
        self.progress(self.t("reports.deck.progress.done"), 1.0)
        return self.prs

    # charts -------------------------------------------------------------------------------

    def render_charts(self, panels: list[tuple[PageView, Panel]]) -> list[ChartSlide]:
        """One item a charted panel, in order; the pictures need Chromium, started once."""
        items: dict[int, ChartSlide] = {}
        figures = {}
        pictures: dict[str, int] = {}  # a panel drawn twice (a key finding's and the appendix's) renders once
        for index, (view, panel) in enumerate(panels):
            if is_native(panel):
                items[index] = ChartSlide(view, panel, native=True)
                continue
            if panel.key in pictures:
                continue
            try:
                figures[index] = room_figure(panel, self.lang, self.context.threshold)[0]
                pictures[panel.key] = index
            except NoFigure:  # drawn by its page's own builder: the table stands in
                items[index] = ChartSlide(view, panel)
        if figures:
            self.progress(self.t("reports.deck.progress.browser"), 0.0)
            try:
                with image_renderer() as render:
                    for done, (index, fig) in enumerate(figures.items()):
                        view, panel = panels[index]
                        self.progress(self.t("reports.deck.progress.chart", title=panel.title),
                                      0.05 + 0.9 * done / len(figures))
                        items[index] = ChartSlide(view, panel, png=render(fig, *IMAGE_PX, scale=2))
            except RendererUnavailable as exc:
                why = self.t("reports.deck.no_pictures", reason=str(exc))
                self.notice(why)
                for index in figures.keys() - items.keys():
                    items[index] = ChartSlide(*panels[index], why_table=why)
        return [items.get(index) or items[pictures[panels[index][1].key]] for index in range(len(panels))]

    # slides -------------------------------------------------------------------------------

    def new_slide(self, title: str, kicker: str = ""):
        slide = self.prs.slides.add_slide(self.blank)
        if kicker:
            self.text(slide, MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.35), kicker, 14, color=MUTED)
        # An action title states a finding and can be long: smaller, so that it stays on one line
        size = 28 if len(title) <= TITLE_CHARS else 22
        self.text(slide, MARGIN, Inches(0.6), WIDTH - 2 * MARGIN, Inches(0.7), title, size, bold=True, color=ACCENT)
        self.footer(slide)
        return slide

    def footer(self, slide) -> None:
        self.text(slide, MARGIN, Inches(7.0), Inches(9.5), Inches(0.3), ctx.data_line(self.context), 10, color=MUTED)

    def number_slides(self) -> None:
        total = len(self.prs.slides)
        for number, slide in enumerate(self.prs.slides, start=1):
            if number > 1:
                self.text(slide, WIDTH - MARGIN - Inches(1.5), Inches(7.0), Inches(1.5), Inches(0.3),
                          f"{number} / {total}", 10, color=MUTED, align=PP_ALIGN.RIGHT)

    def title_slide(self) -> None:
        c = self.context
        slide = self.prs.slides.add_slide(self.blank)
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, WIDTH, Inches(0.25))
        _fill(band, ACCENT)
        self.text(slide, MARGIN, Inches(1.9), WIDTH - 2 * MARGIN, Inches(1.0), self.t("app.title"), 40, bold=True, color=ACCENT)
        self.text(slide, MARGIN, Inches(2.9), WIDTH - 2 * MARGIN, Inches(0.6), self.t("reports.deck.subtitle"), 24, color=INK)
        lines = [
            f"{self.t('app.period')}: {ctx.period_text(c.filters, self.lang)}",
            ctx.data_line(c),
            f"{self.t('reports.about.generated')}: {c.generated_at:%Y-%m-%d %H:%M}",
        ]
        scoped = [f"{label}: {value}" for label, value in ctx.filter_lines(c.filters, self.lang)[2:] if value != self.t("app.all")]
        self.text(slide, MARGIN, Inches(3.8), WIDTH - 2 * MARGIN, Inches(1.6), "\n".join(lines + scoped), 16, color=MUTED)
        if c.is_demo:
            box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, Inches(6.0), WIDTH - 2 * MARGIN, Inches(0.8))
            _fill(box, RGBColor(0xFF, 0xF4, 0xE5))
            self.fill_text(box, t("app.demo_banner", self.lang, seed=c.info.get("seed"), scale=c.info.get("scale")),
                           13, color=WARNING)

    def kpi_slide(self, view: PageView, kpis: Sequence[Kpi]) -> None:
        slide = self.new_slide(self.t("reports.deck.kpis_title", page=view.title), kicker=view.title)
        previous = self.context.filters.previous()
        self.text(slide, MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, Inches(0.35),
                  self.t("reports.deck.compared", start=previous.date_from, end=previous.date_to), 13, color=MUTED)
        columns = 3
        gap = Inches(0.25)
        card_w = int((WIDTH - 2 * MARGIN - gap * (columns - 1)) / columns)
        card_h = Inches(2.45)
        for index, kpi in enumerate(kpis):
            left = MARGIN + (index % columns) * (card_w + gap)
            top = Inches(1.8) + (index // columns) * (card_h + gap)
            card = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, top, card_w, card_h)
            _fill(card, CARD)
            card.adjustments[0] = 0.06
            inner = Inches(0.25)
            self.text(slide, left + inner, top + Inches(0.15), card_w - 2 * inner, Inches(0.6), kpi.label, 15, color=INK)
            hide_now, hide_before = kpi_small(kpi, self.context.threshold)
            value = f"<{self.context.threshold}" if hide_now else ctx.format_kpi_value(kpi.value, kpi.unit, self.lang)
            self.text(slide, left + inner, top + Inches(0.75), card_w - 2 * inner, Inches(0.8), value, 36, bold=True, color=ACCENT)
            if hide_now or hide_before or kpi.change is None:
                change, colour = self.t("reports.deck.no_change"), MUTED
            else:
                change = self.t("reports.deck.change", change=ctx.format_kpi_change(kpi))
                better = (kpi.change > 0) == kpi.higher_is_better
                colour = MUTED if kpi.change == 0 else (UP_GOOD if better else DOWN_BAD)
            self.text(slide, left + inner, top + Inches(1.5), card_w - 2 * inner, Inches(0.4), change, 14, color=colour)
            if kpi.detail:
                self.text(slide, left + inner, top + Inches(1.9), card_w - 2 * inner, Inches(0.4), kpi.detail, 11, color=MUTED)

    def change_slides(self) -> None:
        lines: list[tuple[str, bool]] = []  # (text, is a heading)
        for view in self.views:
            if not view.kpis:
                continue
            if len([v for v in self.views if v.kpis]) > 1:
                lines.append((view.title, True))
            lines += [(change_sentence(k, self.lang, self.context.threshold), False) for k in view.kpis]
        if not lines:
            return
        previous = self.context.filters.previous()
        pages: list[list[tuple[str, bool]]] = [[]]
        for line in lines:
            if sum(1 for _, heading in pages[-1] if not heading) >= SENTENCES_PER_SLIDE and not line[1]:
                pages.append([])
            pages[-1].append(line)
        for number, page in enumerate(pages):
            title = self.t("reports.deck.changes_title") + (f" ({number + 1}/{len(pages)})" if len(pages) > 1 else "")
            slide = self.new_slide(title)
            self.text(slide, MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, Inches(0.35),
                      self.t("reports.deck.compared", start=previous.date_from, end=previous.date_to), 13, color=MUTED)
            box = slide.shapes.add_textbox(MARGIN, Inches(1.85), WIDTH - 2 * MARGIN, Inches(5.0))
            frame = box.text_frame
            frame.word_wrap = True
            for index, (text, heading) in enumerate(page):
                paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
                paragraph.space_after = Pt(6 if heading else 10)
                run = paragraph.add_run()
                run.text = plain_for_slides(text if heading else f"• {text}")
                self.font(run, 15 if heading else 19, bold=heading, color=ACCENT if heading else INK)

    def item_slide(self, item: ChartSlide, title: str | None = None, sentence: str = "") -> None:
        """A panel's slide: its chart, or its table when no picture could be drawn. A key
        finding's slide is titled with the finding and says it in full under the chart."""
        if item.native or item.png is not None:
            self.chart_slide(item, title, sentence)
        else:
            self.table_slide(item.view, item.panel, item.why_table, title)

    def messages_slide(self) -> None:
        if not self.messages:
            return
        slide = self.new_slide(self.t("reports.deck.messages_title"))
        previous = self.context.filters.previous()
        self.text(slide, MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, Inches(0.35),
                  self.t("reports.deck.compared", start=previous.date_from, end=previous.date_to), 13, color=MUTED)
        self.bullets(slide, Inches(1.85), [words(f.title, self.lang) for f in self.messages], 20)

    def attention_slide(self) -> None:
        slide = self.new_slide(self.t("reports.deck.attention_title"))
        lines = [words(f.sentence, self.lang) for f in self.attention] or [self.t("reports.deck.attention_none")]
        self.bullets(slide, Inches(1.4), lines, 16)

    def divider_slide(self, title: str) -> None:
        slide = self.prs.slides.add_slide(self.blank)
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, WIDTH, Inches(0.25))
        _fill(band, ACCENT)
        self.text(slide, MARGIN, Inches(3.0), WIDTH - 2 * MARGIN, Inches(1.0), title, 36, bold=True, color=ACCENT)
        self.footer(slide)

    def bullets(self, slide, top, lines: Sequence[str], size: int) -> None:
        box = slide.shapes.add_textbox(MARGIN, top, WIDTH - 2 * MARGIN, Inches(6.9) - top)
        frame = box.text_frame
        frame.word_wrap = True
        for index, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.space_after = Pt(size // 2)
            self.font(_run(paragraph, f"• {line}"), size, color=INK)

    def chart_slide(self, item: ChartSlide, title: str | None = None, sentence: str = "") -> None:
        panel = item.panel
        slide = self.new_slide(title or panel.title, kicker=item.view.title if title is None else
                               f"{item.view.title} · {panel.title}")
        width = WIDTH - 2 * MARGIN
        height = int(width * IMAGE_PX[1] / IMAGE_PX[0]) - (Inches(1.0) if sentence else 0)  # room for the sentence
        top = Inches(1.45)
        masked, _ = masked_panel(panel, self.context.threshold)
        if item.native:
            shape = add_chart(slide, masked, self.lang, MARGIN, top, width, height)
        else:
            shape = slide.shapes.add_picture(io.BytesIO(item.png), MARGIN, top, width, height)
        # What a screen reader says for the chart: its sentence, of the suppressed figures.
        shape._element.xpath("./*[1]/p:cNvPr")[0].set(
            "descr", plain_for_slides(summary(masked, self.lang) or panel.title))
        self.caption(slide, panel, top + height + Inches(0.1), lead=sentence)

    def table_slide(self, view: PageView, panel: Panel, why_table: str = "", title: str | None = None) -> None:
        slide = self.new_slide(title or panel.title, kicker=view.title)
        suppression = suppress_panel(panel, self.context.threshold)
        frame = ctx.display_table(panel, suppression, rows=TABLE_ROWS)
        rows, cols = frame.height + 1, min(frame.width, 8)
        shape = slide.shapes.add_table(rows, cols, MARGIN, Inches(1.4), WIDTH - 2 * MARGIN, Inches(0.4) * rows)
        table = shape.table
        for c, name in enumerate(frame.columns[:cols]):
            self.cell(table.cell(0, c), column_label(name, self.lang), bold=True)
            for r, value in enumerate(frame.get_column(name).to_list(), start=1):
                self.cell(table.cell(r, c), value)
        if panel.frame.height > TABLE_ROWS:
            self.text(slide, MARGIN, Inches(6.3), WIDTH - 2 * MARGIN, Inches(0.3),
                      self.t("reports.deck.first_rows", shown=TABLE_ROWS, total=panel.frame.height), 11, color=MUTED)
        self.caption(slide, panel, Inches(6.55), note=why_table)

    def caption(self, slide, panel: Panel, top, note: str = "", lead: str = "") -> None:
        suppression = suppress_panel(panel, self.context.threshold)
        text = (f"{note}  " if note else "") + f"{self.t('app.definition')}: {panel.definition}"
        if suppression:
            text += "  " + self.t("reports.deck.suppressed", n=self.context.threshold)
        text = "\n".join((text, *self.context.notes.get(panel.key, ())))  # notes on the chart (issue 21)
        if lead:
            self.text(slide, MARGIN, top, WIDTH - 2 * MARGIN, Inches(0.55), lead, 13, color=INK)  # two lines at most
            top += Inches(0.6)
        self.text(slide, MARGIN, top, WIDTH - 2 * MARGIN, Inches(6.95) - top, text, 11, color=MUTED)
        if lead:
            text = f"{lead}\n{text}"
        notes = slide.notes_slide.notes_text_frame
        notes.text = plain_for_slides(text)

    def sources_slides(self, shown: Sequence[tuple[PageView, Panel]]) -> None:
        """Data date, batches, filters and the suppression rule; the definitions of what was shown."""
        c = self.context
        slide = self.new_slide(self.t("reports.deck.sources_title"))
        lines = [
            (self.t("reports.about.data_date"), str(c.data_date or "–")),
            (self.t("reports.about.kind"), t(f"about.kind.{c.info.get('kind', 'submitted')}", self.lang)
             if c.info.get("kind") in ("demo", "submitted") else str(c.info.get("kind"))),
            (self.t("reports.about.sources"), ", ".join(b.batch_id for b in c.batches[:5])
             + (self.t("reports.deck.more_batches", n=len(c.batches) - 5) if len(c.batches) > 5 else "") or "–"),
            (self.t("reports.about.generated"), f"{c.generated_at:%Y-%m-%d %H:%M}"),
            *ctx.filter_lines(c.filters, self.lang),
        ]
        box = slide.shapes.add_textbox(MARGIN, Inches(1.4), Inches(6.6), Inches(5.4))
        frame = box.text_frame
        frame.word_wrap = True
        for index, (label, value) in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.space_after = Pt(4)
            self.font(_run(paragraph, f"{label}  "), 13, bold=True, color=INK)
            self.font(_run(paragraph, value), 13, color=INK)
        self.text(slide, Inches(7.5), Inches(1.4), Inches(5.2), Inches(0.4), self.t("reports.about.suppression"), 15, bold=True, color=ACCENT)
        self.text(slide, Inches(7.5), Inches(1.85), Inches(5.2), Inches(4.9), ctx.suppression_rule(c), 12, color=INK)

        kpis = {f.kpi for f in self.messages if f.kpi}
        entries = list(dict.fromkeys(
            [(k.label, k.definition) for v in self.views for k in v.kpis if k.key in kpis]
            + [(panel.title, panel.definition) for _, panel in shown]))
        self.definition_slides(entries + [(t("defname.change", self.lang), t("def.change", self.lang))])

    def definition_entries(self, views: Sequence[PageView]) -> list[tuple[str, str]]:
        entries = [(figure, definition) for _, figure, definition in ctx.definitions(views)]
        return entries + [(t("defname.change", self.lang), t("def.change", self.lang))]

    def definition_slides(self, entries: list[tuple[str, str]]) -> None:
        pages: list[list[tuple[str, str]]] = [[]]
        used = 0
        for figure, definition in entries:
            size = len(figure) + len(definition)
            if pages[-1] and used + size > DEFINITION_CHARS_PER_SLIDE:
                pages.append([])
                used = 0
            pages[-1].append((figure, definition))
            used += size
        for number, page in enumerate(pages):
            title = self.t("reports.about.definitions") + (f" ({number + 1}/{len(pages)})" if len(pages) > 1 else "")
            slide = self.new_slide(title)
            box = slide.shapes.add_textbox(MARGIN, Inches(1.4), WIDTH - 2 * MARGIN, Inches(5.5))
            frame = box.text_frame
            frame.word_wrap = True
            for index, (figure, definition) in enumerate(page):
                paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
                paragraph.space_after = Pt(5)
                self.font(_run(paragraph, f"{figure}: "), 12, bold=True, color=INK)
                self.font(_run(paragraph, definition), 12, color=INK)

    # text helpers -------------------------------------------------------------------------

    def text(self, slide, left, top, width, height, text: str, size: int, bold: bool = False,
             color: RGBColor = INK, align=None):
        box = slide.shapes.add_textbox(Emu(int(left)), Emu(int(top)), Emu(int(width)), Emu(int(height)))
        frame = box.text_frame
        frame.word_wrap = True
        for index, line in enumerate(plain_for_slides(text).split("\n")):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            if align is not None:
                paragraph.alignment = align
            self.font(_run(paragraph, line), size, bold=bold, color=color)
        return box

    def fill_text(self, shape, text: str, size: int, color: RGBColor) -> None:
        frame = shape.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        self.font(_run(frame.paragraphs[0], text), size, color=color)

    def cell(self, cell, text: str, bold: bool = False) -> None:
        frame = cell.text_frame
        frame.paragraphs[0].text = ""
        self.font(_run(frame.paragraphs[0], text), 11, bold=bold, color=RGBColor(0xFF, 0xFF, 0xFF) if bold else INK)
        if bold:
            cell.fill.solid()
            cell.fill.fore_color.rgb = ACCENT

    def font(self, run, size: int, bold: bool = False, color: RGBColor = INK) -> None:
        font = run.font
        font.size = Pt(size)
        font.bold = bold
        font.color.rgb = color
        font.name = FONT
        r_pr = run._r.get_or_add_rPr()
        r_pr.set("lang", "ko-KR" if self.lang == "ko" else "en-GB")
        latin = r_pr.find(qn("a:latin"))
        for tag in ("a:cs", "a:ea"):  # East Asian text takes the ea font: Hangul in Malgun Gothic
            element = r_pr.find(qn(tag))
            if element is None:
                element = etree.SubElement(r_pr, qn(tag))
                latin.addnext(element)
            element.set("typeface", FONT)


def _run(paragraph, text: str):
    run = paragraph.add_run()
    run.text = plain_for_slides(text)
    return run


def _fill(shape, colour: RGBColor) -> None:
    shape.fill.solid()
    shape.fill.fore_color.rgb = colour
    shape.line.fill.background()
    shape.shadow.inherit = False

