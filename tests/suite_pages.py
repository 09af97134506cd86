"""suite_pages.py: pagination and navigation: keeps, widows and orphans, contents, outline,
links, footnotes, repeated table headers, page labels, the three shipped styles."""
import json
import os
import re

from harness import HERE, ROOT, SOURCE, check, need, page_of_pages, run, test

STYLES = ["briefing", "memo", "digest"]


def long_source(path):
    """A long synthetic dossier: deep sections, a table of 300 rows, 40 footnotes."""
    words = ("ceasefire corridor peacekeeping contingent withdrawal districts monitoring "
             "humanitarian transport negotiations implementation displaced prisoners "
             "international agreement verification infrastructure reconstruction").split()

    def prose(seed, n):
        out = []
        for i in range(n):
            out.append(words[(seed * 7 + i * 3) % len(words)])
        return " ".join(out).capitalize() + "."

    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<dossier id="long" xml:lang="en">',
             "<meta><title>Long synthetic dossier</title><short-title>Long</short-title>"
             "<issued>2021-06-01</issued><author>Test</author></meta>",
             '<actors><actor id="a" kind="state"><name>Alpha</name><name xml:lang="hy">Ալֆա</name></actor>'
             '<actor id="b" kind="state"><name>Beta</name><name xml:lang="ru">Бета</name></actor></actors>',
             '<topics><topic id="t"><label>Topic</label></topic></topics>',
             '<agreement id="ag"><name>Long accord</name><signed date="2021-01-01"/>'
             "<parties>a b</parties><signatories><signatory actor=\"a\"/></signatories>"]
    for n in range(1, 7):
        body = " ".join(prose(n * 10 + k, 25) for k in range(3))
        parts.append(f'<term id="term{n}" n="{n}" topics="t" binds="a b"><title>Term number {n}</title>'
                     f"<p>{body}<note>Note on term {n}: {prose(n, 12)}</note></p></term>")
    parts.append("</agreement><aftermath>")
    note = 0
    for th in range(1, 5):
        parts.append(f'<thread id="th{th}" topics="t"><title>Thread {th}</title>')
        for ev in range(1, 9):
            paras = []
            for k in range(3):
                note += 1
                paras.append(f"<p>{prose(th * 100 + ev * 10 + k, 40 + (k * 17) % 30)}"
                             f"<note>Footnote {note}: {prose(note, 10)}</note> {prose(ev + k, 20)}</p>")
            table = ""
            if th == 2 and ev == 3:
                rows = "".join(f'<row><cell>Row {r}</cell><cell>{prose(r, 6)}</cell><cell align="right">{r * 7}</cell></row>'
                               for r in range(1, 301))
                table = ('<table><caption>A table of three hundred rows</caption>'
                         '<row header="true"><cell>Row</cell><cell>Text</cell><cell align="right">Value</cell></row>'
                         + rows + "</table>")
            parts.append(f'<event id="e{th}-{ev}" date="2021-0{1 + ev % 9}-1{ev % 9}" topics="t">'
                         f"<title>Event {ev} of thread {th}</title>{''.join(paras)}{table}</event>")
        parts.append("</thread>")
    parts.append("</aftermath></dossier>\n")
    with open(path, "w") as f:
        f.write("\n".join(parts))


