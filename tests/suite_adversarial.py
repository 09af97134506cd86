"""suite_adversarial.py: hostile and extreme inputs, and faults while writing the output.

Every case states its exit code, its diagnostic (the exact lines where they are stable, else
a part), a time bound and a memory bound (the address space, RLIMIT_AS), and checks that
nothing partial is left: no output at all after an error, whole files after success, and
never a temporary file. No case may crash, hang, trip a sanitizer or print libxml2's own
messages. Small inputs are committed in tests/adversarial/; big ones are made here.

Under BRIEFC_VALGRIND=1 the time bounds stretch (harness.VALGRIND_SLOWDOWN), memory bounds
are dropped, and the largest inputs shrink (the 10 MB paragraph to 1 MB, 50,000 table rows
to 5,000, 40,000 pages to 34,000): memcheck looks for memory errors, not for scale.
"""
import os
import re
import resource
import shutil
import signal
import socket
import stat
import struct
import subprocess
import time
import zlib

from harness import HERE, ROOT, SOURCE, VALGRIND, VALGRIND_SLOWDOWN, Failure, check, need, run, test

ADV = os.path.join(HERE, "adversarial")
MINIMAL = os.path.join(HERE, "golden", "minimal.xml")
CANARIES = ["CANARY-41d7e2", "CANARY-7f3a9c"]  # tests/adversarial/secret.txt, tests/bad/secret.txt
MiB = 1 << 20


def minimal_text():
    return open(MINIMAL, encoding="utf-8").read()


# ---------------------------------------------------------------- running one case


def limits(mem_mb, fsize=None):
    """preexec_fn: the memory bound (address space), no core files; a file size limit with
    SIGXFSZ ignored, so that writing past it fails with EFBIG like a full disk."""
    def apply():
        if mem_mb and not VALGRIND:
            resource.setrlimit(resource.RLIMIT_AS, (mem_mb * MiB, mem_mb * MiB))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    return apply


