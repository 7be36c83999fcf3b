"""HTML for the web UI, as small pure functions: an Answer's figures, its sources, refusals,
table snippets, the documents list and the consistency report.

Everything that comes from a document, a question or a file name is passed through
``html.escape`` before it goes into the HTML built here; only the markup written in this
module is trusted. ``app.py`` wires these into Gradio components.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from html import escape
from pathlib import Path
from urllib.parse import quote

from qa.answer.model import Answer, Citation, Figure, printed_title
from qa.consistency import finding_text

STATUS_CLASS = {"已核实": "ok", "计算": "calc", "未核实": "unverified", "文表不一致": "conflict"}
STATUS_HINT = {
    "已核实": "与所引表格或正文一致 / matches the cited table or text",
    "计算": "由所引数字计算得出 / computed from the cited figures",
    "未核实": "未在所引文档中找到 / not found in the cited documents",
    "文表不一致": "文字与表格不一致 / text and tables disagree",
}
PENDING_HTML = '<div class="qa-panel qa-pending">检索中… / searching…</div>'
EMPTY_PANEL_HTML = ('<div class="qa-panel qa-empty">提问后，这里显示答案中每个数字的核验结果和出处。<br>'
                    'Ask a question: each figure of the answer, its check and its source appear here.</div>')

# Passed to launch(css=...). Badges: 已核实 green, 计算 blue, 未核实 grey-orange, 文表不一致 red.
UI_CSS = """
.qa-panel { font-size: 14px; line-height: 1.55; }
.qa-panel h4 { margin: 10px 0 6px; font-size: 14px; font-weight: 600; }
.qa-empty, .qa-pending { color: #57606a; padding: 8px 2px; }
.qa-badge { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 12px; font-weight: 600;
            line-height: 20px; white-space: nowrap; border: 1px solid transparent; }
.qa-badge.ok { background: #dafbe1; color: #116329; border-color: #8fd19e; }
.qa-badge.calc { background: #ddf4ff; color: #0550ae; border-color: #80ccff; }
.qa-badge.unverified { background: #fff1e5; color: #8a5a00; border-color: #e4b77a; }
.qa-badge.conflict { background: #ffebe9; color: #a40e26; border-color: #ff8182; }
.qa-figures { list-style: none; padding: 0; margin: 0; }
.qa-figures li { padding: 4px 0; border-bottom: 1px dashed #d0d7de; }
.qa-figure-text { font-weight: 600; margin: 0 4px; }
.qa-formula { display: block; color: #0550ae; font-size: 12px; margin-left: 4px; }
.qa-why { display: block; color: #8c6d1f; font-size: 12px; margin-left: 4px; }
.qa-plan { margin-top: 8px; font-size: 12px; color: #57606a; } .qa-plan ul { margin: 4px 0 0 16px; padding: 0; }
.qa-cite { text-decoration: none; font-size: 12px; margin-left: 2px; }
.qa-source { border: 1px solid #d0d7de; border-radius: 6px; padding: 6px 8px; margin: 6px 0; }
.qa-source summary { cursor: pointer; }
.qa-source-n { font-weight: 700; margin-right: 4px; }
.qa-quote { margin: 6px 0 2px; padding: 4px 8px; border-left: 3px solid #8c959f; background: #f6f8fa;
            white-space: pre-wrap; }
.qa-quote mark, .qa-snippet td.cited { background: #fff8c5; }
.qa-snippet { border-collapse: collapse; font-size: 12px; margin-top: 6px; width: 100%; }
.qa-snippet th, .qa-snippet td { border: 1px solid #d0d7de; padding: 2px 5px; }
.qa-snippet th { background: #f6f8fa; font-weight: 600; white-space: nowrap; }
.qa-snippet td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.qa-snippet td.cited { outline: 2px solid #d4a72c; font-weight: 700; }
.qa-snippet tr.cited-row td { background: #fffbe6; }
.qa-snippet-caption { color: #57606a; font-size: 12px; }
.qa-refusal { border: 1px solid #d4a72c; background: #fff8c5; border-radius: 6px; padding: 8px 10px; }
.qa-refusal-title { font-weight: 700; color: #7d4e00; }
.qa-refusal-text { margin-top: 4px; color: #3b2300; }
.qa-refusal-reason { margin-top: 4px; color: #57606a; font-size: 13px; }
.qa-error { border: 1px solid #ff8182; background: #ffebe9; border-radius: 6px; padding: 8px 10px; color: #82071e; }
.qa-discrepancy { border: 1px solid #ff8182; border-radius: 6px; padding: 6px 8px; margin: 6px 0; }
.qa-meta { color: #57606a; font-size: 12px; margin-top: 8px; }
.qa-table { border-collapse: collapse; width: 100%; font-size: 13px; }
.qa-table th, .qa-table td { border: 1px solid #d0d7de; padding: 3px 6px; text-align: left; vertical-align: top; }
.qa-table th { background: #f6f8fa; }
.qa-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
.qa-count-failed { color: #a40e26; font-weight: 700; }
.qa-count-rounding { color: #8a5a00; }
.qa-count-passed { color: #116329; }
.qa-check { border-left: 3px solid #ff8182; padding: 4px 8px; margin: 6px 0; background: #fff; }
.qa-check.rounding { border-left-color: #e4b77a; }
.qa-upload { list-style: none; padding: 0; margin: 4px 0; }
.qa-upload li { margin: 4px 0; padding: 6px 8px; border-radius: 6px; border: 1px solid #d0d7de; }
.qa-upload li.bad { background: #ffebe9; border-color: #ff8182; }
.qa-upload li.ok { background: #dafbe1; border-color: #8fd19e; }
.qa-upload li.warn { background: #fff8c5; border-color: #d4a72c; }
.qa-upload-kind { font-weight: 700; margin-right: 6px; }
.qa-upload .ok { color: #116329; }
.qa-upload .skip { color: #57606a; }
.qa-upload .bad { color: #a40e26; }
.qa-page { margin: 8px 0 2px; }
.qa-page-frame { position: relative; display: block; border: 1px solid #d0d7de; line-height: 0; padding: 0 !important;
                  margin: 0; }
.qa-page-frame img { width: 100%; height: auto; display: block; margin: 0; padding: 0; border: 0;
                     max-width: none; box-shadow: none; border-radius: 0; }
.qa-mark { position: absolute; pointer-events: none; box-sizing: border-box; }
.qa-mark.cell, .qa-mark.sentence { border: 2px solid #cf222e; background: rgba(255, 216, 0, 0.28); }
.qa-mark.row, .qa-mark.column { background: rgba(84, 174, 255, 0.14); }
.qa-mark.table { border: 2px dashed #0969da; }
.qa-table-view { display: flex; gap: 12px; align-items: flex-start; }
.qa-table-view > div { flex: 1 1 50%; min-width: 0; overflow-x: auto; }
.qa-page figcaption { font-size: 12px; color: #57606a; line-height: 1.4; margin-top: 2px; }
.qa-chart { margin: 6px 0 8px; }
.qa-chart svg { width: 100%; height: auto; }
.qa-chart text { font-size: 12px; fill: #24292f; }
.qa-chart rect.bar { fill: #54aeff; }
.qa-chart rect.bar.first { fill: #0969da; }
"""


# ---------------------------------------------------------------- badges and figures

def badge_html(status: str, formula: str | None = None) -> str:
    """Given a figure status (and a 计算 figure's formula), return its coloured badge."""
    css = STATUS_CLASS.get(status, "unverified")
    title = STATUS_HINT.get(status, "")
    if formula:
        title += f"：{formula}"
    return f'<span class="qa-badge {css}" title="{escape(title)}">{escape(status)}</span>'


def citation_links_html(numbers: Iterable[int]) -> str:
    """Given citation numbers, return links [n] to their entries in the sources panel."""
    return "".join(f'<a class="qa-cite" href="#qa-src-{int(n)}">[{int(n)}]</a>' for n in numbers)


def figure_html(figure: Figure) -> str:
    """Given one figure, return its list item: badge, figure as shown, source links, formula."""
    formula = (f'<span class="qa-formula">计算：{escape(figure.formula)}</span>'
               if figure.formula else "")
    why = f'<span class="qa-why">{escape(figure.why)}</span>' if figure.why else ""
    return (f'<li class="qa-figure">{badge_html(figure.status, figure.formula)}'
            f'<span class="qa-figure-text">{escape(figure.text)}</span>'
            f'{citation_links_html(figure.citations)}{formula}{why}</li>')


def figures_html(answer: Answer) -> str:
    """Given an Answer, return the HTML of its figures, each with its badge and source links."""
    if not answer.figures:
        return ""
    shown, seen = [], set()
    for figure in answer.figures:  # a figure repeated (e.g. in the answer and in its formula) is listed once
        key = (figure.value, figure.status, tuple(figure.citations))
        if key not in seen:
            seen.add(key)
            shown.append(figure)
    items = "".join(figure_html(f) for f in shown)
    return f'<h4>数字核验 / figures</h4><ul class="qa-figures">{items}</ul>'


def discrepancies_html(answer: Answer) -> str:
    """Given an Answer, return its 文表不一致 boxes: the subject and each disagreeing figure."""
    boxes = []
    for discrepancy in answer.discrepancies:
        items = "".join(figure_html(f.model_copy(update={"status": "文表不一致"})) for f in discrepancy.figures)
        boxes.append(f'<div class="qa-discrepancy">{badge_html("文表不一致")} '
                     f'<b>{escape(discrepancy.subject)}</b><ul class="qa-figures">{items}</ul></div>')
    if not boxes:
        return ""
    return "<h4>文表不一致 / discrepancies</h4>" + "".join(boxes)


# ---------------------------------------------------------------- sources

def highlight(text: str, needles: Iterable[str]) -> str:
    """Given raw text and raw substrings, return the escaped text with each substring in <mark>."""
    needles = sorted({n for n in needles if n}, key=len, reverse=True)
    if not needles:
        return escape(text)
    pattern = re.compile("|".join(re.escape(n) for n in needles))
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last:match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def figure_numbers(answer: Answer, n: int) -> list[str]:
    """Given an Answer and a citation number, return the digits of the figures that cite it."""
    numbers = []
    for figure in answer.figures:
        if n in figure.citations:
            numbers += re.findall(r"\d[\d,]*(?:\.\d+)?", figure.text)
    return numbers


def format_value(value: Decimal | None) -> str:
    """Given a cell value, return it with thousands separators, as printed precision allows."""
    if value is None:
        return ""
    return f"{value:,}"


def citation_html(citation: Citation, snippet: str = "", marks: Iterable[str] = ()) -> str:
    """Given a citation (and the HTML of its table snippet, already built), return its sources entry."""
    quote = (f'<div class="qa-quote">{highlight(citation.quote, marks)}</div>' if citation.quote else "")
    return (f'<details class="qa-source" id="qa-src-{int(citation.n)}" open>'
            f'<summary><span class="qa-source-n">[{int(citation.n)}]</span>{escape(citation_place(citation))}</summary>'
            f"{quote}{snippet}</details>")


def sources_html(answer: Answer, snippets: dict[int, str] | None = None) -> str:
    """Given an Answer and table snippets by citation number, return its sources panel."""
    if not answer.citations:
        return ""
    snippets = snippets or {}
    entries = "".join(citation_html(c, snippets.get(c.n, ""), figure_numbers(answer, c.n)) for c in answer.citations)
    return f'<h4>来源 / sources</h4><div class="qa-sources">{entries}</div>'


def table_snippet_html(cited, facts: list, around: int = 2, max_columns: int = 5) -> str:
    """Given the cited cell fact and the facts of its table, return a small table of the rows printed
    around the cited row (same table and side, in document order), the cited cell marked.
    """
    rows, columns = table_layout([f for f in facts if f.table_side == cited.table_side], cited)
    keys = list(rows)
    at = keys.index(row_key(cited))
    col_at = columns.index(cited.column_path)
    start = max(0, min(col_at - max_columns // 2, len(columns) - max_columns))
    grid = grid_html(rows, keys[max(0, at - around): at + around + 1], columns[start:start + max_columns], cited)
    unit = f"（单位：{escape(cited.unit)}）" if cited.unit else ""
    side = f"（{escape(cited.table_side)}）" if cited.table_side else ""
    caption = (f'<div class="qa-snippet-caption">{escape(printed_title(cited.table_label, cited.table_name or ""))}{side}'
               f' · 第{escape(str(cited.page))}页{unit}</div>')
    return f"{caption}{grid}"


def whole_table_html(facts: list) -> str:
    """Given the cells of one table, return the table as read: every row and column, in document order."""
    cells = [f for f in facts if f.kind == "cell"]
    if not cells:
        return '<div class="qa-empty">此表没有数字 / this table has no figures.</div>'
    rows, columns = table_layout(cells)
    pages = sorted({f.page for f in cells})
    unit = f"（单位：{escape(cells[0].unit)}）" if cells[0].unit else ""
    caption = (f'<div class="qa-snippet-caption">{escape(printed_title(cells[0].table_label, cells[0].table_name or ""))} · 第{pages[0]}'
               f'{"–" + str(pages[-1]) if len(pages) > 1 else ""}页{unit}</div>')
    return caption + grid_html(rows, list(rows), columns)


def table_layout(facts: list, cited=None) -> tuple[dict[tuple, dict], list[tuple]]:
    """Given cells of one table (and a cited one), return its rows (row key → column path → cell) and columns,
    in the order printed."""
    rows: dict[tuple, dict] = {}
    columns: list[tuple] = []
    for fact in [f for f in facts if f.kind == "cell" and (cited is None or f.table_name == cited.table_name)]:
        rows.setdefault(row_key(fact), {})[fact.column_path] = fact
        if fact.column_path not in columns:
            columns.append(fact.column_path)
    if cited is not None:
        rows.setdefault(row_key(cited), {})[cited.column_path] = cited
        if cited.column_path not in columns:
            columns.append(cited.column_path)
    return rows, columns


def grid_html(rows: dict[tuple, dict], keys: list[tuple], columns: list[tuple], cited=None) -> str:
    """Given a table's rows and columns and which of them to show, return the grid, a cited cell marked."""
    has_code = any(key[1] for key in keys)
    head = ("<th>科目编码</th>" if has_code else "") + "<th>项目</th>" + "".join(
        f'<th title="{escape(" / ".join(c))}">{escape(" / ".join(c[-2:]) or "金额")}</th>' for c in columns)
    cited_key = row_key(cited) if cited is not None else None
    body = []
    for key in keys:
        _, code, name, _ = key
        row_class = ' class="cited-row"' if key == cited_key else ""
        cells = (f"<td>{escape(code or '')}</td>" if has_code else "") + f"<td>{escape(name or '')}</td>"
        for column in columns:
            fact = rows[key].get(column)
            mark = key == cited_key and column == cited.column_path
            cells += (f'<td class="num{" cited" if mark else ""}">'
                      f'{escape(fact.printed if fact and fact.printed else format_value(fact.value if fact else None))}</td>')
        body.append(f"<tr{row_class}>{cells}</tr>")
    return f'<table class="qa-snippet"><tr>{head}</tr>{"".join(body)}</table>'


def row_key(fact) -> tuple:
    return (fact.budget_unit, fact.row_code, fact.row_name, fact.row_path)


def citation_snippets(answer: Answer, store) -> dict[int, str]:
    """Given an Answer and a fact store (anything with .fact(id) and .facts(**where)), return the
    table snippet HTML of each citation that points at a table cell.
    """
    snippets = {}
    for citation in answer.citations:
        if not citation.fact_id or not (citation.table_name or citation.table_kind):
            continue
        cited = store.fact(citation.fact_id)
        if cited is None or cited.kind != "cell":
            continue
        facts = store.facts(doc_id=cited.doc_id, table_name=cited.table_name)
        snippets[citation.n] = table_snippet_html(cited, facts)
    return snippets


def citation_place(citation: Citation) -> str:
    """Given a citation, return its place as Citation.label() does, a part equal to the one before dropped."""
    parts = citation.label().split(" / ")
    return " / ".join(p for i, p in enumerate(parts) if i == 0 or p != parts[i - 1])


# ---------------------------------------------------------------- whole answers

def refusal_reason(answer: Answer) -> str | None:
    """Given a refused Answer, return what its reason adds to its text (None when nothing)."""
    reason, text = (answer.reason or "").strip(), (answer.text or "").strip()
    if not reason or reason == text:
        return None
    if text and reason.startswith(text):
        rest = reason[len(text):].strip().lstrip("/").strip()
        return rest or None
    return reason


def refusal_html(answer: Answer) -> str:
    """Given a refused Answer, return a box that reads as a refusal: its text and the reason."""
    reason = refusal_reason(answer)
    reason_html = f'<div class="qa-refusal-reason">原因 / reason：{escape(reason)}</div>' if reason else ""
    return (f'<div class="qa-refusal"><div class="qa-refusal-title">⚠ 无法回答 / not answered</div>'
            f'<div class="qa-refusal-text">{escape(answer.text or "")}</div>{reason_html}</div>')


def error_html(message: str) -> str:
    """Given an error message, return it in a red box."""
    return f'<div class="qa-error">{escape(message)}</div>'


def meta_html(answer: Answer) -> str:
    total = answer.timing_ms.get("total")
    timing = f" · {total:.0f} ms" if total is not None else ""
    return f'<div class="qa-meta">引擎 engine：{escape(answer.engine)}{escape(timing)}</div>'


def page_view_html(view) -> str:
    """Given a citation's page view (qa.page_view.PageView), return the page image with the cited cell or
    sentence boxed and the cell's row and column lightly shaded; a click opens the page at full size."""
    source = f"/gradio_api/file={quote(str(view.image.path.resolve()))}"
    marks = "".join(
        f'<div class="qa-mark {m.kind}" data-n="{m.n}" data-kind="{m.kind}" style="left:{m.left:.4%};'
        f'top:{m.top:.4%};width:{m.width:.4%};height:{m.height:.4%}"></div>' for m in view.marks)
    return (f'<figure class="qa-page" data-doc="{escape(view.doc_id)}" data-page="{view.page}">'
            f'<a class="qa-page-frame" href="{source}" target="_blank" rel="noopener" title="点击放大 / open full size">'
            f'<img src="{source}" alt="{escape(view.doc_id)} 第{view.page}页" loading="lazy">{marks}</a>'
            f'<figcaption>{escape(view.doc_id)} · 第{view.page}页（点击放大）</figcaption></figure>')


def table_view_html(cells: list, view=None) -> str:
    """Given one table's cells and its first page's view, return the grid as read beside the page it was read
    from, so a reader can check one against the other."""
    page = page_view_html(view) if view is not None else ""
    return f'<div class="qa-table-view"><div>{whole_table_html(cells)}</div><div>{page}</div></div>'


def chart_html(answer: Answer) -> str:
    """Given an Answer comparing figures, return a bar chart of them in one unit, each bar labelled with its
    document and linked to its source entry; empty when it compares fewer than two."""
    bars = answer.compared
    if len(bars) < 2 or len({b.unit for b in bars}) > 1:
        return ""
    top = max((abs(b.value) for b in bars), default=0) or 1
    height, label_width, width = 26, 200, 520
    rows = []
    for i, bar in enumerate(bars):
        length = float(abs(bar.value) / top) * (width - label_width - 110)
        y = i * height
        link = f"#qa-src-{bar.citations[0]}" if bar.citations else "#"
        rows.append(
            f'<a href="{link}" class="qa-bar" data-value="{escape(str(bar.value))}">'
            f'<text x="0" y="{y + 17}">{escape(bar.label if len(bar.label) <= 16 else bar.label[:15] + "…")}</text>'
            f'<rect class="bar{" first" if i == 0 else ""}" x="{label_width}" y="{y + 5}" width="{length:.1f}" height="16"></rect>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 17}">{escape(format_value(bar.value))}{escape(bar.unit or "")}'
            f'{"".join(f"[{n}]" for n in bar.citations)}</text></a>')
    return (f'<h4>对比 / comparison</h4><div class="qa-chart"><svg viewBox="0 0 {width} {height * len(bars)}" '
            f'role="img" aria-label="对比图">{"".join(rows)}</svg></div>')


def answer_panel_html(answer: Answer, snippets: dict[int, str] | None = None) -> str:
    """Given an Answer and the extra HTML of its sources (table snippets, page views), return the panel beside
    the chat: a refusal, or its figures, comparison chart, discrepancies and sources.
    """
    if answer.refused:
        body = refusal_html(answer) + sources_html(answer, snippets)
    else:
        body = figures_html(answer) + chart_html(answer) + discrepancies_html(answer) + sources_html(answer, snippets)
        if not body:
            body = '<div class="qa-empty">此答案没有数字或来源。/ This answer has no figures or sources.</div>'
    return f'<div class="qa-panel">{body}{plan_html(answer)}{meta_html(answer)}</div>'


def plan_html(answer: Answer) -> str:
    """Given an Answer, return how its question was read, folded: so a user sees why a figure was chosen."""
    lines = (answer.plan or {}).get("lines") or []
    if not lines:
        return ""
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return f'<details class="qa-plan"><summary>问题如何理解 how the question was read</summary><ul>{items}</ul></details>'


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|~$])")


def chat_text(answer: Answer) -> str:
    """Given an Answer, return the chat message: its text escaped for HTML and Markdown, a refusal
    marked as such.
    """
    text = markdown_safe(answer.text)
    if answer.refused:
        extra = refusal_reason(answer)
        reason = f"\n\n原因 / reason：{markdown_safe(extra)}" if extra else ""
        return f"⚠ **无法回答 / not answered**\n\n{text}{reason}"
    return text


def markdown_safe(text: str | None) -> str:
    """Given raw text, return it so that the chat's Markdown shows it as it is: HTML escaped, Markdown
    punctuation backslash-escaped.
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", escape(text or "", quote=False))


# ---------------------------------------------------------------- documents, checks, uploads

def documents_html(records: list, inventories: dict | None = None) -> str:
    """Given DocumentRecords (and each one's Inventory by doc id), return the table of indexed documents with what
    was read from each: region, department, year and kind, then its tables (kind, title as printed, pages,
    unit, rows, figures) and what could not be read."""
    if not records:
        return '<div class="qa-empty">索引为空 / the index is empty.</div>'
    head = "".join(f"<th>{h}</th>" for h in ("文档 document", "地区 region", "部门 department", "年度 year",
                                              "类别 kind", "页数 pages", "文件 file", "索引时间 indexed"))
    rows = "".join(
        f"<tr><td>{escape(r.doc_id)}</td><td>{escape(r.region or '')}</td><td>{escape(r.department or '')}</td>"
        f"<td>{escape(str(r.year or ''))}</td><td>{escape(r.disclosure or '')}</td>"
        f'<td class="num">{int(r.pages)}</td><td>{escape(r.kind or "")}</td><td>{escape(r.indexed_at or "")}</td></tr>'
        for r in records)
    details = "".join(inventory_html(r.doc_id, inventories[r.doc_id]) for r in records if inventories and r.doc_id in inventories)
    return (f"<h4>已索引文档 / indexed documents（{len(records)}）</h4>"
            f'<table class="qa-table qa-documents"><tr>{head}</tr>{rows}</table>{details}')


def inventory_html(doc_id: str, inventory, open_: bool = False) -> str:
    """Given a document's Inventory, return its tables and unread parts as a folded list (unfolded if open_)."""
    head = "".join(f"<th>{h}</th>" for h in ("类别 kind", "表题 title", "页 pages", "单位 unit", "行 rows", "数字 figures"))
    rows = "".join(
        f"<tr><td>{escape(t.kind or '其他')}</td><td>{escape(t.title)}</td>"
        f"<td>{escape('–'.join(map(str, (t.pages[0], t.pages[-1]))) if len(t.pages) > 1 else ''.join(map(str, t.pages)))}</td>"
        f'<td>{escape(t.unit or "—")}</td><td class="num">{t.rows}</td><td class="num">{t.figures}</td></tr>'
        for t in inventory.tables)
    problems = "".join(f"<li>{escape(problem)}</li>" for problem in inventory.problems)
    return (f'<details class="qa-inventory"{" open" if open_ else ""}><summary>{escape(doc_id)}：{len(inventory.tables)} 张表 tables'
            f'{"，" + str(len(inventory.problems)) + " 处未能读取 unread" if inventory.problems else ""}</summary>'
            f'<table class="qa-table"><tr>{head}</tr>{rows}</table>{"<ul>" + problems + "</ul>" if problems else ""}</details>')


def check_html(result) -> str:
    """Given one failed (or rounding) check, return it with what was found and both places."""
    status = "不一致 failed" if result.status == "failed" else "尾差 rounding"
    return (f'<div class="qa-check {escape(result.status)}"><b>{escape(status)}</b> {escape(result.doc_id)} · '
            f"{escape(finding_text(result))}<br>① {escape(result.left.place)}<br>② {escape(result.right.place)}</div>")


def consistency_html(results: list) -> str:
    """Given check results, return per document the passed/rounding/failed counts, then each failed
    check with both places (rounding differences folded away).
    """
    if not results:
        return '<div class="qa-empty">没有可检查的内容 / nothing to check.</div>'
    counts: dict[str, dict[str, int]] = {}
    for result in results:
        counts.setdefault(result.doc_id, {"passed": 0, "rounding": 0, "failed": 0})
        counts[result.doc_id][result.status] = counts[result.doc_id].get(result.status, 0) + 1
    head = "<tr><th>文档 document</th><th>检查 checks</th><th>通过 passed</th><th>尾差 rounding</th><th>不一致 failed</th></tr>"
    rows = "".join(
        f"<tr><td>{escape(doc)}</td><td class='num'>{sum(c.values())}</td>"
        f"<td class='num qa-count-passed'>{c['passed']}</td><td class='num qa-count-rounding'>{c['rounding']}</td>"
        f"<td class='num qa-count-failed'>{c['failed']}</td></tr>"
        for doc, c in sorted(counts.items()))
    failed = [r for r in results if r.status == "failed"]
    rounding = [r for r in results if r.status == "rounding"]
    failed_html = ("".join(check_html(r) for r in failed) if failed
                   else '<div class="qa-empty">没有不一致 / no failed checks.</div>')
    rounding_html = (f"<details><summary>尾差 rounding（{len(rounding)}）</summary>{''.join(check_html(r) for r in rounding)}</details>"
                     if rounding else "")
    return (f'<h4>一致性检查 / consistency report</h4><table class="qa-table">{head}{rows}</table>'
            f"<h4>不一致 / failed checks（{len(failed)}）</h4>{failed_html}{rounding_html}")


def upload_report_html(lines: list[tuple[str, str, str]]) -> str:
    """Given (kind, name, message) per file, kind ok|skip|bad|warn, return the upload result list."""
    if not lines:
        return ""
    word = {"ok": "已加入 added", "skip": "跳过 skipped", "bad": "拒绝 refused", "warn": "注意 note"}
    items = "".join(f'<li class="{escape(kind)}"><span class="qa-upload-kind">{word.get(kind, "")}</span>'
                    + (f"<b>{escape(name)}</b>：" if name else "") + f"{escape(message)}</li>"
                    for kind, name, message in lines)
    return f'<ul class="qa-upload">{items}</ul>'


# ---------------------------------------------------------------- upload names

_UNSAFE = re.compile(r"[^\w\u4e00-\u9fff.-]+", re.ASCII)


def safe_filename(name: str, default: str = "upload") -> str:
    """Given a file name as a browser sent it, return a name safe to create in the uploads folder:
    the last path part only, characters outside [A-Za-z0-9_ 汉字 . -] replaced by '_', no '..',
    no leading dot or dash, at most 100 characters, the extension kept.
    """
    base = re.split(r"[\\/]", name or "")[-1]
    base = _UNSAFE.sub("_", base)
    base = re.sub(r"\.{2,}", ".", base).strip("._-")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem.strip("._-")[:80] or default
    suffix = suffix.lower()[:10]
    return f"{stem}.{suffix}" if suffix else stem


def unique_path(folder: Path, name: str, taken: Iterable[str] = ()) -> Path:
    """Given a folder, a safe name and stems already in use, return a path in the folder that no
    file and no taken stem has: name, name-2, name-3, …
    """
    folder = Path(folder)
    path = folder / name
    stem, suffix = path.stem, path.suffix
    taken = set(taken)
    number = 1
    while path.exists() or path.stem in taken:
        number += 1
        path = folder / f"{stem}-{number}{suffix}"
    return path