def dump_layout(ctx, src, style, *extra):
    r = run([ctx.briefc, "build", src, "--style", style, "--dump", "layout", *extra], text=True,
            timeout=300)
    check(r.returncode == 0, f"{style}: exit {r.returncode}: {r.stderr[-500:]}")
    pages, anchors = [], {}
    for line in r.stdout.splitlines():
        m = re.match(r"page (\d+) label=(\S+)", line)
        if m:
            pages.append({"label": m.group(2), "flow": [], "links": [], "texts": []})
            continue
        m = re.match(r"  flow (\w)(\d+) (\d+)/(\d+) (\S+)", line)
        if m:
            pages[-1]["flow"].append((m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4)), m.group(5)))
            continue
        m = re.match(r"  link ([\d.-]+) ([\d.-]+) ([\d.]+)x([\d.]+) (#?)(\S+)", line)
        if m:
            pages[-1]["links"].append((float(m.group(1)), float(m.group(2)), float(m.group(3)),
                                       float(m.group(4)), m.group(5) == "#", m.group(6)))
            continue
        m = re.match(r'  text ([\d.-]+) ([\d.-]+) w=([\d.]+) \S+ [\d.]+ "(.*)"$', line)
        if m:
            pages[-1]["texts"].append((float(m.group(1)), float(m.group(2)), float(m.group(3)), m.group(4)))
            continue
        m = re.match(r"anchor (\S+) p(\d+) ([\d.-]+)", line)
        if m:
            anchors[m.group(1)] = (int(m.group(2)) - 1, float(m.group(3)))
    return pages, anchors


def cases(ctx):
    if not hasattr(ctx, "long_source"):
        ctx.long_source = ctx.tmp("long.xml")
        long_source(ctx.long_source)
    return [SOURCE, ctx.long_source, os.path.join(HERE, "golden", "minimal.xml")]


def keep_violations(ctx, src, style, columns=1):
    """Headings or table headers last on a page; orphans and widows (single column)."""
    pages, _ = dump_layout(ctx, src, style)
    name = f"{os.path.basename(style)}/{os.path.basename(src)}"
    bad = []
    for i, pg in enumerate(pages):
        lines = [f for f in pg["flow"] if f[0] in "lrf"]  # (lines, table rows, a figure's rows)
        if not lines:
            continue
        last, first = lines[-1], lines[0]
        more = i + 1 < len(pages)
        if more and last[4] in ("h1", "h2", "h3", "caption", "th"):
            bad.append(f"{name}: page {i + 1} ends with a {last[4]}")
        if columns > 1:
            continue  # two columns: the flow interleaves columns
        if more and last[0] == "l" and last[2] == 1 and last[3] >= 2:
            bad.append(f"{name}: orphan: page {i + 1} ends with line 1 of {last[3]} ({last[4]})")
        if i > 0 and first[0] == "l" and first[2] == first[3] and first[3] >= 2:
            bad.append(f"{name}: widow: page {i + 1} starts with the last of {first[3]} lines ({first[4]})")
    return bad


@test
def pages_keeps_widows_orphans(ctx):
    for style in STYLES:
        for src in cases(ctx):
            bad = keep_violations(ctx, src, style, 2 if style == "digest" else 1)
            check(not bad, "; ".join(bad[:3]))
    # the check sees widows and orphans where a style allows them
    loose = style_file(ctx, "styles/loose.xml", '<style extends="briefing">\n<layout orphans="1" widows="1"/>\n</style>\n')
    check(keep_violations(ctx, cases(ctx)[1], loose), "orphans=1 widows=1 gave no widow or orphan")


@test
def pages_table_header_repeated(ctx):
    for style in STYLES:
        pages, _ = dump_layout(ctx, cases(ctx)[1], style)
        spanned = 0
        for i, pg in enumerate(pages):
            rows = {}
            for kind, tid, line, lines, cls in pg["flow"]:
                if kind == "r":
                    rows.setdefault(tid, []).append((line, cls))
            for tid, rs in rows.items():
                if any(cls == "cell" for _, cls in rs):
                    check(any(cls == "th" for _, cls in rs),
                          f"{style}: page {i + 1}: rows of table {tid} without its header")
                    spanned += 1
            # the header's words are drawn on the page itself, above the rows
            if any(kind == "r" and tid == 1 for kind, tid, *_ in pg["flow"]) and \
                    any(kind == "r" and cls == "cell" and tid == 1 for kind, tid, _, _, cls in pg["flow"]):
                lines = {}
                for x, y, w, text in sorted(pg["texts"]):
                    lines[round(y, 1)] = lines.get(round(y, 1), "") + text
                check(any("Row" in l and "Text" in l and "Value" in l for l in lines.values()),
                      f"{style}: page {i + 1}: the repeated header is not drawn there")
        check(spanned >= 4, f"{style}: the 300-row table spans only {spanned} pages")


