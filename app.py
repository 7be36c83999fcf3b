"""The web UI: a Gradio chat in Chinese over the indexed budget disclosures.

``build_app()`` returns the Blocks; ``launch()`` serves them on settings.host:settings.port
(``qa serve``, ``make run`` and ``python app.py`` all end here). The HTML is built by the pure
functions of ``qa.ui_render``; this module only wires components and events.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import gradio as gr

from qa import ui_render as ui
from common.settings import settings

TITLE = "部门预算问答 · Budget disclosure Q&A"
EXAMPLES_FILE = Path(__file__).with_name("prompts") / "examples.yaml"
ALL = ""  # the dropdown value meaning "no filter"
UPLOAD_TYPES = (".pdf", ".txt", ".md")
INTRO = ("**部门预算问答** · 答案中的每个数字都标明是否已与表格核实，并给出出处（文档、页码、表格、行和列）；"
         "文档中没有的内容会明确说明找不到。")
FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei",
         "system-ui", "sans-serif"]


# ---------------------------------------------------------------- data from the index

def fact_store():
    from index.indexer import fact_store as open_store

    return open_store()


def documents() -> list:
    try:
        return fact_store().documents()
    except Exception:  # an unreadable index shows as empty, never as a crash
        return []


def examples(records: list) -> list[str]:
    """Given DocumentRecords, return example questions about them (prompts/examples.yaml): two asks of the
    first disclosure, a comparison of two of one year where there are, and a question nothing indexed answers."""
    import yaml

    from qa.plan.names import called_apart

    words = yaml.safe_load(EXAMPLES_FILE.read_text(encoding="utf-8"))
    named = [r for r in records if r.department and r.year]
    if not named:
        return list(words["empty"])
    first = named[0]
    asked = [template.format(who=first.department, year=first.year) for template in words["asks"]]
    pair = next(([a, b] for a in named for b in named if a.year == b.year and a.department != b.department), None)
    if pair:
        whos = called_apart([pair[0].department, pair[1].department])
        asked.append(words["compare"].format(first=whos[0], second=whos[1], year=pair[0].year))
    return asked + [words["not_indexed"].format(year=first.year)]


def filter_choices(records: list) -> tuple[list, list, list]:
    """Given DocumentRecords, return the choices of the place, year and document dropdowns: every place of the
    documents' region chains (a province, a city, a district, a street), top down."""
    places = list(dict.fromkeys(p for r in sorted(records, key=lambda r: r.meta.region) for p in r.meta.region))
    years = sorted({r.year for r in records if r.year}, reverse=True)
    docs = [(f"{r.title or r.doc_id}（{r.doc_id}）" if r.title else r.doc_id, r.doc_id) for r in records]
    return ([("全部地区", ALL)] + [(p, p) for p in places],
            [("全部年度", ALL)] + [(str(y), str(y)) for y in years],
            [("全部文档", ALL)] + docs)


def filters_of(region: str | None, year: str | None, doc_id: str | None) -> dict:
    """Given the dropdown values, return the filters for qa.query (only those set)."""
    filters: dict = {}
    if region:
        filters["region"] = region
    if year:
        filters["year"] = int(year)
    if doc_id:
        filters["doc_id"] = doc_id
    return filters


def ask(question: str, filters: dict):
    """Given a question and filters, return the Answer of the configured engine."""
    from qa import query

    return query(question, filters=filters or None)


# ---------------------------------------------------------------- events

KEPT_PANELS = 100  # figures panels kept per session: those of the last 50 answers (each is a few to tens of KB)


def recent_panels(panels: list) -> list:
    """Given a session's panels (one per chat message), return them with all but the last KEPT_PANELS
    let go (None), so that a long session's memory stays bounded and indexes still match the chat."""
    cut = len(panels) - KEPT_PANELS
    return [None] * cut + panels[cut:] if cut > 0 else panels


def respond(question: str, history: list, panels: list, region: str, year: str, doc_id: str):
    """Ask the question; yield the chat with '检索中…' first, then the answer, then its sources."""
    question = (question or "").strip()
    history, panels = list(history or []), recent_panels(list(panels or []))
    if not question:
        yield history, panels, gr.update(), gr.update()
        return
    history.append({"role": "user", "content": ui.markdown_safe(question)})
    panels.append(None)

    def step(content: str, panel: str):
        """Return the outputs with the answer message and its panel at the end (fresh lists each time)."""
        return (history + [{"role": "assistant", "content": content}], panels + [panel], "", panel)

    yield step("检索中… / searching…", ui.PENDING_HTML)
    try:
        answer = ask(question, filters_of(region, year, doc_id))
    except Exception as error:  # shown to the user, escaped; the server keeps serving
        message = f"出错了 / error: {error}"
        yield step(ui.markdown_safe(message), ui.error_html(message))
        return
    text = ui.chat_text(answer)
    yield step(text, ui.answer_panel_html(answer))
    try:
        snippets = ui.citation_snippets(answer, fact_store())
    except Exception:
        snippets = {}
    if snippets:
        yield step(text, ui.answer_panel_html(answer, snippets))
    try:  # the pages come last: the answer's text never waits for an image
        pages = page_views(answer)
    except Exception:
        pages = {}
    if pages:
        extras = {n: snippets.get(n, "") + pages.get(n, "") for n in set(snippets) | set(pages)}
        yield step(text, ui.answer_panel_html(answer, extras))


