#!/usr/bin/env python3
"""peer_typst.py: times Typst on the same document briefc typesets, for issue 8's peer figures.

The document is briefc's own tree of a dossier (`briefc build SOURCE --dump tree`), written
out as Typst markup: the same headings, numbered sections, paragraphs, lists, tables,
quotations, footnotes, links and non-Latin names, in the same fonts (DejaVu), justified
and hyphenated, with a contents page and page numbers. The timeline is left out (Typst has
no such element; briefc draws one). Typst runs through its Python bindings (PyPI
`typst`), each compile in a fresh process and timed inside it, so its time leaves out a
process start-up that briefc's includes.

Usage (the bindings are not one of the project's dependencies; install them beside the
bench's cache first):
  python3 -m pip install --target .zig-cache/bench/peers typst==0.15.2
  PYTHONPATH=.zig-cache/bench/peers python3 tests/bench/peer_typst.py \\
      --briefc zig-out/bin/briefc SOURCE.xml [--runs 5] [--keep FILE.typ]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

NODE = re.compile(r'^( *)(\w+)(.*)$')
TEXT = re.compile(r'"((?:[^"\\]|\\.)*)"\s*$')


def parse(dump):
    """The --dump tree text as nested dicts: type, attrs (the rest of the line), text, kids."""
    root = {"type": "root", "attrs": "", "text": None, "kids": []}
    stack = [(-1, root)]
    for line in dump.splitlines():
        m = NODE.match(line)
        if not m:
            continue
        depth, kind, rest = len(m.group(1)) // 2, m.group(2), m.group(3)
        t = TEXT.search(rest) if kind == "text" else None
        node = {"type": kind, "attrs": rest, "kids": [],
                "text": json.loads('"' + t.group(1) + '"') if t else None}
        while stack[-1][0] >= depth:
            stack.pop()
        stack[-1][1]["kids"].append(node)
        stack.append((depth, node))
    return root


def attr(node, name):
    m = re.search(name + r'=("(?:[^"\\]|\\.)*"|\S+)', node["attrs"])
    if not m:
        return None
    v = m.group(1)
    return json.loads(v) if v.startswith('"') else v


def cls(node):
    m = re.search(r'(?:^|\s)\.(\S+)', node["attrs"])
    return m.group(1) if m else ""


def s(text):
    """A Typst string literal: text inserted as it is, nothing read as markup."""
    return '#"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def inline(node):
    out = []
    for k in node["kids"]:
        t = k["type"]
        if t == "text":
            out.append(s(k["text"] or ""))
        elif t == "emph":
            out.append("#emph[" + inline(k) + "]")
        elif t == "strong":
            out.append("#strong[" + inline(k) + "]")
        elif t == "lang":
            out.append('#text(lang: "' + (attr(k, "lang") or "en").split("-")[0] + '")[' + inline(k) + "]")
        elif t == "link":  # (the dump gives its target as ->URL)
            m = re.search(r'->(\S+)', k["attrs"])
            target = m.group(1) if m else ""
            out.append(("#link(" + json.dumps(target) + ")[" + inline(k) + "]")
                       if target.startswith(("http", "mailto")) else inline(k))
        elif t == "footnote":
            out.append("#footnote[" + inline(k) + "]")
        else:  # xref, cite, noteref, and what else holds text
            out.append(inline(k))
    return "".join(out)


def block(node, out, heading_level=0):
    for k in node["kids"]:
        t = k["type"]
        if t == "para":
            c = cls(k)
            body = inline(k)
            if c == "title":
                out.append("#align(center, text(size: 20pt, weight: \"bold\")[" + body + "])\n")
            elif c == "subtitle":
                out.append("#align(center, text(size: 13pt)[" + body + "])\n")
            else:
                out.append(body + "\n")
        elif t == "section":
            block(k, out, int(attr(k, "level") or heading_level + 1))
        elif t == "heading":
            out.append("=" * int(attr(k, "level") or max(1, heading_level)) + " " + inline(k) + "\n")
        elif t == "list":
            for item in k["kids"]:
                parts = []
                inner = []
                for c in item["kids"]:
                    if c["type"] in ("para", "list", "table", "quote"):
                        block({"kids": [c]}, inner)
                    else:
                        parts.append(c)
                text = inline({"kids": parts}) + (" " + " ".join(x.strip() for x in inner) if inner else "")
                out.append("- " + text.replace("\n", " ") + "\n")
        elif t == "table":
            rows = [r for r in k["kids"] if r["type"] == "row"]
            ncol = max((len([c for c in r["kids"] if c["type"] == "cell"]) for r in rows), default=1)
            cells = []
            for r in rows:
                rc = [c for c in r["kids"] if c["type"] == "cell"]
                for c in rc:
                    inner = []
                    if any(x["type"] == "para" for x in c["kids"]):
                        block(c, inner)
                        cells.append("[" + " ".join(x.strip() for x in inner) + "]")
                    else:
                        cells.append("[" + inline(c) + "]")
                cells.extend(["[]"] * (ncol - len(rc)))
            out.append("#table(columns: " + str(ncol) + ", inset: 4pt, stroke: 0.4pt, "
                       + ", ".join(cells) + ")\n")
        elif t == "quote":
            inner = []
            block(k, inner)
            out.append("#quote(block: true)[" + "\n".join(inner) + "]\n")
        elif t == "toc":
            out.append("#outline()\n#pagebreak()\n")
        elif t in ("timeline", "image"):
            continue
        elif k["kids"]:
            block(k, out, heading_level)


def typst_source(tree, title):
    out = ['#set document(title: ' + json.dumps(title) + ')\n',
           '#set page(paper: "a4", margin: (x: 25mm, y: 25mm), numbering: "1", '
           'header: align(right, text(size: 8pt)[' + s(title) + ']))\n',
           '#set text(font: "DejaVu Serif", size: 10pt, lang: "en")\n',
           '#set par(justify: true)\n',
           '#set heading(numbering: "1.1")\n',
           '#show heading: set text(font: "DejaVu Sans")\n']
    block(tree["kids"][0] if tree["kids"] else tree, out)
    return "\n".join(out)


def pdf_pages(path):
    r = subprocess.run(["pdfinfo", path], capture_output=True, text=True)
    m = re.search(r"^Pages:\s+(\d+)", r.stdout, re.M)
    return int(m.group(1)) if m else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--briefc", required=True)
    ap.add_argument("source")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", help="write the Typst source here too")
    a = ap.parse_args()
    try:
        import typst
    except ImportError:
        print("peer_typst: the typst bindings are missing (see the usage above)", file=sys.stderr)
        return 1
    work = tempfile.mkdtemp(prefix="briefc-peer-")
    r = subprocess.run([a.briefc, "build", a.source, "--dump", "tree", "--out", work],
                       capture_output=True, text=True, check=True)
    tree = parse(r.stdout)
    title = attr(tree["kids"][0], "title") if tree["kids"] else "dossier"
    src = typst_source(tree, title or "dossier")
    typ = os.path.join(work, "doc.typ")
    with open(typ, "w") as f:
        f.write(src)
    if a.keep:
        with open(a.keep, "w") as f:
            f.write(src)
    pdf = os.path.join(work, "doc.pdf")
    tt, bt = [], []
    # each Typst compile in a fresh process (within one, Typst memoises what it did before),
    # timed inside it: the interpreter's start and the import are left out
    once = ("import sys, time, typst\nt = time.perf_counter()\n"
            "typst.compile(sys.argv[1], output=sys.argv[2], root=sys.argv[3])\n"
            "print(time.perf_counter() - t)\n")
    for _ in range(a.runs):
        r = subprocess.run([sys.executable, "-c", once, typ, pdf, work], capture_output=True,
                           text=True, check=True)
        tt.append(float(r.stdout.split()[-1]))
        t0 = time.perf_counter()
        subprocess.run([a.briefc, "build", a.source, "--out", work], capture_output=True, check=True)
        bt.append(time.perf_counter() - t0)
    tp = pdf_pages(pdf)
    bpdf = os.path.join(work, os.path.splitext(os.path.basename(a.source))[0] + ".pdf")
    bp = pdf_pages(bpdf)
    print(f"typst {getattr(typst, '__version__', '?')}: best {min(tt) * 1000:.0f} ms, median "
          f"{statistics.median(tt) * 1000:.0f} ms, {tp} pages, {tp / min(tt):.0f} pages/s, "
          f"{os.path.getsize(pdf) / 1024:.0f} KiB")
    print(f"briefc: best {min(bt) * 1000:.0f} ms, median {statistics.median(bt) * 1000:.0f} ms, "
          f"{bp} pages, {bp / min(bt):.0f} pages/s, {os.path.getsize(bpdf) / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