@test
def pages_footnotes_on_their_page(ctx):
    for style in STYLES:
        for src in cases(ctx)[:2]:
            pages, anchors = dump_layout(ctx, src, style)
            seen = 0
            for i, pg in enumerate(pages):
                for x, y, w, h, internal, target in pg["links"]:
                    if internal and target.startswith("note-"):
                        seen += 1
                        check(target in anchors, f"{style}: no anchor for {target}")
                        check(anchors[target][0] == i,
                              f"{style}: {target} referenced on page {i + 1}, set on page {anchors[target][0] + 1}")
            check(seen >= (40 if src != SOURCE else 3), f"{style}: only {seen} footnote marks")


@test
def pages_contents_numbers(ctx):
    for style in STYLES:
        pages, anchors = dump_layout(ctx, SOURCE, style)
        labels = [pg["label"] for pg in pages]
        entries = 0
        for pg in pages:
            if not any(f[4] in ("toc1", "toc2") for f in pg["flow"]):
                continue
            for x, y, w, h, internal, target in pg["links"]:
                if not internal or w < 150:
                    continue  # contents entries are links across the whole column
                # a contents entry ends with its page number flush with the link's right end
                nums = [t for t in pg["texts"] if y <= t[1] <= y + h and abs(t[0] + t[2] - (x + w)) < 0.5
                        and re.fullmatch(r"[0-9ivx]+", t[3])]
                if not nums:
                    continue
                shown = max(nums, key=lambda t: t[0])[3]
                check(target in anchors, f"{style}: contents entry {target} has no anchor")
                check(shown == labels[anchors[target][0]],
                      f"{style}: contents says {shown} for {target}, which is on page {labels[anchors[target][0]]}")
                entries += 1
        check(entries >= 8, f"{style}: only {entries} contents entries")


def many_threads_source(path, n):
    """A short dossier whose contents is longer than a page: n threads of one event each."""
    with open(path) as f:
        text = f.read()
    head = text[:text.index("<aftermath>") + len("<aftermath>")]
    threads = "".join(
        f'<thread id="many{t}" topics="t"><title>Thread number {t}</title>'
        f'<event id="many{t}-1" date="2021-02-0{1 + t % 9}" topics="t"><title>Event of thread {t}</title>'
        f"<p>The thread's one event, told in a sentence.</p></event></thread>" for t in range(n))
    with open(path + ".many.xml", "w") as f:
        f.write(head + threads + "</aftermath></dossier>\n")
    return path + ".many.xml"