def page_views(answer) -> dict[int, str]:
    """Given an Answer, return the page view HTML of each citation of a PDF (pages rendered once, then cached)."""
    from qa.page_view import citation_pages

    views = citation_pages(answer.citations, fact_store(), documents())
    return {n: ui.page_view_html(view) for n, view in views.items()}


def show_panel(panels: list, evt: gr.SelectData):
    """Given a click on a chat message, show the figures and sources of that answer."""
    index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
    if isinstance(index, int) and 0 <= index < len(panels or []):
        panel = panels[index] or (panels[index + 1] if index + 1 < len(panels) else None)
        if panel:
            return panel
    return gr.update()


def clear_chat():
    return [], [], ui.EMPTY_PANEL_HTML


def refresh_filters():
    """Return the filters' and the table viewer's document choices as the index holds them now."""
    records = documents()
    places, years, docs = filter_choices(records)
    return gr.update(choices=places), gr.update(choices=years), gr.update(choices=docs), gr.update(choices=docs[1:])


def documents_view() -> tuple[str, str]:
    """Return the documents table and the consistency report of what the index holds."""
    records = documents()
    try:
        from qa.consistency import check_store

        report = ui.consistency_html(check_store()) if records else ""
    except Exception as error:
        report = ui.error_html(f"一致性检查失败 / consistency check failed: {error}")
    store = fact_store()
    return ui.documents_html(records, {r.doc_id: store.inventory(r.doc_id) for r in records}), report


def table_choices(doc_id: str | None):
    """Given a document, return the table dropdown filled with its tables (title and pages, as read)."""
    if not doc_id:
        return gr.update(choices=[], value=None)
    inventory = fact_store().inventory(doc_id)
    tables = inventory.tables if inventory else ()
    choices = [(f"[{t.kind or '其他'}] {t.title} · 第{t.pages[0] if t.pages else '?'}页", t.title) for t in tables]
    return gr.update(choices=choices, value=None)


def open_table(doc_id: str | None, title: str | None) -> str:
    """Given a document and one of its tables, return the table as read beside its first page."""
    if not doc_id or not title:
        return ""
    from qa.page_view import table_page

    store = fact_store()
    cells = store.facts(doc_id=doc_id, table_name=title, kind="cell")
    record = store.document(doc_id)
    try:
        view = table_page(record, cells) if record else None
    except Exception:  # a page that cannot be drawn leaves the grid to be read alone
        view = None
    return ui.table_view_html(cells, view)


def indexed_contents(records: list) -> dict[str, str]:
    """Given DocumentRecords, return {sha256 of the source file's bytes: doc_id} for sources still on disk."""
    contents = {}
    for record in records:
        source = Path(record.source)
        if source.is_file():
            contents[hashlib.sha256(source.read_bytes()).hexdigest()] = record.doc_id
    return contents