def clean_stderr(name, err):
    """No sanitizer report, no crash message, no stray libxml2 output, no control characters."""
    for bad in ("runtime error:", "AddressSanitizer", "LeakSanitizer", "Segmentation fault",
                "Assertion", "parser error :", "encoding error :", "I/O error :"):
        check(bad not in err, f"{name}: stderr has {bad!r}: {err[-600:]}")
    check(not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", err), f"{name}: control characters in stderr")


def no_temp_files(name, out):
    if not os.path.isdir(out):
        return
    temps = [f for f in os.listdir(out) if re.search(r"\.(pdf|tex)\.\w{6}$", f)]
    check(temps == [], f"{name}: temporary files left in {out}: {temps}")


def whole_pdf(name, path):
    data = open(path, "rb").read()
    check(data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF"),
          f"{name}: {os.path.basename(path)} is not a whole PDF ({len(data)} bytes)")
    return data


def whole_tex(name, path):
    text = open(path, encoding="utf-8").read()
    check(text.rstrip().endswith("\\end{document}"), f"{name}: {os.path.basename(path)} is cut short")
    return text


def bounded(ctx, name, args, code, secs, mem_mb, *, out=None, lines=None, contains=(),
            outputs=(), cwd=None, fsize=None):
    """Runs briefc with args under the bounds; checks the exit code, the diagnostics (lines:
    the exact stderr, with FILE for the source as given; contains: parts of it), the files in
    out (exactly `outputs` on success, none on failure) and that no secret leaked."""
    t0 = time.monotonic()
    try:
        r = run([ctx.briefc] + args, text=True, errors="replace", timeout=secs, cwd=cwd,
                preexec_fn=limits(mem_mb, fsize))
    except subprocess.TimeoutExpired:
        raise Failure(f"{name}: no result within the time bound of {secs} s")
    took = time.monotonic() - t0
    check(r.returncode >= 0, f"{name}: killed by signal {-r.returncode}: {r.stderr[-400:]}")
    check(r.returncode == code, f"{name}: exit {r.returncode}, want {code}: {r.stderr[-800:]}")
    clean_stderr(name, r.stderr)
    if lines is not None:
        src = args[1] if len(args) > 1 else ""
        want = "\n".join(lines).replace("FILE", src)
        got = r.stderr.strip()
        check(got == want, f"{name}: stderr\n{got[:1500]}\nwant\n{want}")
    for part in contains:
        check(part in r.stderr, f"{name}: stderr lacks {part!r}: {r.stderr[-800:]}")
    for c in CANARIES:
        check(c not in r.stdout + r.stderr, f"{name}: a secret file's contents leaked")
    if out is not None:
        no_temp_files(name, out)
        have = sorted(os.listdir(out)) if os.path.isdir(out) else []
        check(have == sorted(outputs), f"{name}: files in the output directory {have}, want {sorted(outputs)}")
        for f in outputs:
            p = os.path.join(out, f)
            if f.endswith(".pdf"):
                data = whole_pdf(name, p)
            else:
                data = whole_tex(name, p).encode()
            for c in CANARIES:
                check(c.encode() not in data, f"{name}: a secret file's contents reached {f}")
    r.took = took
    return r


def source_case(ctx, name, text, encoding="utf-8"):
    """Writes a generated source into its own directory; returns its path."""
    d = ctx.tmp("adv-" + name)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, name + ".xml")
    with open(path, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def build(ctx, name, src, code, secs=30, mem_mb=512, fmt="pdf", **kw):
    """briefc build SRC --out DIR: on success the outputs are <stem>.pdf / .tex."""
    out = ctx.tmp("adv-out-" + name)
    stem = os.path.splitext(os.path.basename(src))[0]
    outputs = []
    if code == 0:
        outputs = [f"{stem}.{ext}" for ext in fmt.split(",")]
    extra = kw.pop("extra", [])
    return bounded(ctx, name, ["build", src, "--out", out, "--format", fmt] + extra, code, secs,
                   mem_mb, out=out, outputs=outputs, **kw), out


def register(name, fn):
    """Adds fn as a test called adversarial_<name>."""
    fn.__name__ = "adversarial_" + name
    test(fn)


# ---------------------------------------------------------------- entities, DTDs, XInclude

DOCTYPE = "FILE:2: error: a DOCTYPE is not allowed (no DTDs or entity declarations in sources)"

# committed case: exit code, exact stderr (FILE: the path given)
COMMITTED = {
    "billion-laughs": (1, [DOCTYPE]),
    "entity-in-attribute": (1, [DOCTYPE]),
    "external-entity-file": (1, [DOCTYPE]),
    "external-parameter-entity": (1, [DOCTYPE]),
    "external-dtd": (1, [DOCTYPE]),
    "undeclared-entity": (1, ["FILE:31:23: error: Entity 'leak' not defined"]),
    "xinclude": (1, ["FILE:31: error: Did not expect element include there",
                     "FILE:31: error: Element p has extra content: include"]),
    "stylesheet-pi": (0, []),  # a processing instruction is ignored, and loads nothing
}


def committed_case(name, code, lines):
    def fn(ctx):
        src = os.path.relpath(os.path.join(ADV, name + ".xml"), ROOT)
        # time: 10 s; memory: 256 MiB (a billion laughs expanded would need gigabytes)
        build(ctx, name, src, code, secs=10, mem_mb=256, lines=lines, cwd=ROOT)
    register(name.replace("-", "_"), fn)


for _name, (_code, _lines) in COMMITTED.items():
    committed_case(_name, _code, _lines)


def adv_quadratic_blowup(ctx):
    """A 20,000-character entity referenced 20,000 times (400 MB if expanded): refused at
    the DOCTYPE, in well under a second and 256 MiB."""
    body = minimal_text().split("\n", 1)[1]
    text = ('<?xml version="1.0"?>\n<!DOCTYPE dossier [<!ENTITY a "' + "A" * 20000 + '">]>\n' +
            body.replace("<p>Two terms.</p>", "<p>" + "&a;" * 20000 + "</p>"))
    src = source_case(ctx, "quadratic", text)
    build(ctx, "quadratic", src, 1, secs=10, mem_mb=256, lines=[DOCTYPE])


register("quadratic_blowup", adv_quadratic_blowup)


class Listener:
    """A TCP listener on a random loopback port that counts the connections made to it."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]

    def connections(self):
        self.sock.setblocking(False)
        n = 0
        while True:
            try:
                c, _ = self.sock.accept()
                c.close()
                n += 1
            except (BlockingIOError, OSError):
                return n

    def close(self):
        self.sock.close()


def adv_external_loopback(ctx):
    """External entities, an external DTD, XInclude, a style sheet and an image pointing at
    a listener on 127.0.0.1: every one refused or not found, and no connection made."""
    lst = Listener()
    try:
        url = f"http://127.0.0.1:{lst.port}/x"
        body = minimal_text().split("\n", 1)[1]
        decl = '<?xml version="1.0"?>\n'
        cases = {
            "url-entity": (decl + f'<!DOCTYPE dossier [<!ENTITY e SYSTEM "{url}">]>\n' +
                           body.replace("<p>Two terms.</p>", "<p>&e;</p>"), 1, [DOCTYPE]),
            "url-parameter-entity": (decl + f'<!DOCTYPE dossier [<!ENTITY % e SYSTEM "{url}"> %e;]>\n' + body,
                                     1, [DOCTYPE]),
            "url-dtd": (decl + f'<!DOCTYPE dossier PUBLIC "-//x//y" "{url}">\n' + body, 1, [DOCTYPE]),
            "url-xinclude": (decl + body.replace(
                "<p>Two terms.</p>",
                f'<p>Two terms.<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{url}"/></p>'),
                1, ["FILE:31: error: Did not expect element include there",
                    "FILE:31: error: Element p has extra content: include"]),
            "url-image": (decl + body.replace(
                "<p>Two terms.</p>", f'<p>Two terms.</p><image src="{url}.png"><caption>x</caption></image>'),
                1, [f"FILE:31: error: image '{url}.png': no such file"]),
            "url-schema-location": (decl + body.replace(
                '<dossier id="mini"',
                f'<dossier xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="x {url}" id="mini"'),
                1, None),
        }
        for name, (text, code, lines) in cases.items():
            src = source_case(ctx, name, text)
            build(ctx, name, src, code, secs=10, mem_mb=256, lines=lines)
        # a style sheet extending a URL
        sty = os.path.join(ctx.tmp("adv-url-style"), "s.xml")
        os.makedirs(os.path.dirname(sty), exist_ok=True)
        open(sty, "w").write(f'<?xml version="1.0"?>\n<style extends="{url}.xml"/>\n')
        r = bounded(ctx, "url-style", ["check", MINIMAL, "--style", sty], 3, 10, 256)
        check("cannot read file" in r.stderr, r.stderr)
        check(lst.connections() == 0, "a connection was made to the loopback listener")
    finally:
        lst.close()


register("external_loopback_url", adv_external_loopback)


def adv_external_absolute_file(ctx):
    """file:// and absolute paths to the secret: refused; its contents appear nowhere."""
    secret = os.path.join(ADV, "secret.txt")
    body = minimal_text().split("\n", 1)[1]
    for i, ref in enumerate([secret, "file://" + secret, "file:///etc/passwd"]):
        text = ('<?xml version="1.0"?>\n' + f'<!DOCTYPE dossier [<!ENTITY e SYSTEM "{ref}">]>\n' +
                body.replace("<p>Two terms.</p>", "<p>&e;</p>"))
        src = source_case(ctx, f"abs-entity-{i}", text)
        build(ctx, f"abs-entity-{i}", src, 1, secs=10, mem_mb=256, lines=[DOCTYPE])
    # a style sheet with a DOCTYPE is refused the same way
    sty = os.path.join(ctx.tmp("adv-style-dtd"), "s.xml")
    os.makedirs(os.path.dirname(sty), exist_ok=True)
    open(sty, "w").write(f'<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY e SYSTEM "{secret}">]>\n'
                         '<style name="&e;"/>\n')
    bounded(ctx, "style-dtd", ["check", MINIMAL, "--style", sty], 1, 10, 256,
            lines=[f"{sty}:2: error: a DOCTYPE is not allowed (no DTDs or entity declarations in sources)"])


register("external_absolute_file", adv_external_absolute_file)


# ---------------------------------------------------------------- nesting and sizes


def nested(k):
    return minimal_text().replace("<p>Two terms.</p>", "<p>" + "<em>" * k + "deep" + "</em>" * k + "</p>")


def adv_depth(ctx):
    """The <p> of the agreement's summary is 4 levels deep (dossier, agreement, summary, p):
    253 nested <em> inside it reach 256 levels below the root, the limit, and make a whole
    PDF and .tex; one more is a diagnostic at the element that goes past it."""
    src = source_case(ctx, "depth-at-limit", nested(253))
    build(ctx, "depth-at-limit", src, 0, secs=20, mem_mb=512, fmt="pdf,tex", lines=[])
    src = source_case(ctx, "depth-past-limit", nested(254))
    col = 1 + len("    <summary><p>") + len("<em>") * 253  # the <em> that is one level too deep
    build(ctx, "depth-past-limit", src, 1, secs=10, mem_mb=256,
          lines=[f"FILE:31:{col}: error: elements are nested more than 256 levels deep (the limit)"])


register("nesting_depth", adv_depth)


def words(nbytes, seed=7):
    """nbytes of pseudo-random lowercase words separated by single spaces."""
    import random
    rnd = random.Random(seed)
    vocab = ["".join(rnd.choice("etaoinshrdlucmfwyp") for _ in range(rnd.randint(2, 10))) for _ in range(2000)]
    out, n, i = [], 0, 0
    while n < nbytes:
        w = vocab[i % len(vocab)]
        out.append(w)
        n += len(w) + 1
        i += 1
    s = " ".join(out)[:nbytes]
    return s[:-1] + "x" if s.endswith(" ") else s


def adv_text_node_limit(ctx):
    """One text node of exactly 10,000,000 bytes: a paragraph of 10 MB, laid out into a
    whole PDF (about 2,150 pages; 22 s and 1.2 GB in a Debug build, bound 150 s and 3 GiB)
    and .tex. One byte more is a diagnostic, whatever the text is made of (one run of
    characters, with entity references, a CDATA section); likewise a comment or an attribute
    value past 10,000,000 bytes and a name past 50,000."""
    limit = 10_000_000
    size = limit if not VALGRIND else 1_000_000
    m = minimal_text()
    src = source_case(ctx, "text-at-limit", m.replace("<p>Two terms.</p>", "<p>" + words(size) + "</p>"))
    r, out = build(ctx, "text-at-limit", src, 0, secs=150, mem_mb=3072, fmt="pdf,tex", lines=[])
    if not VALGRIND:
        need("pdfinfo")
        info = run(["pdfinfo", os.path.join(out, "text-at-limit.pdf")], text=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        check(pages > 1500, f"a 10 MB paragraph on only {pages} pages")
    past = {
        "text-past-limit": (m.replace("<p>Two terms.</p>", "<p>" + "a" * (limit + 1) + "</p>"),
                            # (the column where the reader finds the text too long: it starts
                            # at 18; the file is read a chunk at a time)
                            ["FILE:31:10000018: error: text longer than the limit of 10000000 bytes"]),
        "text-entities-past-limit": (m.replace("<p>Two terms.</p>", "<p>" + "abcd&amp;" * 2_000_001 + "</p>"),
                                     None),
        "cdata-past-limit": (m.replace("<p>Two terms.</p>", "<p><![CDATA[" + "c" * (limit + 1) + "]]></p>"),
                             None),
        "comment-past-limit": (m.replace("<background>", "<background><!--" + "c" * (limit + 1) + "-->"),
                               None),
        "attribute-past-limit": (m.replace('place="Border"', 'place="' + "b" * (limit + 1) + '"'), None),
        "name-past-limit": (m.replace("<background>", "<background><" + "n" * 50_001 + "/>"),
                            # (the column where the reader finds the name's end: it starts at 16)
                            ["FILE:42:50017: error: a name longer than the limit of 50000 bytes"]),
    }
    what = {"text-entities-past-limit": "text", "cdata-past-limit": "text",
            "comment-past-limit": "a comment", "attribute-past-limit": "an attribute value"}
    for name, (text, lines) in past.items():
        src = source_case(ctx, name, text)
        r, _ = build(ctx, name, src, 1, secs=20, mem_mb=512, lines=lines)
        if lines is None:
            want = f"error: {what[name]} longer than the limit of 10000000 bytes"
            check(len(r.stderr.strip().splitlines()) == 1 and want in r.stderr,
                  f"{name}: want one line with {want!r}: {r.stderr[:500]}")


register("text_node_limit_and_10mb_paragraph", adv_text_node_limit)


def adv_file_size_limit(ctx):
    """A source of exactly 64 MiB (65,000 paragraphs in the background) is read, validated
    and checked (bound 60 s, 1 GiB); one byte more is refused before reading (a sparse file:
    nothing is written to disk). A run of white space longer than 10,000,000 bytes is a
    diagnostic of its own (libxml2 will not look that far ahead)."""
    m = minimal_text().encode()
    d = ctx.tmp("adv-size")
    os.makedirs(d, exist_ok=True)
    at = os.path.join(d, "at-limit.xml")
    para = b"<p>" + b"lorem ipsum dolor sit amet " * 37 + b"</p>\n"
    n = (64 * MiB - len(m)) // len(para)
    fill = 64 * MiB - len(m) - n * len(para)
    with open(at, "wb") as f:
        f.write(m.replace(b"<background>", b"<background>" + b" " * fill + para * n))
    check(os.path.getsize(at) == 64 * MiB, "the case is not 64 MiB")
    bounded(ctx, "size-at-limit", ["check", at], 0, 60, 1024, lines=[])
    past = os.path.join(d, "past-limit.xml")
    with open(past, "wb") as f:
        f.truncate(64 * MiB + 1)
    build(ctx, "size-past-limit", past, 1, secs=10, mem_mb=256,
          lines=["FILE: error: file is larger than the limit of 67108864 bytes"])
    blanks = os.path.join(d, "blanks.xml")
    with open(blanks, "wb") as f:
        f.write(m + b" " * 10_000_001)
    r, _ = build(ctx, "white-space-past-limit", blanks, 1, secs=20, mem_mb=512)
    check(r.stderr.strip().endswith("error: a run of white space or a piece of markup longer than the "
                                    "limit of 10000000 bytes"), r.stderr)
    os.unlink(at)


register("file_size_limit", adv_file_size_limit)


# ---------------------------------------------------------------- invalid UTF-8 and characters

# (bytes put into "<p>Two X terms.</p>" at line 31, column 21), expected message
UTF8 = {
    "overlong-2": (b"\xc0\xaf", "Input is not proper UTF-8, indicate encoding ! Bytes: 0xC0 0xAF 0x20 0x74"),
    "overlong-3": (b"\xe0\x80\xaf", "Input is not proper UTF-8, indicate encoding ! Bytes: 0xE0 0x80 0xAF 0x20"),
    "overlong-4": (b"\xf0\x80\x80\xaf", "Input is not proper UTF-8, indicate encoding ! Bytes: 0xF0 0x80 0x80 0xAF"),
    "surrogate-high": (b"\xed\xa0\x80", "Char 0xD800 out of allowed range"),
    "surrogate-low": (b"\xed\xbf\xbf", "Char 0xDFFF out of allowed range"),
    "truncated-2": (b"\xc3", "Input is not proper UTF-8, indicate encoding ! Bytes: 0xC3 0x20 0x74 0x65"),
    "truncated-3": (b"\xe2\x82", "Input is not proper UTF-8, indicate encoding ! Bytes: 0xE2 0x82 0x20 0x74"),
    "truncated-4": (b"\xf0\x9f\x98", "Input is not proper UTF-8, indicate encoding ! Bytes: 0xF0 0x9F 0x98 0x20"),
    "lone-continuation": (b"\x80", "Input is not proper UTF-8, indicate encoding ! Bytes: 0x80 0x20 0x74 0x65"),
    "byte-fe": (b"\xfe", "Input is not proper UTF-8, indicate encoding ! Bytes: 0xFE 0x20 0x74 0x65"),
    "byte-ff": (b"\xff", "Input is not proper UTF-8, indicate encoding ! Bytes: 0xFF 0x20 0x74 0x65"),
    "five-byte-lead": (b"\xf5\x80\x80\x80", "Char 0x140000 out of allowed range"),
    "above-10ffff": (b"\xf4\x90\x80\x80", "Char 0x110000 out of allowed range"),
    "nul": (b"\x00", "Char 0x0 out of allowed range"),
    "control-01": (b"\x01", "PCDATA invalid Char value 1"),
    "control-0b": (b"\x0b", "PCDATA invalid Char value 11"),
    "control-1f": (b"\x1f", "PCDATA invalid Char value 31"),
    "noncharacter-fffe": (b"\xef\xbf\xbe", "Char 0xFFFE out of allowed range"),
    "noncharacter-ffff": (b"\xef\xbf\xbf", "Char 0xFFFF out of allowed range"),
}
# character references: (reference, column, message)
CHARREF = {
    "ref-nul": ("&#0;", 25, "xmlParseCharRef: invalid xmlChar value 0"),
    "ref-control": ("&#x1;", 26, "xmlParseCharRef: invalid xmlChar value 1"),
    "ref-surrogate": ("&#xD800;", 29, "xmlParseCharRef: invalid xmlChar value 55296"),
    "ref-fffe": ("&#xFFFE;", 29, "xmlParseCharRef: invalid xmlChar value 65534"),
    "ref-too-big": ("&#x110000;", 31, "xmlParseCharRef: character reference out of bounds"),
}


def adv_invalid_utf8(ctx):
    """Every kind of invalid UTF-8 and forbidden character, in text, in an attribute, in a
    name, in a comment and cut off at the end of the file: one diagnostic with its line and
    column, exit 1, no output (each within 10 s and 256 MiB)."""
    m = minimal_text().encode()
    for name, (raw, msg) in UTF8.items():
        src = source_case(ctx, "utf8-" + name, m.replace(b"<p>Two terms.</p>", b"<p>Two " + raw + b" terms.</p>"))
        build(ctx, "utf8-" + name, src, 1, secs=10, mem_mb=256, lines=[f"FILE:31:21: error: {msg}"])
    for name, (ref, col, msg) in CHARREF.items():
        src = source_case(ctx, "utf8-" + name, m.replace(b"<p>Two terms.</p>", b"<p>Two " + ref.encode() + b" terms.</p>"))
        build(ctx, "utf8-" + name, src, 1, secs=10, mem_mb=256, lines=[f"FILE:31:{col}: error: {msg}"])
    elsewhere = {
        "in-attribute": (m.replace(b'place="Midtown"/>', b'place="Mid\xc0\xaftown"/>'),
                         "FILE:27:41: error: Input is not proper UTF-8, indicate encoding ! Bytes: 0xC0 0xAF 0x74 0x6F"),
        "in-name": (m.replace(b"<background>", b"<backgr\xed\xa0\x80ound>"), None),
        "in-comment": (m.replace(b"<background>", b"<background><!-- \xff -->"), None),
        "cut-at-end": (m.rstrip() + b"\n<!-- \xe2\x82", None),
        "bom-then-invalid": (b"\xef\xbb\xbf" + m.replace(b"Two terms.", b"Two \xc3 terms."), None),
    }
    for name, (data, line) in elsewhere.items():
        src = source_case(ctx, "utf8-" + name, data)
        r, _ = build(ctx, "utf8-" + name, src, 1, secs=10, mem_mb=256, lines=[line] if line else None)
        check(len(r.stderr.strip().splitlines()) == 1 and ": error: " in r.stderr,
              f"utf8-{name}: want one diagnostic: {r.stderr!r}")


register("invalid_utf8", adv_invalid_utf8)


def adv_declared_encodings(ctx):
    """A source in another declared encoding is converted (UTF-16, Latin-1); one whose bytes
    do not convert is a diagnostic, with no stray message from libxml2 on stderr."""
    m = minimal_text()
    utf16 = "\ufeff" + m.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    src = source_case(ctx, "enc-utf16", utf16.encode("utf-16-le"))
    build(ctx, "enc-utf16", src, 0, secs=20, mem_mb=512, lines=[])
    latin1 = m.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace("Ivan Chief", "Iv\u00e1n Chief")
    latin1 = "".join(c for c in latin1 if ord(c) < 256)
    src = source_case(ctx, "enc-latin1", latin1.encode("latin-1"))
    build(ctx, "enc-latin1", src, 0, secs=20, mem_mb=512, lines=[])
    src = source_case(ctx, "enc-ebcdic", m.replace('encoding="UTF-8"', 'encoding="EBCDIC-US"').encode())
    r, _ = build(ctx, "enc-ebcdic", src, 1, secs=10, mem_mb=256)
    check(r.stderr.startswith(src + ":1:") and len(r.stderr.strip().splitlines()) == 1, r.stderr)


register("declared_encodings", adv_declared_encodings)


def adv_characters_no_font_covers(ctx):
    """Characters no font has (CJK, private use), outside the BMP, and DEL and C1 controls
    (allowed by XML): a whole PDF, each character named once in a warning (control
    characters shown as <U+XXXX>, never raw on a terminal); past 100 distinct characters one
    line counts the rest. 20,000 distinct uncovered characters: 10 s, 512 MiB."""
    m = minimal_text()
    src = source_case(ctx, "glyphs", m.replace(
        "<p>Two terms.</p>", "<p>Two \u4e2d\u6587 \ue000 \U0001F600 \u007f \u0085 \u009b terms \u4e2d.</p>"))
    build(ctx, "glyphs", src, 0, secs=20, mem_mb=512, fmt="pdf,tex", lines=[
        "FILE:31: warning: no font covers character U+4E2D '\u4e2d'; shown as a blank",
        "FILE:31: warning: no font covers character U+6587 '\u6587'; shown as a blank",
        "FILE:31: warning: no font covers character U+E000 '\ue000'; shown as a blank",
        "FILE:31: warning: character U+1F600 '\U0001F600' is outside the Basic Multilingual Plane, "
        "which the PDF backend cannot show",
        "FILE:31: warning: no font covers character U+007F '<U+007F>'; shown as a blank",
        "FILE:31: warning: no font covers character U+0085 '<U+0085>'; shown as a blank",
        "FILE:31: warning: no font covers character U+009B '<U+009B>'; shown as a blank",
    ])
    cjk = "".join(chr(0x4E00 + i) for i in range(20000))
    text = "\n".join(" ".join(cjk[i + k:i + k + 5] for k in range(0, 50, 5)) for i in range(0, len(cjk), 50))
    src = source_case(ctx, "glyphs-many", m.replace("<p>Two terms.</p>", "<p>" + text + " " + text + "</p>"))
    r, _ = build(ctx, "glyphs-many", src, 0, secs=20, mem_mb=512)
    lines = r.stderr.strip().splitlines()
    check(len(lines) == 101, f"{len(lines)} warnings for 20,000 characters, want 101")
    check(lines[0] == f"{src}: warning: 19900 more characters that no font covers; shown as blanks", lines[0])


register("characters_no_font_covers", adv_characters_no_font_covers)


# ---------------------------------------------------------------- files that are not sources


def adv_not_sources(ctx):
    """An empty file, a directory, a FIFO (with no writer: must not block), /dev/zero, a
    missing file, a symbolic link loop; as the source and as the style (each 10 s, 256 MiB)."""
    d = ctx.tmp("adv-files")
    os.makedirs(d, exist_ok=True)
    empty = os.path.join(d, "empty.xml")
    open(empty, "w").close()
    fifo = os.path.join(d, "fifo.xml")
    os.mkfifo(fifo)
    loop = os.path.join(d, "loop.xml")
    os.symlink(loop, loop)
    missing = os.path.join(d, "missing.xml")
    cases = [
        (empty, 1, "FILE: error: file is empty"),
        (d, 3, "FILE: error: not a regular file"),
        (fifo, 3, "FILE: error: not a regular file"),
        ("/dev/zero", 3, "FILE: error: not a regular file"),
        (missing, 3, "FILE: error: cannot read file: No such file or directory"),
        (loop, 3, "FILE: error: cannot read file: Too many levels of symbolic links"),
    ]
    for i, (path, code, line) in enumerate(cases):
        build(ctx, f"file-{i}", path, code, secs=10, mem_mb=256, lines=[line])
        out = ctx.tmp(f"adv-style-{i}")
        bounded(ctx, f"style-file-{i}", ["build", MINIMAL, "--style", path, "--out", out], code, 10, 256,
                out=out, lines=[line.replace("FILE", path)])


register("not_sources", adv_not_sources)


# ---------------------------------------------------------------- positions past line 65,535


def adv_error_past_line_70000(ctx):
    """Errors after 70,000 lines are reported on their true lines (libxml2 counts element
    lines in 16 bits): a syntax error, a schema error on an empty element, a reference and a
    date on empty elements with no text around them."""
    m = minimal_text()
    pad = "\n" * 70000
    many = "".join("<p>line</p>\n" for _ in range(70000))
    cases = {
        "syntax": (m.replace("<background>", pad + "<background><p>a < b</p>"),
                   ["FILE:{L}:19: error: StartTag: invalid element name"]),
        "schema": (m.replace("<background>", pad + "<background><bogus/></background><background>"),
                   ["FILE:{L}: error: Did not expect element bogus there",
                    "FILE:{L}: error: Did not expect element background there",
                    "FILE:{L}: error: Element dossier has extra content: background"]),
        "reference": (m.replace("<background>", pad + '<background><p><xref to="nowhere"/></p>'),
                      ["FILE:{L}: error: cross-reference target 'nowhere' is not declared"]),
        "date": (m.replace("<background>", pad + '<background><p><date value="2021-02-30"/></p>'),
                 ["FILE:{L}: error: '2021-02-30' is not a real date (expected YYYY-MM-DD, YYYY-MM or YYYY)"]),
        "after-70000-elements": (m.replace("<background>", "<background>" + many + '<p><xref to="nowhere"/></p>'),
                                 ["FILE:{L}: error: cross-reference target 'nowhere' is not declared"]),
    }
    for name, (text, lines) in cases.items():
        line = text[:text.index("nowhere" if "nowhere" in text else ("bogus" if "bogus" in text else
                                ("2021-02-30" if "2021-02-30" in text else "a < b")))].count("\n") + 1
        check(line > 70000, f"{name}: the error is on line {line}")
        src = source_case(ctx, "line-" + name, text)
        build(ctx, "line-" + name, src, 1, secs=30, mem_mb=512, lines=[l.replace("{L}", str(line)) for l in lines])


register("error_past_line_70000", adv_error_past_line_70000)


# ---------------------------------------------------------------- big documents


def adv_long_word(ctx):
    """A word of 100,000 characters: broken inside with one warning; a whole PDF and .tex
    (about 1 s in a Debug build; bound 60 s, 1 GiB)."""
    src = source_case(ctx, "long-word", minimal_text().replace("<p>Two terms.</p>", "<p>" + "w" * 100_000 + "</p>"))
    r, out = build(ctx, "long-word", src, 0, secs=60, mem_mb=1024, fmt="pdf,tex",
                   lines=["FILE:31: warning: 1 word(s) wider than the line; broken inside, without a hyphen"])
    need("pdftotext")
    text = run(["pdftotext", os.path.join(out, "long-word.pdf"), "-"], text=True).stdout
    check(text.count("w") >= 100_000, f"only {text.count('w')} of the word's 100,000 letters in the PDF")


register("long_word", adv_long_word)


def table_source(nrows):
    rows = "".join(f'<row><cell>Row {i}</cell><cell align="right">{i * 7}</cell></row>' for i in range(nrows))
    return minimal_text().replace('<row><cell>North</cell>', rows + '<row><cell>North</cell>')


def adv_big_table(ctx):
    """A table of 50,000 rows: a whole PDF of about 1,250 pages with the header row on every
    page and the last row on the last page of the table (2 s and 1.1 GB in a Debug build;
    bound 120 s, 3 GiB)."""
    nrows = 50_000 if not VALGRIND else 5_000
    src = source_case(ctx, "table", table_source(nrows))
    r, out = build(ctx, "table", src, 0, secs=120, mem_mb=3072, lines=[])
    pdf = os.path.join(out, "table.pdf")
    need("pdftotext")
    text = run(["pdftotext", pdf, "-"], text=True, timeout=300).stdout
    check(f"Row {nrows - 1}" in text and f"{(nrows - 1) * 7}" in text, "the last row is missing")
    check(text.count("Number") >= nrows // 60, f"the header row repeats only {text.count('Number')} times")


register("table_of_50000_rows", adv_big_table)


TINY_STYLE = """<?xml version="1.0" encoding="UTF-8"?>
<style name="tiny" extends="briefing">
  <page size="custom" width="600pt" height="120pt" margin-top="20pt" margin-bottom="20pt"
        margin-inner="20pt" margin-outer="20pt" header-offset="8pt" footer-offset="8pt"/>
  <block class="cell" size="30pt" leading="60pt"/>
  <layout cell-padding="2pt" toc="none"/>
</style>
"""


def adv_40000_pages(ctx):
    """40,000 pages (libharu's page tree holds 32,767 without help): a page 120 pt high
    holds one table row of 60 pt; a whole PDF that qpdf accepts, with every page (3 s and
    1 GB in a Debug build; bound 120 s, 3 GiB)."""
    nrows = 40_000 if not VALGRIND else 34_000
    m = minimal_text()
    rows = "".join(f"<row><cell>{i}</cell></row>" for i in range(nrows))
    text = (m.replace('<row header="true"><cell>Side</cell><cell align="right">Number</cell></row>', "")
             .replace('<row><cell>North</cell><cell align="right">7</cell></row>', "")
             .replace('<row><cell>South</cell><cell align="right">5</cell></row>', rows))
    src = source_case(ctx, "pages", text)
    sty = os.path.join(os.path.dirname(src), "tiny.xml")
    open(sty, "w").write(TINY_STYLE)
    r, out = build(ctx, "pages", src, 0, secs=120, mem_mb=3072, extra=["--style", sty])
    pdf = os.path.join(out, "pages.pdf")
    need("pdfinfo")
    info = run(["pdfinfo", pdf], text=True, timeout=300)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    check(pages >= nrows, f"{pages} pages, want at least {nrows}")
    check(info.stderr.strip() == "", f"pdfinfo: {info.stderr[:300]}")
    need("qpdf")
    q = run(["qpdf", "--check", pdf], text=True, timeout=600)
    check(q.returncode == 0 and "No syntax or stream encoding errors" in q.stdout, q.stdout[-300:] + q.stderr[-300:])
    # the sections after the table take about 20 pages
    last = run(["pdftotext", "-f", str(pages - 40), "-l", str(pages), pdf, "-"], text=True).stdout.split()
    check(str(nrows - 1) in last and str(nrows - 2) in last, f"row {nrows - 1} is not on the last pages")


register("pages_40000", adv_40000_pages)


# ---------------------------------------------------------------- images


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(w, h, raw=None, colour=0):
    """A PNG of w x h grey (colour 0) or RGB (2) pixels; raw: the IDAT's filtered bytes."""
    ihdr = struct.pack(">IIBBBBB", w, h, 8, colour, 0, 0, 0)
    if raw is None:
        raw = (b"\x00" + b"\x80" * (w * (3 if colour == 2 else 1))) * h
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(raw, 9)) +
            png_chunk(b"IEND", b""))


def png_header_only(w, h):
    """A PNG whose header claims w x h pixels, with one row of data (a decompression bomb
    would look like this to a decoder that trusts the header)."""
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + png_chunk(b"IEND", b""))