@test
def pages_contents_front(ctx):
    """toc="front" (the briefing style): a contents that fits in what the front matter leaves
    of its page is set there, one that does not starts a page of its own, one longer than a
    page too; the body starts on a new page, numbered 1, either way, and no page holds both
    contents and body. toc="own-page" keeps a page of its own for the shortest contents."""
    body = {"body", "h1", "h2", "h3", "item", "quote", "facts", "cell", "th", "note"}

    def front(src, style, *extra):
        pages, _ = dump_layout(ctx, src, style, *extra)
        where = [i for i, pg in enumerate(pages) if any(f[4] in ("toc1", "toc2") for f in pg["flow"])]
        name = f"{os.path.basename(style)} {os.path.basename(src)} {' '.join(extra)}"
        check(where, f"{name}: no contents")
        first_body = next(i for i, pg in enumerate(pages) if pg["label"] == "1")
        check(first_body == where[-1] + 1, f"{name}: the body starts on page {first_body + 1}, "
              f"the contents ends on page {where[-1] + 1}")
        for i in where:  # (the contents' own heading is an h1: one, on its first page)
            mixed = {f[4] for f in pages[i]["flow"]} & (body - {"h1"})
            heads = {(f[0], f[1]) for f in pages[i]["flow"] if f[4] == "h1"}
            check(not mixed and len(heads) == (i == where[0]),
                  f"{name}: page {i + 1} holds contents and {sorted(mixed)}, {len(heads)} h1")
        check(where == list(range(where[0], where[-1] + 1)), f"{name}: contents on pages {where}")
        return where, [pg["label"] for pg in pages[:first_body]]

    where, labels = front(SOURCE, "briefing", "--topic", "pow")
    check(where == [0] and labels == ["i"], f"pow: contents on {where}, front pages {labels}")
    where, labels = front(SOURCE, "briefing")
    check(where == [1] and labels == ["i", "ii"], f"briefing: contents on {where}, front {labels}")
    cases(ctx)
    many = many_threads_source(ctx.long_source, 70)
    where, labels = front(many, "briefing")
    check(where[0] == 1 and len(where) >= 2, f"70 threads: contents on {where}")
    with open(os.path.join(ROOT, "styles", "briefing.xml")) as f:
        own = f.read().replace('toc="front"', 'toc="own-page"')
    check('toc="own-page"' in own, "the briefing style no longer says toc=\"front\"")
    where, labels = front(SOURCE, style_file(ctx, "styles/own-page.xml", own), "--topic", "pow")
    check(where == [1] and labels == ["i", "ii"], f"own-page: contents on {where}, front {labels}")


def qpdf_json(path):
    need("qpdf")
    r = run(["qpdf", "--json", path], text=True)
    check(r.returncode == 0, r.stderr)
    return json.loads(r.stdout)


def build_pdf(ctx, src, style, out):
    r = run([ctx.briefc, "build", src, "--style", style, "--out", out], text=True, timeout=300)
    check(r.returncode == 0, f"{style}: exit {r.returncode}: {r.stderr[-500:]}")
    return r.stdout.strip()


@test
def pages_pdf_navigation(ctx):
    """Outline = sections, internal links land on their anchors' pages, page labels set."""
    for style in STYLES:
        out = ctx.tmp("nav-" + style)
        pdf = build_pdf(ctx, SOURCE, style, out)
        j = qpdf_json(pdf)
        pages = [p["object"] for p in j["pages"]]
        # outline: every section of the tree (levels 1-3) and the contents
        tree = run([ctx.briefc, "build", SOURCE, "--style", style, "--dump", "tree"], text=True).stdout
        sections = len(re.findall(r"^\s*section level=[123]", tree, re.M))
        def count(items):
            return sum(1 + count(i.get("kids", [])) for i in items)
        n_out = count(j["outlines"])
        toc = 0 if style == "none" else 1
        check(n_out == sections + toc, f"{style}: {n_out} outline entries for {sections} sections")
        # internal links: their destination pages equal the layout's anchors
        dump_pages, anchors = dump_layout(ctx, SOURCE, style)
        want = sorted((i, anchors[t][0]) for i, pg in enumerate(dump_pages)
                      for (_, _, _, _, internal, t) in pg["links"] if internal and t in anchors)
        got = []
        objs = j["qpdf"][1]

        def val(ref):
            while isinstance(ref, str) and ("obj:" + ref) in objs:
                ref = objs["obj:" + ref].get("value")
            return ref

        for i, ref in enumerate(pages):
            annots = val(val(ref).get("/Annots", []))
            for a in annots or []:
                dest = val(val(a).get("/Dest"))
                if isinstance(dest, list) and dest and dest[0] in pages:
                    got.append((i, pages.index(dest[0])))
        got.sort()
        check(got == want, f"{style}: {len(got)} link destinations differ from {len(want)} layout anchors")
        check(j.get("pagelabels"), f"{style}: no page labels")