def index_uploads(files, progress=gr.Progress()):
    """Copy uploaded files into the uploads folder under safe names and index them, one by one.

    Files over the size limit, beyond the count limit, of another type, or already indexed are not
    copied; files the loader rejects are removed again and their reason shown.
    """
    from index.indexer import STAGES, index_paths

    files = [f for f in (files or []) if f]
    inventories: list = []
    lines: list[tuple[str, str, str]] = []
    if not files:
        return ui.upload_report_html(lines), None
    if len(files) > settings.max_uploads:
        lines.append(("bad", f"{len(files)} 个文件 files",
                      f"一次最多上传 {settings.max_uploads} 个文件 / at most {settings.max_uploads} files per upload"))
        return ui.upload_report_html(lines), None
    folder = settings.index_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    records = fact_store().documents()
    known = indexed_contents(records)
    taken = {r.doc_id for r in records}
    limit = settings.max_upload_mb * 1024 * 1024
    progress(0, desc="准备 / preparing")
    for number, upload in enumerate(files):
        source = Path(getattr(upload, "name", upload))
        shown = ui.safe_filename(source.name)
        progress((number, len(files)), desc=f"索引 indexing {shown}")
        if source.suffix.lower() not in UPLOAD_TYPES:
            lines.append(("bad", shown, f"不支持的文件类型 {source.suffix}（仅支持 PDF、TXT、MD）/ "
                                        f"unsupported file type {source.suffix} (PDF, TXT, MD only)"))
            continue
        target = None
        try:  # an upload that cannot be read or copied (I/O error, disk full) is reported, never half kept
            size = source.stat().st_size
            if size > limit:
                lines.append(("bad", shown, f"文件超过 {settings.max_upload_mb} MB / file larger than {settings.max_upload_mb} MB"))
                continue
            sha = hashlib.sha256(source.read_bytes()).hexdigest()
            if sha in known:
                lines.append(("skip", shown, f"已在索引中（{known[sha]}）/ already indexed as {known[sha]}"))
                continue
            target = ui.unique_path(folder, shown, taken)
            shutil.copyfile(source, target)
        except OSError as error:
            if target is not None:
                target.unlink(missing_ok=True)
            cause = error.strerror or type(error).__name__
            lines.append(("bad", shown, f"无法读取或保存文件（{cause}）/ cannot read or store the file ({cause})"))
            continue
        def on_stage(path: Path, stage: str, number=number) -> None:
            step = STAGES.index(stage)
            progress((number * len(STAGES) + step, len(files) * len(STAGES)),
                     desc=f"{STAGE_WORDS[stage]} · {shown}（{number + 1}/{len(files)}）")

        report = index_paths([target], progress=False, on_stage=on_stage)
        if report.failures:
            target.unlink(missing_ok=True)
            lines += [("bad", "", str(error)) for error in report.failures]  # the message names the file
            continue
        for timing in report.indexed:
            taken.add(timing.doc_id)
            known[sha] = timing.doc_id
            lines.append(("ok", target.name, f"已索引 indexed：{timing.pages} 页 pages，{timing.facts} 个数字 figures"))
            if not is_disclosure(timing):
                lines.append(("warn", target.name, "未识别为部门预算或决算公开文件，已作为一般文档索引（可检索原文，"
                                                   "不作表格核验）/ not recognised as a budget disclosure: indexed as "
                                                   "a generic document (searchable; no table checks)"))
            inventories.append((timing.doc_id, timing.inventory))
        for doc_id in report.skipped:
            lines.append(("skip", target.name, f"未变化 unchanged（{doc_id}）"))
    progress(1, desc="完成 / done")
    shown_inventories = "".join(ui.inventory_html(doc_id, inventory, open_=True)
                                for doc_id, inventory in inventories if inventory is not None)
    return ui.upload_report_html(lines) + shown_inventories, None  # the file box is emptied for the next upload


STAGE_WORDS = {"reading": "读取 reading", "tables": "表格 tables", "embedding": "向量 embedding", "writing": "写入 writing"}


def is_disclosure(timing) -> bool:
    """Given an indexed file's timing, return whether it reads as a budget disclosure: its kind (预算/决算) is
    known, or one of its tables is of a known kind."""
    return bool((timing.meta and timing.meta.kind) or (timing.inventory and any(t.kind for t in timing.inventory.tables)))


# ---------------------------------------------------------------- layout

