"""The sample corpus's PDFs: the Shenzhen text disclosures drawn as PDFs (render.py, reportlab) or printed by a
browser (render_html.py, Chromium). Not part of reading a disclosure: they make test material."""