@test
def pages_page_of_pages(ctx):
    """"Page X of Y" counts within its numbering: "Page i of ii" on the front matter (it
    read "Page i of 16", the body's count), "Page 1 of 16" in the body, in every style whose
    foot says it."""
    need("pdftotext")
    tried = 0
    for style in STYLES:
        with open(os.path.join(ROOT, "styles", style + ".xml"), encoding="utf-8") as f:
            if "{pages}" not in f.read():
                continue
        tried += 1
        pdf = build_pdf(ctx, SOURCE, style, ctx.tmp("pp-" + style))
        r = run(["pdftotext", "-layout", pdf, "-"], text=True)
        check(r.returncode == 0, f"{style}: pdftotext: {r.stderr}")
        texts = r.stdout.split("\f")[:-1]
        wrong = page_of_pages(texts)
        check(wrong is None, f"{style}: {wrong}")
        if style == "briefing":  # (its contents page is the front matter's)
            check(re.search(r"Page i of [ivx]+", texts[0]), f"{style}: no front matter numbering")
    check(tried >= 2, f"{tried} styles with 'of {{pages}}'")


@test
def pages_spanning_timeline_flows(ctx):
    """In two columns a timeline spans the page: it starts below the columns of the page
    its heading and first row fit on (it moved whole to the next page, leaving half a
    page empty), its rows go on to the next page, its last row stays with its legend, and
    each page it is on holds two of its rows at least (rows as lines: no orphan, no widow).
    A timeline of three rows (the diplomacy report's, one column) is kept whole."""
    pages, _ = dump_layout(ctx, SOURCE, "digest")
    where = {}
    for i, pg in enumerate(pages):
        for kind, fid, line, lines, cls in pg["flow"]:
            if kind == "f":
                where.setdefault("first", i)
                where["last"] = i
            if cls == "legend":
                where.setdefault("legend", i)
    check("first" in where and "legend" in where, f"no timeline or legend: {where}")
    first = pages[where["first"]]["flow"]
    at = next(j for j, f in enumerate(first) if f[0] == "f")
    check(at >= 2 and first[at - 1][4] == "h1" and any(f[0] == "l" and f[4] == "body" for f in first[:at - 1]),
          f"the timeline's page has no column text above its heading: {first[:at + 1]}")
    check(where["last"] == where["legend"], f"the last row on page {where['last'] + 1}, "
          f"its legend on page {where['legend'] + 1}")
    rows = [sum(1 for f in pages[i]["flow"] if f[0] == "f") for i in range(where["first"], where["last"] + 1)]
    check(len(rows) == 2 and min(rows) >= 2, f"the timeline's rows by page: {rows}")
    pages, _ = dump_layout(ctx, SOURCE, "briefing", "--topic", "diplomacy")
    on = [i for i, pg in enumerate(pages) if any(f[0] == "f" or f[4] == "legend" for f in pg["flow"])]
    count = sum(1 for pg in pages for f in pg["flow"] if f[0] == "f")
    check(count == 3 and len(on) == 1, f"diplomacy: {count} rows and the legend on pages {on}")


@test
def pages_styles_on_every_source(ctx):
    for style in STYLES:
        for src in cases(ctx):
            out = ctx.tmp(f"st-{style}")
            pdf = build_pdf(ctx, src, style, out)
            r = run(["qpdf", "--check", pdf], text=True)
            check(r.returncode == 0, f"{style}/{os.path.basename(src)}: qpdf: {r.stdout[-300:]}")
    # the digest really has two columns
    pages, _ = dump_layout(ctx, SOURCE, "digest")
    xs = {round(t[0]) for pg in pages[3:6] for t in pg["texts"]}
    check(any(x > 300 for x in xs) and any(x < 100 for x in xs), "digest: no second column")


