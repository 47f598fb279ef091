"""Outputs: report formats, template context, Jinja environment, SVG charts, PDF (only pdf.py imports WeasyPrint)."""
