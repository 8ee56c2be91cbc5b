#!/usr/bin/python3
"""Writes a minimal OpenDocument spreadsheet (ODS) from rows given as JSON on stdin: each cell is
a string, a number, {"date": "YYYY-MM-DD"} or null. Usage: make-ods.py OUT.ods SHEET < rows.json.
The structure follows the OpenDocument 1.2 specification (mimetype first and stored, a manifest,
content.xml with table:table-row and table:table-cell); written by hand for the tests."""
import json, sys, zipfile
from xml.sax.saxutils import escape, quoteattr

out, sheet = sys.argv[1], sys.argv[2]
rows = json.load(sys.stdin)
NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"')

def cell(v):
    if v is None:
        return "<table:table-cell/>"
    if isinstance(v, dict):
        d = v["date"]
        return f'<table:table-cell office:value-type="date" office:date-value="{d}"><text:p>{d}</text:p></table:table-cell>'
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'

body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows)
content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:body>'
           f'<office:spreadsheet><table:table table:name={quoteattr(sheet)}>{body}</table:table>'
           '</office:spreadsheet></office:body></office:document-content>')
manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '</manifest:manifest>')
with zipfile.ZipFile(out, "w") as z:
    z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
    z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