def style_file(ctx, name, text):
    path = ctx.tmp(name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


@test
def pages_style_errors(ctx):
    cases_ = [
        ('<style extends="memo">\n<page margin-inner="-4mm"/>\n</style>\n', ":2: error: margin-inner: '-4mm' must not be negative"),
        ('<style>\n<font id="serif" family="No Such Family Anywhere"/>\n</style>\n', "no font file found for family 'No Such Family Anywhere'"),
        ('<style>\n<page colour="red"/>\n</style>\n', ":2: error:"),
        ('<style extends="loop.xml">\n</style>\n', "more than 8 deep"),
        ('<style>\n<page size="A4" margin-inner="150mm" margin-outer="60mm"/>\n</style>\n', "the margins leave less than one inch"),
        ('<style>\n<layout tolerance="0"/>\n</style>\n', "tolerance: '0' is out of range"),
    ]
    for i, (text, msg) in enumerate(cases_):
        path = style_file(ctx, "styles/loop.xml" if "loop" in text else f"styles/s{i}.xml", text)
        r = run([ctx.briefc, "check", SOURCE, "--style", path], text=True)
        check(r.returncode == 1, f"case {i}: exit {r.returncode}: {r.stderr}")
        check(msg in r.stderr, f"case {i}: want {msg!r} in {r.stderr!r}")
    # a family whose file is not TrueType (Latin Modern, OpenType with CFF outlines, which
    # TeX Live brings): refused, naming the file and its format, whether the fonts were
    # found by a child process (two processors) or by briefc itself (one)
    q = run(["fc-match", "-f", "%{fontformat}|%{family}", "Latin Modern Roman"], text=True)
    if q.returncode == 0 and q.stdout.startswith("CFF|") and "Latin Modern Roman" in q.stdout:
        path = style_file(ctx, "styles/cff.xml", '<style>\n<font id="serif" family="Latin Modern Roman"/>\n</style>\n')
        one = [need("taskset"), "-c", str(min(os.sched_getaffinity(0)))]
        for prefix in ([], one):
            r = run(prefix + [ctx.briefc, "check", SOURCE, "--style", path], text=True)
            check(r.returncode == 1 and "is not a TrueType font (CFF); briefc embeds TrueType outlines only"
                  in r.stderr, f"{prefix or 'default'}: exit {r.returncode}: {r.stderr}")
    # a style extending a built-in one and changing one thing works
    path = style_file(ctx, "styles/ok.xml", '<style extends="memo">\n<block class="body" size="10pt"/>\n</style>\n')
    r = run([ctx.briefc, "check", SOURCE, "--style", path], text=True)
    check(r.returncode == 0, r.stderr)


@test
def images_embedded_and_checked(ctx):
    src = os.path.join(HERE, "images", "images.xml")
    out = ctx.tmp("images")
    pdf = build_pdf(ctx, src, "briefing", out)
    need("pdfimages")
    r = run(["pdfimages", "-list", pdf], text=True)
    rows = [l.split() for l in r.stdout.splitlines()[2:]]
    check(len(rows) == 2, f"{len(rows)} images in the PDF, want 2")
    check(rows[0][3:5] == ["120", "60"] and rows[1][3:5] == ["96", "64"], f"image sizes {rows}")
    text = " ".join(run(["pdftotext", pdf, "-"], text=True).stdout.split())
    check("A map in PNG, with transparency" in text and "A photograph in JPEG" in text, "captions missing")
    want = {
        "bad-corrupt": "image 'corrupt.png': corrupt or truncated PNG",
        "bad-truncated-png": "image 'truncated.png': corrupt or truncated PNG",
        "bad-truncated-jpg": "image 'truncated.jpg': damaged or truncated JPEG",
        "bad-huge": "image 'huge.png': 100000 x 100000 pixels is beyond the limit",
        "bad-not-image": "image 'not-an-image.png': neither a PNG nor a JPEG file",
        "bad-escape": "image '../golden/../images/map.png' must be a relative path inside the source's directory",
        "bad-absolute": "image '/etc/passwd' must be a relative path inside the source's directory",
        "bad-missing": "image 'nowhere.png': no such file",
    }
    for name, msg in want.items():
        path = os.path.join(HERE, "images", name + ".xml")
        out = ctx.tmp("img-" + name)
        r = run([ctx.briefc, "build", path, "--out", out], text=True)
        check(r.returncode == 1, f"{name}: exit {r.returncode}")
        check(f"{name}.xml:32: error: {msg}" in r.stderr, f"{name}: {r.stderr!r}")
        check(not os.path.exists(out) or not os.listdir(out), f"{name}: output written")


@test
def pages_page_references(ctx):
    """<xref show="page"> prints the page its target lands on, in every style."""
    src = os.path.join(HERE, "golden", "minimal.xml")
    for style in STYLES:
        pages, anchors = dump_layout(ctx, src, style)
        label = pages[anchors["t-pow"][0]]["label"]
        label2 = pages[anchors["r-league"][0]]["label"]
        pdf = build_pdf(ctx, src, style, ctx.tmp("pref-" + style))
        text = " ".join(run(["pdftotext", pdf, "-"], text=True).stdout.split())
        check(f"set out on p. {label};" in text, f"{style}: no 'p. {label}' in: {text[:300]}")
        check(f"(the reaction of League of Lands (p. {label2}))" in text, f"{style}: 'both' form missing")


def qpdf_stream(pdf, ref):
    """The decoded data of the stream object ref ("12 0 R" or 12), by qpdf."""
    num = int(str(ref).split()[0])
    r = run(["qpdf", f"--show-object={num}", "--filtered-stream-data", pdf], capture_output=True)
    check(r.returncode == 0, f"object {num}: qpdf: {r.stderr[-300:]}")
    return r.stdout


def font_programs(pdf):
    """The embedded TrueType programs of a PDF: (object number, decoded bytes), by qpdf."""
    objs = qpdf_json(pdf)["qpdf"][1]
    refs = sorted({int(v["/FontFile2"].split()[0]) for v in (o.get("value") for o in objs.values()
                   if isinstance(o, dict)) if isinstance(v, dict) and "/FontFile2" in v})
    return [(num, qpdf_stream(pdf, num)) for num in refs]


@test
def pages_fonts_are_subsets(ctx):
    """Each face embeds a font cut to the document's characters (HarfBuzz's subsetter), far
    smaller than its file, still a TrueType program with few glyphs; the text still
    extracts in every script of the source."""
    need("pdffonts")
    need("pdftotext")
    out = ctx.tmp("subset")
    pdf = build_pdf(ctx, SOURCE, "briefing", out)
    progs = font_programs(pdf)
    check(len(progs) >= 3, f"{len(progs)} embedded font programs")
    r = run(["pdffonts", pdf], text=True)
    check(r.returncode == 0, f"pdffonts: exit {r.returncode}: {r.stderr[-300:]}")
    files = [l.split()[0] for l in r.stdout.splitlines()[2:] if l.strip()]
    check(len(files) == len(progs), f"pdffonts lists {len(files)} fonts, {len(progs)} programs embedded")
    for num, prog in progs:
        check(prog[:4] in (b"\x00\x01\x00\x00", b"true"), f"object {num}: not a TrueType program")
        # numGlyphs, from the maxp table
        ntab = int.from_bytes(prog[4:6], "big")
        glyphs = None
        for t in range(ntab):
            rec = prog[12 + 16 * t:28 + 16 * t]
            if rec[:4] == b"maxp":
                off = int.from_bytes(rec[8:12], "big")
                glyphs = int.from_bytes(prog[off + 4:off + 6], "big")
        check(glyphs is not None and glyphs < 2000, f"object {num}: {glyphs} glyphs (a whole DejaVu has ~6,000)")
        check(len(prog) < 200_000, f"object {num}: {len(prog)} bytes embedded")
    text = run(["pdftotext", pdf, "-"], text=True).stdout
    for word in ["Հայաստանի", "Azərbaycan", "Российская", "საქართველო", "Lachin"]:
        check(word in text, f"'{word}' does not extract")
    check(all("+" in f for f in files), "a font without a subset tag")


@test
def pages_cid_to_gid_maps(ctx):
    """Each face is a Type 0 font whose CIDs are the face's glyph numbers: its ToUnicode map
    gives each CID drawn its character, and its CIDToGIDMap (deflated by briefc) takes the
    CIDs drawn to distinct glyphs of the embedded subset, below its glyph count, and no
    other CID to a glyph; the letters a to z of the text all have their CIDs mapped."""
    need("qpdf")
    out = ctx.tmp("gidmap")
    pdf = build_pdf(ctx, SOURCE, "briefing", out)
    objs = qpdf_json(pdf)["qpdf"][1]
    val = lambda ref: objs.get(f"obj:{ref}", {}).get("value")  # noqa: E731

    stream = lambda ref: qpdf_stream(pdf, ref)  # noqa: E731
    fonts = [v for v in (o.get("value") for o in objs.values() if isinstance(o, dict))
             if isinstance(v, dict) and v.get("/Subtype") == "/Type0"]
    check(len(fonts) >= 3, f"{len(fonts)} Type 0 fonts")
    letters = set()
    for t0 in fonts:
        name = t0.get("/BaseFont")
        check(t0.get("/Encoding") == "/Identity-H", f"{name}: encoding {t0.get('/Encoding')}")
        cid = val(t0["/DescendantFonts"][0])
        check(cid.get("/Subtype") == "/CIDFontType2", f"{name}: descendant {cid.get('/Subtype')}")
        tounicode = stream(t0["/ToUnicode"]).decode("ascii")
        cids = {int(c, 16): chr(int(u, 16))
                for c, u in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]{4})>", tounicode)}
        check(cids, f"{name}: an empty ToUnicode map")
        data = stream(cid["/CIDToGIDMap"])
        check(len(data) == 2 * (max(cids) + 1), f"{name}: a map of {len(data)} bytes for CIDs up to {max(cids)}")
        gid = lambda c: int.from_bytes(data[2 * c:2 * c + 2], "big")  # noqa: E731
        prog = stream(val(cid["/FontDescriptor"])["/FontFile2"])
        tables = {}
        for t in range(int.from_bytes(prog[4:6], "big")):
            rec = prog[12 + 16 * t:28 + 16 * t]
            tables[rec[:4].decode("latin-1")] = int.from_bytes(rec[8:12], "big")
        u16 = lambda at: int.from_bytes(prog[at:at + 2], "big")  # noqa: E731
        check(all(t in tables for t in ("maxp", "head", "hhea", "hmtx")), f"{name}: tables {sorted(tables)}")
        check(not {"GSUB", "GPOS"} & set(tables), f"{name}: layout tables embedded")
        glyphs, upem, nmetrics = u16(tables["maxp"] + 4), u16(tables["head"] + 18), u16(tables["hhea"] + 34)
        check(glyphs, f"{name}: no glyph count in the program")
        # each width /W gives equals the glyph's advance in the program, in 1/1000 em
        widths, w = {}, cid.get("/W", [])
        for i in range(0, len(w) - 1, 2):
            for k, wd in enumerate(w[i + 1]):
                widths[w[i] + k] = wd
        for c in cids:
            g = gid(c)
            if c == 0 or not 0 < g < glyphs:
                continue
            adv = u16(tables["hmtx"] + 4 * min(g, nmetrics - 1))
            check(widths.get(c) == adv * 1000 // upem,
                  f"{name}: CID {c} ({cids[c]!r}): /W {widths.get(c)}, the program {adv * 1000 // upem}")
        drawn = [gid(c) for c in cids if c != 0]
        check(all(0 < g < glyphs for g in drawn), f"{name}: a CID maps outside the subset's {glyphs} glyphs")
        check(len(set(drawn)) == len(drawn), f"{name}: two CIDs map to one glyph")
        mapped = sum(1 for i in range(0, len(data), 2) if data[i:i + 2] != b"\0\0")
        check(mapped == len(drawn), f"{name}: {mapped} CIDs have glyphs, {len(drawn)} were drawn")
        letters |= {ch for c, ch in cids.items() if "a" <= ch <= "z" and gid(c)}
    missing = sorted(set("abcdefghijklmnopqrstuvwxyz") - letters)
    check(not missing, f"letters without a mapped CID: {missing}")