def build_app() -> gr.Blocks:
    """Return the UI: 问答 (chat, filters, examples, figures and sources), 文档与核验 (documents and
    the consistency report, upload)."""
    records = documents()
    places, years, docs = filter_choices(records)
    shown = examples(records)
    with gr.Blocks(title=TITLE, fill_width=True) as demo:
        panels = gr.State([])
        with gr.Tabs():
            with gr.Tab("问答 Q&A", id="qa"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=480):
                        gr.Markdown(INTRO)
                        with gr.Row():
                            region = gr.Dropdown(places, value=ALL, label="地区 place", scale=1, min_width=120)
                            year = gr.Dropdown(years, value=ALL, label="年度 year", scale=1, min_width=100)
                            doc = gr.Dropdown(docs, value=ALL, label="文档 document", scale=2, min_width=200)
                        # messages are escaped text (ui.chat_text); sanitize_html stays on as a second guard
                        chatbot = gr.Chatbot(label="对话 chat", show_label=False, height=390, sanitize_html=True,
                                             render_markdown=True, latex_delimiters=[], feedback_options=None,
                                             elem_id="qa-chat", buttons=["copy"],
                                             placeholder="请输入问题，或点击下方示例。")
                        with gr.Row():
                            question = gr.Textbox(placeholder=f"例如：{shown[0]}", show_label=False,
                                                  scale=5, max_lines=3, elem_id="qa-question", submit_btn=False)
                            send = gr.Button("提问 Ask", variant="primary", scale=1, min_width=90, elem_id="qa-send")
                            clear = gr.Button("清空 Clear", scale=1, min_width=80)
                        with gr.Row(elem_id="qa-examples"):
                            example_buttons = [gr.Button(text, size="sm", variant="secondary", min_width=120)
                                               for text in shown]
                    with gr.Column(scale=2, min_width=360):
                        gr.Markdown("### 数字核验与来源 / figures and sources")
                        panel = gr.HTML(ui.EMPTY_PANEL_HTML, elem_id="qa-panel", js_on_load=None,
                                        max_height=680, autoscroll=False)
            with gr.Tab("文档与核验 Documents", id="docs") as docs_tab:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        with gr.Row():
                            gr.Markdown("### 已索引文档与一致性检查 / documents and consistency")
                            refresh = gr.Button("刷新 Refresh", size="sm", scale=0, min_width=100)
                        documents_table = gr.HTML(elem_id="qa-documents", js_on_load=None)
                        with gr.Row():
                            table_doc = gr.Dropdown(docs[1:], value=None, label="打开一张表 open a table: 文档 document",
                                                    scale=1, elem_id="qa-table-doc")
                            table_pick = gr.Dropdown([], value=None, label="表 table", scale=2, elem_id="qa-table-pick")
                        table_view = gr.HTML(elem_id="qa-table-view", js_on_load=None)
                        consistency = gr.HTML(elem_id="qa-consistency", js_on_load=None)
                    with gr.Column(scale=2, min_width=320):
                        gr.Markdown(f"### 上传文档 / upload\nPDF、TXT 或 MD，单个文件不超过 {settings.max_upload_mb} MB，"
                                    f"一次最多 {settings.max_uploads} 个。上传后自动加入索引。")
                        upload = gr.File(label="上传 upload", file_count="multiple", file_types=list(UPLOAD_TYPES),
                                         elem_id="qa-upload")
                        upload_result = gr.HTML(elem_id="qa-upload-result", js_on_load=None)

        ask_inputs = [question, chatbot, panels, region, year, doc]
        ask_outputs = [chatbot, panels, question, panel]
        send.click(respond, ask_inputs, ask_outputs)
        question.submit(respond, ask_inputs, ask_outputs)
        for button, text in zip(example_buttons, shown):
            button.click(lambda text=text: text, None, question, queue=False).then(respond, ask_inputs, ask_outputs)
        clear.click(clear_chat, None, [chatbot, panels, panel], queue=False)
        chatbot.select(show_panel, panels, panel)

        upload.upload(index_uploads, upload, [upload_result, upload], concurrency_limit=1, concurrency_id="indexing",
                      show_progress="full").then(
            documents_view, None, [documents_table, consistency]).then(refresh_filters, None, [region, year, doc, table_doc])
        table_doc.change(table_choices, table_doc, table_pick)
        table_pick.change(open_table, [table_doc, table_pick], table_view)
        refresh.click(documents_view, None, [documents_table, consistency]).then(
            refresh_filters, None, [region, year, doc, table_doc])
        docs_tab.select(documents_view, None, [documents_table, consistency])  # computed when looked at
        demo.load(refresh_filters, None, [region, year, doc, table_doc])  # documents indexed since start-up
    demo.queue(default_concurrency_limit=settings.concurrency)
    return demo


def auth_pair() -> tuple[str, str] | None:
    """Return settings.auth 'user:password' as a pair for basic auth, or None when unset."""
    if not settings.auth:
        return None
    user, sep, password = settings.auth.partition(":")
    if not (sep and user and password):
        raise ValueError("QA_AUTH 应为 user:password / QA_AUTH must be user:password")
    return user, password


def launch(host: str | None = None, port: int | None = None, *, block: bool = True) -> gr.Blocks:
    """Serve the UI on host:port (settings by default); with block=False return once it listens."""
    from qa.engine import warm_up

    demo = build_app()
    warm_up()  # the first question then waits for nothing that could be loaded before
    pages = settings.index_dir / "pages"  # page images of citations (qa.page_view), served to the panel
    pages.mkdir(parents=True, exist_ok=True)
    demo.launch(server_name=host or settings.host, server_port=port or settings.port, auth=auth_pair(),
                allowed_paths=[str(pages.resolve())],
                max_file_size=f"{settings.max_upload_mb}mb", prevent_thread_lock=not block, ssr_mode=False,
                show_error=False, footer_links=[], theme=gr.themes.Soft(font=FONTS), css=ui.UI_CSS, quiet=not block)
    return demo


if __name__ == "__main__":
    launch()