def adv_images(ctx):
    """Corrupt, truncated and lying PNG and JPEG files, images at and past the size limits,
    and paths that lead out of the source's directory: each a diagnostic naming the image
    (or, at the limits, a whole PDF), within 30 s and 1 GiB."""
    d = ctx.tmp("adv-images")
    os.makedirs(os.path.join(d, "sub"), exist_ok=True)
    jpeg = open(os.path.join(HERE, "images", "photo.jpg"), "rb").read()
    good = png(40, 20, colour=2)
    sof = jpeg.index(b"\xff\xc0")
    files = {
        "good.png": good,
        "side-limit.png": png(16384, 1),
        "pixel-limit.png": png(8192, 5120),
        "past-side.png": png_header_only(16385, 1),
        "past-pixels.png": png_header_only(8192, 5121),
        "claims-100000.png": png_header_only(100000, 100000),
        "jpeg-claims-65500.jpg": jpeg[:sof + 5] + struct.pack(">HH", 65500, 65500) + jpeg[sof + 9:],
        "bad-crc.png": good[:-20] + bytes([good[-20] ^ 0xFF]) + good[-19:],
        "bad-zlib.png": good[:45] + b"\xff\xff\xff\xff" + good[49:],
        "truncated-in-idat.png": good[:60],
        "truncated-header.png": good[:20],
        "signature-only.png": good[:8],
        "empty.png": b"",
        "jpeg-truncated.jpg": jpeg[:len(jpeg) // 2],
        "jpeg-soi-only.jpg": b"\xff\xd8",
        "jpeg-garbage.jpg": b"\xff\xd8\xff" + bytes(range(256)) * 4,
        "text.png": b"this is not an image\n",
    }
    for name, data in files.items():
        open(os.path.join(d, name), "wb").write(data)
    os.mkdir(os.path.join(d, "directory.png"))
    os.mkfifo(os.path.join(d, "fifo.png"))
    with open(os.path.join(d, "past-bytes.png"), "wb") as f:
        f.write(good)
        f.truncate(32 * MiB + 1)
    outside = ctx.tmp("adv-images-outside.png")
    open(outside, "wb").write(good)
    os.symlink(outside, os.path.join(d, "link-out.png"))
    os.symlink("/dev/zero", os.path.join(d, "link-zero.png"))
    os.symlink("good.png", os.path.join(d, "link-in.png"))
    ok = ["good.png", "side-limit.png", "pixel-limit.png", "link-in.png"]
    bad = {
        "past-side.png": "16385 x 1 pixels is beyond the limit (16384 on a side, 41943040 pixels)",
        "past-pixels.png": "8192 x 5121 pixels is beyond the limit (16384 on a side, 41943040 pixels)",
        "claims-100000.png": "100000 x 100000 pixels is beyond the limit",
        "jpeg-claims-65500.jpg": "65500 x 65500 pixels is beyond the limit",
        "bad-crc.png": "corrupt or truncated PNG",
        "bad-zlib.png": "corrupt or truncated PNG",
        "truncated-in-idat.png": "corrupt or truncated PNG",
        "truncated-header.png": "PNG",
        "signature-only.png": "PNG",
        "empty.png": "image 'empty.png': ",
        "jpeg-truncated.jpg": "JPEG",
        "jpeg-soi-only.jpg": "JPEG",
        "jpeg-garbage.jpg": "JPEG",
        "text.png": "neither a PNG nor a JPEG file",
        "directory.png": "not a regular file",
        "fifo.png": "not a regular file",
        "past-bytes.png": "larger than the limit of 33554432 bytes",
        "link-out.png": "must be a relative path inside the source's directory",
        "link-zero.png": "must be a relative path inside the source's directory",
        "../adv-images-outside.png": "must be a relative path inside the source's directory",
        "sub/../../adv-images-outside.png": "must be a relative path inside the source's directory",
        "/etc/passwd": "must be a relative path inside the source's directory",
        "nowhere.png": "no such file",
    }
    m = minimal_text()
    for i, img in enumerate(ok + list(bad)):
        src = os.path.join(d, f"case-{i}.xml")
        open(src, "w").write(m.replace("<p>Two terms.</p>",
                                       f'<p>Two terms.</p><image src="{img}"><caption>c</caption></image>'))
        if img in ok:
            build(ctx, f"image-{img}", src, 0, secs=30, mem_mb=1024, lines=[])
        else:
            r, _ = build(ctx, f"image-{img}", src, 1, secs=30, mem_mb=1024,
                         contains=[f"case-{i}.xml:31: error: image '{img}", bad[img]])
            check(len(r.stderr.strip().splitlines()) == 1, f"image {img}: {r.stderr}")


register("images", adv_images)


# ---------------------------------------------------------------- style values

STYLE_CASES = [
    # (element, attributes, exit code, a part of the diagnostic)
    ("page", 'size="custom" width="NaNpt" height="800pt"', 1, "error: Element page: attribute width 'NaNpt' does not match the pattern"),
    ("page", 'size="custom" width="infpt" height="800pt"', 1, "error: Element page: attribute width 'infpt' does not match the pattern"),
    ("page", 'size="custom" width="-infpt" height="800pt"', 1, "error: Element page: attribute width '-infpt' does not match the pattern"),
    ("page", 'margin-top="1e308mm"', 1, "error: Element page: attribute margin-top '1e308mm' does not match the pattern"),
    ("page", 'margin-top="-5mm"', 1, "margin-top: '-5mm' must not be negative"),
    ("page", 'margin-top="99999999999999999999999999999999pt"', 1, "is out of range (at most 2000pt)"),
    ("page", 'size="custom" width="2001pt" height="800pt"', 1, "width: '2001pt' is out of range (at most 2000pt)"),
    ("page", 'size="custom" width="2000pt" height="2000pt"', 0, ""),
    ("page", 'size="custom" width="1pt" height="1pt"', 1, "the page is smaller than one inch"),
    ("page", 'margin-inner="300pt" margin-outer="300pt"', 1, "the margins leave less than one inch of text block"),
    ("page", 'columns="1000000"', 1, "columns: '1000000' is out of range (1 to 2)"),
    ("page", 'columns="-1"', 1, "columns: '-1' is out of range (1 to 2)"),
    ("page", 'columns="2" column-gap="1999pt"', 1, "columns narrower than one inch"),
    ("page", 'header-offset="2000pt"', 1, "the running head does not fit in the top margin"),
    ("page", 'footer-offset="2000pt"', 1, "the running foot does not fit in the bottom margin"),
    ('block class="body"', 'size="NaNpt"', 1, "error: Element block: attribute size 'NaNpt' does not match the pattern"),
    ('block class="body"', 'leading="infpt"', 1, "error: Element block: attribute leading 'infpt' does not match the pattern"),
    ('block class="body"', 'size="0pt"', 1, "size: too small is out of range (2pt to 200pt)"),
    ('block class="body"', 'size="2000pt"', 1, "size: too large is out of range (2pt to 200pt)"),
    ('block class="body"', 'size="200pt" leading="2000pt"', 1, "block 'body': its leading is taller than the text block"),
    ('block class="body"', 'indent-left="1999pt"', 1, "block 'body': its indents leave less than one inch"),
    ('block class="body"', 'indent-right="-1pt"', 1, "indent-right: '-1pt' must not be negative"),
    ('block class="body"', 'first-indent="-2000pt"', 1, "block 'body': first-indent reaches past the left margin"),
    ('block class="body"', 'space-before="2000pt"', 0, ""),
    ('block class="item"', 'first-indent="-500pt"', 1, "block 'item': first-indent reaches past the left margin"),
    ('block class="header"', 'size="200pt"', 1, "the running head does not fit in the top margin"),
    ("layout", 'tolerance="NaN"', 1, "error: Element layout: attribute tolerance 'NaN' does not match the pattern"),
    ("layout", 'tolerance="inf"', 1, "error: Element layout: attribute tolerance 'inf' does not match the pattern"),
    ("layout", 'tolerance="-1"', 1, "tolerance: '-1' is out of range (0.5 to 100)"),
    ("layout", 'tolerance="100000"', 1, "tolerance: '100000' is out of range (0.5 to 100)"),
    ("layout", 'hyphen-penalty="99999999999999999999"', 1, "hyphen-penalty: '99999999999999999999' is out of range (0 to 10000)"),
    ("layout", 'adj-demerits="-5"', 1, "adj-demerits: '-5' is out of range (0 to 1000000)"),
    ("layout", 'orphans="1000000"', 1, "orphans: '1000000' is out of range (1 to 5)"),
    ("layout", 'toc-depth="0"', 1, "toc-depth: '0' is out of range (1 to 3)"),
    ("layout", 'rule-width="2000pt"', 1, "rule-width: rules are at most one inch (72pt) thick"),
    ("layout", 'cell-padding="2000pt"', 1, "cell-padding leaves less than one inch for a table cell"),
    ("layout", 'list-indent="2000pt"', 1, "block 'item': its indents leave less than one inch"),
]


def adv_style_values(ctx):
    """Style values that are NaN, infinite, negative, absurdly large, or in range one by one
    but not together on the page: a diagnostic with the style's file and line (or a whole
    PDF with nothing set outside the page), within 20 s and 512 MiB each."""
    d = ctx.tmp("adv-styles")
    os.makedirs(d, exist_ok=True)
    for i, (el, attrs, code, part) in enumerate(STYLE_CASES):
        sty = os.path.join(d, f"s{i}.xml")
        open(sty, "w").write(f'<?xml version="1.0"?>\n<style name="x" extends="briefing">\n  <{el} {attrs}/>\n</style>\n')
        out = os.path.join(d, f"out{i}")
        name = f"style {el} {attrs}"
        r = bounded(ctx, name, ["build", MINIMAL, "--style", sty, "--out", out], code, 20, 512,
                    out=out, outputs=["minimal.pdf"] if code == 0 else [])
        if code:
            check(part in r.stderr and f"{sty}:" in r.stderr, f"{name}: want {part!r}: {r.stderr!r}")
        else:
            lay = run([ctx.briefc, "build", MINIMAL, "--style", sty, "--dump", "layout"], text=True)
            w, h = map(float, re.search(r"size=([\d.]+)x([\d.]+)", lay.stdout).groups())
            for line in lay.stdout.splitlines():
                mm = re.match(r"\s+text (-?[\d.]+) (-?[\d.]+) w=(-?[\d.]+)", line)
                if mm:
                    x, y, bw = map(float, mm.groups())
                    check(-0.01 <= x and x + bw <= w + 0.01 and -0.01 <= y <= h + 0.01,
                          f"{name}: text outside the page: {line.strip()}")


register("style_values", adv_style_values)


# ---------------------------------------------------------------- output faults


def earlier_output(ctx, name):
    """An output directory holding an earlier build of minimal.xml as x.pdf; returns
    (source, out, its bytes). The source of later builds is the full briefing, as x.xml."""
    d = ctx.tmp("fault-" + name)
    os.makedirs(os.path.join(d, "old"), exist_ok=True)
    os.makedirs(os.path.join(d, "new"), exist_ok=True)
    out = os.path.join(d, "out")
    old = os.path.join(d, "old", "x.xml")
    shutil.copy(MINIMAL, old)
    r = run([ctx.briefc, "build", old, "--out", out], text=True)
    check(r.returncode == 0, r.stderr)
    new = os.path.join(d, "new", "x.xml")
    shutil.copy(SOURCE, new)
    return new, out, open(os.path.join(out, "x.pdf"), "rb").read()


def intact(name, out, before):
    files = sorted(os.listdir(out))
    check(files == ["x.pdf"], f"{name}: the output directory holds {files}")
    check(open(os.path.join(out, "x.pdf"), "rb").read() == before, f"{name}: the earlier output changed")


@test
def output_fault_full_disk(ctx):
    """A write that fails for lack of space (a file size limit: EFBIG, as on a full disk; and,
    as root, a tmpfs with 64 KiB free: ENOSPC): exit 3 naming the file, the earlier output intact,
    no temporary file, the space given back."""
    src, out, before = earlier_output(ctx, "full")
    r = bounded(ctx, "file size limit", ["build", src, "--out", out], 3, 60, 1024,
                fsize=len(before) + 1000, contains=[f"cannot write output: {out}/x.pdf: File too large"])
    intact("file size limit", out, before)
    if os.geteuid() != 0 or VALGRIND:
        return
    mnt = ctx.tmp("mnt-full")
    os.makedirs(mnt)
    size = (len(before) // 4096 + 16) * 4096  # the earlier output and 64 KiB more
    m = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", mnt], capture_output=True, text=True)
    if m.returncode != 0:
        return  # no mounts here (a container without the capability): the limit above stands
    try:
        shutil.copy(os.path.join(out, "x.pdf"), os.path.join(mnt, "x.pdf"))
        free = shutil.disk_usage(mnt).free
        r = bounded(ctx, "tmpfs", ["build", src, "--out", mnt], 3, 60, 1024,
                    contains=[f"cannot write output: {mnt}/x.pdf: No space left on device"])
        intact("tmpfs", mnt, before)
        check(shutil.disk_usage(mnt).free == free, "the space of the failed write was not given back")
    finally:
        subprocess.run(["umount", mnt], capture_output=True)


@test
def output_fault_unwritable_directory(ctx):
    """An output directory that cannot be written (read-only; mode 555 when not root, a
    read-only tmpfs as root): exit 3 naming the file, the earlier output intact."""
    src, out, before = earlier_output(ctx, "ro")
    if os.geteuid() != 0:
        os.chmod(out, 0o555)
        try:
            bounded(ctx, "unwritable", ["build", src, "--out", out], 3, 60, 1024,
                    contains=[f"cannot write output: {out}/x.pdf: Permission denied"])
        finally:
            os.chmod(out, 0o755)
        intact("unwritable", out, before)
        return
    mnt = ctx.tmp("mnt-ro")
    os.makedirs(mnt)
    m = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt], capture_output=True, text=True)
    if m.returncode != 0:
        # root without mounts: a directory that is a file's path cannot be written either
        bounded(ctx, "unwritable", ["build", src, "--out", os.path.join(out, "x.pdf")], 3, 60, 1024,
                contains=["Not a directory"])
        intact("unwritable", out, before)
        return
    try:
        shutil.copy(os.path.join(out, "x.pdf"), os.path.join(mnt, "x.pdf"))
        subprocess.run(["mount", "-o", "remount,ro", mnt], check=True, capture_output=True)
        bounded(ctx, "read-only", ["build", src, "--out", mnt], 3, 60, 1024,
                contains=[f"cannot write output: {mnt}/x.pdf: Read-only file system"])
        intact("read-only", mnt, before)
    finally:
        subprocess.run(["umount", mnt], capture_output=True)


def strace_pid(log):
    """The traced process's id, from the first line of strace -f output."""
    try:
        first = open(log).readline()
    except OSError:
        return None
    mm = re.match(r"(\d+) ", first)
    return int(mm.group(1)) if mm else None


@test
def output_fault_killed_while_writing(ctx):
    """SIGKILL while the output is being written: held by strace at the write of the PDF's
    bytes and at the fsync after it, then killed; and killed at 12 moments spread over a
    build. Each time the earlier output is intact or the new one is whole, and no temporary
    file is left (the file is written unnamed and only named once complete)."""
    src, out, before = earlier_output(ctx, "kill")
    ref = ctx.tmp("fault-kill-ref")
    r = run([ctx.briefc, "build", src, "--out", ref], text=True)
    check(r.returncode == 0, r.stderr)
    after = open(os.path.join(ref, "x.pdf"), "rb").read()
    if not VALGRIND:  # (under valgrind the held call would be valgrind's own)
        strace = need("strace")  # ./zigw installs it
        for call in ("write", "fsync"):
            log = ctx.tmp(f"fault-kill-{call}.strace")
            # (on one processor: with two, a child finding the fonts would make the first
            # write, and the parent would wait for it)
            one = [need("taskset"), "-c", str(min(os.sched_getaffinity(0)))]
            p = subprocess.Popen(one + [strace, "-f", "-qq", "-o", log, "-e", f"trace={call}",
                                  "-e", f"inject={call}:delay_enter=10000000:when=1",
                                  ctx.briefc, "build", src, "--out", out],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            pid, deadline = None, time.monotonic() + 60
            while time.monotonic() < deadline:
                pid = strace_pid(log)
                if pid and call + "(" in open(log).read():
                    break
                time.sleep(0.05)
            check(pid is not None, f"{call}: the build never reached {call}")
            # The kill is pending while strace holds briefc; when strace goes (killed: it
            # would sleep out its delay), briefc leaves the held call only to die.
            os.kill(pid, signal.SIGKILL)
            p.kill()
            p.wait(timeout=30)
            for _ in range(200):
                try:
                    if open(f"/proc/{pid}/stat").read().split(") ")[1][0] in "ZX":
                        break
                except (OSError, IndexError):
                    break
                time.sleep(0.05)
            intact(f"killed in {call}", out, before)
    # kills at moments spread over a build
    t0 = time.monotonic()
    run([ctx.briefc, "build", src, "--out", ref], text=True)
    span = time.monotonic() - t0
    for k in range(12):
        p = subprocess.Popen([ctx.briefc, "build", src, "--out", out],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(span * (k + 0.5) / 12)
        p.kill()
        p.wait()
        no_temp_files(f"kill {k}", out)
        now = open(os.path.join(out, "x.pdf"), "rb").read()
        check(now in (before, after), f"kill {k}: x.pdf is neither the earlier output nor the new one")
        check(sorted(os.listdir(out)) == ["x.pdf"], f"kill {k}: {os.listdir(out)}")


@test
def output_fault_concurrent_runs(ctx):
    """Eight runs writing the same file at once, with four different styles: the file is
    always one run's whole output, and no temporary file is left."""
    d = ctx.tmp("fault-concurrent")
    os.makedirs(d)
    src = os.path.join(d, "x.xml")
    shutil.copy(SOURCE, src)
    styles = ["briefing", "memo", "digest", "briefing"]
    wanted = set()
    for s in set(styles):
        ref = os.path.join(d, "ref-" + s)
        r = run([ctx.briefc, "build", src, "--style", s, "--out", ref], text=True)
        check(r.returncode == 0, r.stderr)
        wanted.add(open(os.path.join(ref, "x.pdf"), "rb").read())
    out = os.path.join(d, "out")
    for rnd in range(3):
        cmd = [[ctx.briefc, "build", src, "--style", styles[i % 4], "--out", out] for i in range(8)]
        if VALGRIND:
            from harness import VALGRIND_CMD
            cmd = [VALGRIND_CMD + c for c in cmd]
        procs = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for c in cmd]
        for p in procs:
            _, err = p.communicate(timeout=120 * (VALGRIND_SLOWDOWN if VALGRIND else 1))
            check(p.returncode == 0, f"round {rnd}: exit {p.returncode}: {err[-300:]!r}")
        check(sorted(os.listdir(out)) == ["x.pdf"], f"round {rnd}: {os.listdir(out)}")
        check(open(os.path.join(out, "x.pdf"), "rb").read() in wanted, f"round {rnd}: x.pdf is no run's whole output")


def strace_calls(log):
    """strace -f -y output as (pid, call, first argument, result) tuples, in order (a call
    another process interrupted, "<unfinished ...>" then "<... resumed>", at its start).
    For openat the "first argument" is "O_TMPFILE" when it makes an unnamed file, else the
    path opened."""
    def first(call, args):
        if call == "openat":
            return "O_TMPFILE" if "O_TMPFILE" in args else (args.split(", ") + [""])[1]
        return args.split(", ")[0]
    calls, pending = [], {}
    for line in open(log):
        mm = re.match(r"(\d+) +(\w+)\((.*)\) += (-?\d+)", line)
        if mm:
            calls.append((int(mm.group(1)), mm.group(2), first(mm.group(2), mm.group(3)), int(mm.group(4))))
            continue
        mm = re.match(r"(\d+) +(\w+)\((.*) <unfinished \.\.\.>", line)
        if mm:
            pending[int(mm.group(1))] = len(calls)
            calls.append((int(mm.group(1)), mm.group(2), first(mm.group(2), mm.group(3)), None))
            continue
        mm = re.match(r"(\d+) +<\.\.\. (\w+) resumed>.*\) += (-?\d+)", line)
        if mm and int(mm.group(1)) in pending:
            i = pending.pop(int(mm.group(1)))
            calls[i] = calls[i][:3] + (int(mm.group(3)),)
    return calls


def traced(ctx, log, trace, *args):
    """briefc with args under strace -f (file descriptors shown as paths), the calls named
    in trace written to log: (the run, strace_calls of it)."""
    r = run([need("strace"), "-f", "-qq", "-y", "-o", log, "-e", f"trace={trace}", ctx.briefc, *args],
            text=True, timeout=600)  # (./zigw installs strace)
    return r, strace_calls(log)


@test
def output_fault_archive_durable_when_published(ctx):
    """An archive's workers write their reports into the staging directory without waiting
    for the disk; the parent makes every file, the manifest and the directory durable
    before the one rename that publishes the date, and the new entry after it (strace). A
    date found unchanged is not synced at all (its staging directory is thrown away). A
    failing fsync (EIO, injected) publishes nothing, leaves no staging directory, names the
    file and exits 3."""
    if VALGRIND:  # (the calls would be valgrind's)
        return
    strace = need("strace")  # ./zigw installs it
    d = ctx.tmp("fault-archive-sync")
    os.makedirs(d)
    src = os.path.join(d, "nk.xml")
    shutil.copy(SOURCE, src)
    root = os.path.join(d, "out")
    log = os.path.join(d, "archive.strace")
    r, calls = traced(ctx, log, "fsync,rename", "archive", src, "--as-of", "2021-01-11", "--out", root,
                      "--jobs", "2")
    check(r.returncode == 0, r.stderr)
    snap = os.path.join(root, "nk", "2021-01-11")
    # the date is published by renaming its staging directory, named after the parent
    publish = [i for i, c in enumerate(calls)
               if c[1] == "rename" and re.search(r'/nk/\.2021-01-11\.tmp-\d+"$', c[2])]
    check(len(publish) == 1, f"renames of the staging directory: {publish}")
    parent = calls[publish[0]][0]
    check(calls[publish[0]][2].endswith(f'.tmp-{parent}"'), "the staging directory is not the parent's")
    synced_by = {c[0] for c in calls if c[1] == "fsync"}
    check(synced_by == {parent}, f"fsync by processes other than the parent: {synced_by - {parent}}")
    synced = [c[2] for c in calls[:publish[0]] if c[1] == "fsync" and c[3] == 0]
    staging = f"{root}/nk/.2021-01-11.tmp-{parent}"
    names = sorted(os.listdir(snap))
    check(len(names) == 25, f"{len(names)} files published")
    for name in names:
        check(any(s.endswith(f"<{staging}/{name}>") for s in synced), f"{name} was not synced before publishing")
    check(any(s.endswith(f"<{staging}>") for s in synced), "the staging directory was not synced before publishing")
    after = [c[2] for c in calls[publish[0]:] if c[1] == "fsync"]
    check(any(s.endswith(f"<{root}/nk>") for s in after), "the published entry was not synced")
    # the same date again: unchanged, and nothing waits for the disk
    r, calls = traced(ctx, log, "fsync", "archive", src, "--as-of", "2021-01-11", "--out", root, "--jobs", "2")
    check(r.returncode == 0 and r.stdout.strip() == f"{snap}: unchanged", f"{r.stdout} {r.stderr}")
    synced = [c[2] for c in calls if c[1] == "fsync"]
    check(not synced, f"an unchanged date was synced: {synced[:3]}")
    # the disk fails when the parent makes a report durable: nothing published, exit 3
    root2 = os.path.join(d, "out2")
    r = run([strace, "-f", "-qq", "-o", os.devnull, "-e", "trace=fsync", "-e", "inject=fsync:error=EIO:when=3",
             ctx.briefc, "archive", src, "--as-of", "2021-01-11", "--out", root2, "--jobs", "2"],
            text=True, timeout=600)
    check(r.returncode == 3, f"exit {r.returncode}: {r.stderr}")
    check(re.search(r"briefc: error: .*/nk/\.2021-01-11\.tmp-\d+/nk\..*: Input/output error", r.stderr),
          f"the failing file is not named: {r.stderr}")
    check(os.listdir(os.path.join(root2, "nk")) == [], f"left behind: {os.listdir(os.path.join(root2, 'nk'))}")
    check(r.stdout == "", f"printed {r.stdout!r}")


@test
def output_fault_archive_publishes_in_turn(ctx):
    """An archive of several dates takes its reports date by date (the largest first within
    a date), so that each date is published while the next is made: every process writes
    its reports in the order of their dates, never going back to an earlier one, and every
    date is published once (strace; two processes)."""
    if VALGRIND:  # (the calls would be valgrind's)
        return
    d = ctx.tmp("fault-archive-turns")
    os.makedirs(d)
    dates = ["2021-01-11", "2021-02-11", "2021-03-11"]
    args = [a for x in dates for a in ("--as-of", x)]
    r, calls = traced(ctx, os.path.join(d, "archive.strace"), "rename", "archive", SOURCE, *args,
                      "--out", os.path.join(d, "out"), "--jobs", "2")
    check(r.returncode == 0, r.stderr)
    for x in dates:
        n = len([c for c in calls if re.search(rf'/\.{x}\.tmp-\d+"$', c[2])])
        check(n == 1, f"{x} published {n} times")
    seen = {}  # pid -> the dates of its reports, in the order written
    for c in calls:
        mm = re.search(r'/\.(\d{4}-\d\d-\d\d)\.tmp-\d+/[^/]*\.(pdf|tex)\.\w+"$', c[2])
        if mm:
            seen.setdefault(c[0], []).append(mm.group(1))
    check(len(seen) == 2, f"reports written by {len(seen)} processes")
    for pid, order in seen.items():
        check(order == sorted(order), f"process {pid} went back to an earlier date: {order}")


@test
def output_fault_batch_named_at_end(ctx):
    """A batch (--all-topics, two processes) writes its reports unnamed and names them when a
    process has made its share: no process waits for the disk between two reports (every
    sync comes after its last report file is made), every file's data is synced before any
    rename of its process, and the output directory once, after the last rename (strace).
    A single report still syncs its file, then renames it, then syncs the directory. A sync
    that fails (EIO, injected) leaves that report's earlier file as it was, names it, and
    exits 3; the others are named."""
    if VALGRIND:  # (the calls would be valgrind's)
        return
    d = ctx.tmp("fault-batch-sync")
    os.makedirs(d)
    out = os.path.join(d, "out")
    log = os.path.join(d, "batch.strace")
    r, calls = traced(ctx, log, "fsync,rename,openat", "build", MINIMAL, "--all-topics", "--out", out,
                      "--jobs", "2")
    check(r.returncode == 0, r.stderr)
    files = sorted(os.listdir(out))
    renames = [i for i, c in enumerate(calls) if c[1] == "rename" and c[3] == 0]
    check(len(files) >= 3 and len(renames) == len(files), f"{len(renames)} renames for {files}")
    check(sorted(r.stdout.split()) == sorted(os.path.join(out, f) for f in files), r.stdout)
    made = [i for i, c in enumerate(calls) if c[1] == "openat" and c[2] == "O_TMPFILE"]
    check(len(made) == len(files), f"{len(made)} unnamed files for {len(files)} reports")
    file_syncs = [i for i, c in enumerate(calls) if c[1] == "fsync" and f"<{out}/" in c[2]]
    check(len(file_syncs) == len(files), f"{len(file_syncs)} file syncs for {len(files)} files")
    for pid in {calls[i][0] for i in made}:
        mine = lambda idx: [i for i in idx if calls[i][0] == pid]  # noqa: E731
        check(max(mine(made)) < min(mine(file_syncs)),
              f"process {pid} synced a report before it had made all of its share")
        check(max(mine(file_syncs)) < min(mine(renames)),
              f"process {pid} named a report before every file of its share was synced")
        check(len(mine(file_syncs)) == len(mine(renames)) == len(mine(made)),
              f"process {pid}: {len(mine(made))} made, {len(mine(file_syncs))} synced, "
              f"{len(mine(renames))} named")
    dir_syncs = [i for i, c in enumerate(calls) if c[1] == "fsync" and c[2].endswith(f"<{out}>")]
    check(len(dir_syncs) == 1 and dir_syncs[0] > max(renames),
          f"the directory synced at {dir_syncs}, the renames at {renames}")
    # one report: the file, then the directory
    out1 = os.path.join(d, "one")
    r, calls = traced(ctx, log, "fsync,rename", "build", MINIMAL, "--out", out1)
    check(r.returncode == 0, r.stderr)
    kinds = [("dir" if c[2].endswith(f"<{out1}>") else "file") if c[1] == "fsync" else c[1] for c in calls]
    check(kinds == ["file", "rename", "dir"], f"a single report: {kinds}")
    # the second file's sync fails: that report keeps its earlier file, the others are named
    for f in files:
        with open(os.path.join(out, f), "wb") as fh:
            fh.write(b"earlier " + f.encode())
    r = run([need("strace"), "-f", "-qq", "-o", os.devnull, "-e", "trace=fsync",
             "-e", "inject=fsync:error=EIO:when=2", ctx.briefc, "build", MINIMAL, "--all-topics",
             "--out", out, "--jobs", "1"], text=True, timeout=600)
    check(r.returncode == 3, f"exit {r.returncode}: {r.stderr}")
    m = re.search(r"briefc: error: .*/out/([^/:]+): Input/output error", r.stderr)
    check(m is not None and m.group(1) in files, f"the failing file is not named: {r.stderr}")
    if m is None:
        return
    check(sorted(os.listdir(out)) == files, f"left behind: {sorted(set(os.listdir(out)) - set(files))}")
    for f in files:
        with open(os.path.join(out, f), "rb") as fh:
            body = fh.read()
        if f == m.group(1):
            check(body == b"earlier " + f.encode(), f"{f} was replaced though its sync failed")
            check(os.path.join(out, f) not in r.stdout.split(), f"{f} printed: {r.stdout}")
        else:
            check(body.startswith(b"%PDF-"), f"{f} was not named")
            check(os.path.join(out, f) in r.stdout.split(), f"{f} not printed: {r.stdout}")


@test
def output_fault_batch_names_in_turns(ctx):
    """A batch longer than 64 files (the minimal dossier's reports at 30 dates, one process)
    names them in turns: never more than 64 files made and not yet named, and every one
    named in the end (strace)."""
    if VALGRIND:  # (the calls would be valgrind's)
        return
    d = ctx.tmp("fault-batch-turns")
    os.makedirs(d)
    out = os.path.join(d, "out")
    dates = [a for k in range(30) for a in ("--as-of", f"2021-{2 + k // 28:02d}-{1 + k % 28:02d}")]
    r, calls = traced(ctx, os.path.join(d, "turns.strace"), "rename,openat", "build", MINIMAL,
                      "--all-topics", *dates, "--out", out, "--jobs", "1")
    check(r.returncode == 0, r.stderr)
    files = os.listdir(out)
    check(len(files) > 64, f"only {len(files)} files")
    held = most = 0
    for c in calls:
        if c[1] == "openat" and c[2] == "O_TMPFILE":
            held += 1
            most = max(most, held)
        elif c[1] == "rename" and c[3] == 0:
            held -= 1
    check(held == 0 and 0 < most <= 64, f"{most} files held at most, {held} left unnamed")
    check(len([c for c in calls if c[1] == "rename" and c[3] == 0]) == len(files), "a file not renamed")


@test
def output_fault_batch_without_unnamed_files(ctx):
    """Where the file system makes no unnamed files (O_TMPFILE refused, injected), a batch
    writes each report to a named temporary beside it and names it at the end the same way:
    the same bytes as where it has them, no temporary left; and a report that cannot be
    named (a directory in its way) has its temporary removed, is named in an error (exit 3),
    and the others are named."""
    if VALGRIND:  # (the calls would be valgrind's)
        return
    strace = need("strace")  # ./zigw installs it
    d = ctx.tmp("fault-batch-named")
    os.makedirs(d)
    ref, out = os.path.join(d, "ref"), os.path.join(d, "out")
    r = run([ctx.briefc, "build", MINIMAL, "--all-topics", "--out", ref, "--jobs", "2"], text=True)
    check(r.returncode == 0, r.stderr)
    files = sorted(os.listdir(ref))
    os.makedirs(out)
    def refuse_in(where, log=os.devnull):  # (O_TMPFILE, or any open, in that directory: refused)
        return [strace, "-f", "-qq", "-o", log, "-P", where, "-e", "trace=openat",
                "-e", "inject=openat:error=EOPNOTSUPP"]
    refuse = refuse_in(out)
    r = run(refuse + [ctx.briefc, "build", MINIMAL, "--all-topics", "--out", out, "--jobs", "2"],
            text=True, timeout=600)
    check(r.returncode == 0, f"exit {r.returncode}: {r.stderr}")
    check(sorted(os.listdir(out)) == files, f"{sorted(os.listdir(out))} against {files}")
    for f in files:
        with open(os.path.join(ref, f), "rb") as a, open(os.path.join(out, f), "rb") as b:
            check(a.read() == b.read(), f"{f} differs from the report written unnamed")
    # a report's path is a directory: its temporary is removed, the others are named
    blocked = files[-1]
    for f in files:
        os.remove(os.path.join(out, f))
    os.makedirs(os.path.join(out, blocked))
    r = run(refuse + [ctx.briefc, "build", MINIMAL, "--all-topics", "--out", out, "--jobs", "1"],
            text=True, timeout=600)
    check(r.returncode == 3, f"exit {r.returncode}: {r.stderr}")
    check(re.search(rf"briefc: error: .*/out/{re.escape(blocked)}: Is a directory", r.stderr),
          f"the failing file is not named: {r.stderr}")
    check(sorted(os.listdir(out)) == files, f"left behind: {sorted(set(os.listdir(out)) - set(files))}")
    check(os.path.isdir(os.path.join(out, blocked)), "the directory in the way was replaced")
    check(os.path.join(out, blocked) not in r.stdout.split(), f"{blocked} printed: {r.stdout}")
    # one report, written and named at once, the same way
    main = [f for f in files if f.count(".") == 1][0]  # (the full briefing: stem.pdf)
    one = os.path.join(d, "one")
    os.makedirs(one)
    log = os.path.join(d, "one.strace")
    r = run(refuse_in(one, log) + [ctx.briefc, "build", MINIMAL, "--out", one],
            text=True, timeout=600)
    check(r.returncode == 0, f"one report: exit {r.returncode}: {r.stderr}")
    refused = [l for l in open(log) if "O_TMPFILE" in l and "EOPNOTSUPP (Operation not supported) (INJECTED)" in l]
    check(refused, f"one report: no unnamed file was refused: {open(log).read()[:300]}")
    check(os.listdir(one) == [main], f"one report: {os.listdir(one)}")
    with open(os.path.join(ref, main), "rb") as a, open(os.path.join(one, main), "rb") as b:
        check(a.read() == b.read(), f"one report: {main} differs from the report written unnamed")
    os.remove(os.path.join(one, main))
    os.makedirs(os.path.join(one, main))
    r = run(refuse_in(one) + [ctx.briefc, "build", MINIMAL, "--out", one],
            text=True, timeout=600)
    check(r.returncode == 3 and "Is a directory" in r.stderr, f"one report blocked: exit {r.returncode}: {r.stderr}")
    check(os.listdir(one) == [main], f"one report blocked: left behind {os.listdir(one)}")


@test
def input_fault_patterns_unreadable(ctx):
    """The hyphenation patterns cannot be read (EIO on every read of the file, injected):
    the report is still made, without hyphenation, and the language is named in a warning
    (exit 0); no pattern file half read is used."""
    if VALGRIND:  # (the calls would be valgrind's)
        return
    strace = need("strace")  # ./zigw installs it
    pats = "/usr/share/hyphen/hyph_en_US.dic"
    if not os.path.exists(pats):
        raise Failure(f"{pats} is missing: ./zigw installs hyphen-en-us")
    out = ctx.tmp("fault-patterns")
    r = run([strace, "-f", "-qq", "-o", os.devnull, "-P", os.path.realpath(pats), "-e", "trace=read",
             "-e", "inject=read:error=EIO", ctx.briefc, "build", SOURCE, "--out", out, "--stats"],
            text=True, timeout=600)
    check(r.returncode == 0, f"exit {r.returncode}: {r.stderr[-400:]}")
    check("no hyphenation patterns for language 'en'" in r.stderr, f"not said: {r.stderr[-400:]}")
    m = re.search(r"hyphenated (\d+)", r.stdout)
    check(m is not None and m.group(1) == "0", f"hyphenated without patterns: {r.stdout}")
    ok = run([ctx.briefc, "build", SOURCE, "--out", ctx.tmp("fault-patterns-ok"), "--stats"], text=True)
    m = re.search(r"hyphenated (\d+)", ok.stdout)
    check(ok.returncode == 0 and m is not None and int(m.group(1)) > 0,
          f"the same report with its patterns hyphenates nothing: {ok.stdout}")


@test
def debug_build_has_ubsan(ctx):
    """The binaries under test are Debug builds with UBSan's checks compiled in (Zig's
    default for C in Debug): undefined behaviour in any test aborts it."""
    need("nm")
    for binary in (ctx.briefc, ctx.unit):
        r = run(["nm", binary], text=True)
        check(r.returncode == 0 and "__ubsan_handle_" in r.stdout,
              f"{os.path.basename(binary)} has no UBSan checks: build it in Debug mode")
