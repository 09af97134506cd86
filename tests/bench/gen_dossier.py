#!/usr/bin/env python3
"""gen_dossier.py: writes a synthetic, valid briefc dossier of about N pages (seeded, deterministic).

The text is generated English prose with many long words (so that hyphenation happens),
with every kind of inline markup (actors, dates, cross-references, citations, notes,
emphasis, quotations, foreign names) and every kind of block (paragraphs, lists, tables,
quotations); the actors carry Armenian, Russian, Georgian and Azerbaijani names. The same
arguments always give the same bytes.

Usage: python3 tests/bench/gen_dossier.py --pages N [--seed S] [--out FILE]
The page count is approximate (calibrated against the default style: about 50 lines of
10pt text on an A4 page); bench.py reports the real count.
"""
import argparse
import datetime
import random
import sys

# Words of running text that one page of the default style holds, markup and generated
# text (headings, facts, who's who, notes, references) aside. Calibrated with --stats.
WORDS_PER_PAGE = 320

# ---------------------------------------------------------------- vocabulary

ADJ = """provisional comprehensive humanitarian international administrative constitutional
    intergovernmental multilateral bilateral unilateral extraordinary disproportionate
    unprecedented transitional territorial jurisdictional environmental parliamentary
    institutional operational logistical contested demilitarised internationalised
    uncharacteristic supplementary preliminary confidential procedural substantive
    reciprocal irreversible incremental decentralised long-standing sustainable verifiable
    contradictory inconclusive far-reaching indispensable conditional circumstantial""".split()

NOUN = """implementation reconstruction demilitarisation accountability infrastructure
    representatives responsibilities verification administration consultations
    disengagement arrangements reconciliation transportation establishment commissioners
    interpretation considerations counterproposal telecommunications rehabilitation
    documentation correspondence misunderstanding electrification neighbourhood
    proportionality confidentiality predictability sustainability negotiations
    withdrawal ceasefire corridor settlement checkpoints monitoring delegation
    commission mandate guarantees obligations compliance prisoners refugees
    communications deployment boundaries delimitation demarcation reparations
    observers peacekeepers authorities municipalities villages highways railways""".split()

VERB_PAST = """acknowledged reaffirmed postponed accelerated complicated undermined
    strengthened clarified reinterpreted questioned endorsed facilitated jeopardised
    institutionalised operationalised renegotiated overshadowed characterised
    documented circumvented implemented supervised announced reconsidered""".split()

VERB_INF = """implement reconsider verify supervise postpone accelerate institutionalise
    renegotiate demarcate rehabilitate reconstruct document guarantee coordinate
    administer demilitarise accommodate""".split()

ADV = """reportedly apparently unexpectedly substantially incrementally unilaterally
    provisionally consistently repeatedly notwithstanding""".split()

CONNECT = ["Nevertheless,", "In practice,", "By contrast,", "Subsequently,", "Meanwhile,",
           "Accordingly,", "Consequently,", "Notwithstanding this,", "At the same time,",
           "In the following weeks,", "According to the commissioners,", "Characteristically,"]

PLACES = ["Stepanakert", "Shusha", "Lachin", "Kalbajar", "Agdam", "Goris", "Yerevan", "Baku",
          "Moscow", "Tbilisi", "Ganja", "Fuzuli", "Jabrayil", "Zangilan", "Qubadli", "Sisian",
          "Kapan", "Meghri", "Nakhchivan", "Tovuz", "Ijevan", "Vardenis", "Barda", "Tartar"]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

# Given names and surnames: (script, Latin transliteration), by language.
NAMES = {
    "hy": ([("Արամ", "Aram"), ("Գևորգ", "Gevorg"), ("Հովհաննես", "Hovhannes"), ("Անահիտ", "Anahit"),
            ("Լուսինե", "Lusine"), ("Տիգրան", "Tigran"), ("Նարինե", "Narine"), ("Արմեն", "Armen"),
            ("Սեդա", "Seda"), ("Վարդան", "Vardan")],
           [("Գրիգորյան", "Grigoryan"), ("Պետրոսյան", "Petrosyan"), ("Հակոբյան", "Hakobyan"),
            ("Սարգսյան", "Sargsyan"), ("Խաչատրյան", "Khachatryan"), ("Ավետիսյան", "Avetisyan"),
            ("Մկրտչյան", "Mkrtchyan"), ("Ղազարյան", "Ghazaryan")]),
    "ru": ([("Алексей", "Aleksei"), ("Дмитрий", "Dmitry"), ("Екатерина", "Yekaterina"),
            ("Сергей", "Sergei"), ("Ольга", "Olga"), ("Михаил", "Mikhail"), ("Наталья", "Natalya"),
            ("Андрей", "Andrei"), ("Юрий", "Yuri"), ("Татьяна", "Tatyana")],
           [("Смирнов", "Smirnov"), ("Кузнецов", "Kuznetsov"), ("Волков", "Volkov"),
            ("Соколов", "Sokolov"), ("Лебедев", "Lebedev"), ("Новиков", "Novikov"),
            ("Морозов", "Morozov"), ("Фёдоров", "Fyodorov")]),
    "ka": ([("გიორგი", "Giorgi"), ("ნინო", "Nino"), ("დავით", "Davit"), ("თამარ", "Tamar"),
            ("ლევან", "Levan"), ("მარიამ", "Mariam"), ("ირაკლი", "Irakli"), ("ეკა", "Eka")],
           [("ბერიძე", "Beridze"), ("კაპანაძე", "Kapanadze"), ("გელაშვილი", "Gelashvili"),
            ("მაისურაძე", "Maisuradze"), ("ლომიძე", "Lomidze"), ("წიკლაური", "Tsiklauri")]),
    "az": ([("Elçin", "Elchin"), ("Rəşad", "Rashad"), ("Günel", "Gunel"), ("Ülviyyə", "Ulviyya"),
            ("Tural", "Tural"), ("Nərgiz", "Nargiz"), ("Vüqar", "Vugar"), ("Şahin", "Shahin")],
           [("Məmmədov", "Mammadov"), ("Əliyev", "Aliyev"), ("Hüseynov", "Huseynov"),
            ("Quliyev", "Guliyev"), ("Həsənov", "Hasanov"), ("İsmayılov", "Ismayilov")]),
}

STATES = [  # id, English, lang, own name
    ("az", "Azerbaijan", "az", "Azərbaycan Respublikası"),
    ("am", "Armenia", "hy", "Հայաստանի Հանրապետություն"),
    ("ru", "Russia", "ru", "Российская Федерация"),
    ("ge", "Georgia", "ka", "საქართველო"),
    ("tr", "Turkey", "tr", "Türkiye Cumhuriyeti"),
    ("fr", "France", "fr", "République française"),
    ("ir", "Iran", None, None),
    ("us", "United States", None, None),
]
ORGS = ["United Nations", "OSCE Minsk Group", "European Union", "Council of Europe",
        "International Committee of the Red Cross", "Human Rights Watch",
        "Collective Security Treaty Organisation", "World Bank"]
TOPICS = ["ceasefire", "territory", "peacekeeping", "prisoners", "refugees", "transport",
          "demining", "borders", "diplomacy", "humanitarian", "economy", "monitoring"]
STANCES = ["welcomed", "supportive", "neutral", "concerned", "critical", "rejected", "mixed"]


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class Gen:
    def __init__(self, pages, seed):
        self.r = random.Random(seed)
        self.pages = pages
        self.out = []
        self.words = 0
        self.persons = []       # actor ids of persons
        self.actor_ids = []     # every actor id
        self.terms = []
        self.threads = []
        self.refs = []
        self.day0 = 737738      # 2020-11-10 as a proleptic Gregorian ordinal

    # ------------------------------------------------------------ small pieces
    def date(self, lo=0, hi=3000):
        d = datetime.date.fromordinal(self.day0 + self.r.randint(lo, hi))
        return d.isoformat(), f"{d.day} {MONTHS[d.month - 1]} {d.year}"

    def phrase(self):
        r = self.r
        return f"the {r.choice(ADJ)} {r.choice(NOUN)} of the {r.choice(NOUN)}"

    def inline_extra(self, in_note=False):
        """One piece of inline markup, or plain words."""
        r = self.r
        k = r.random()
        if k < 0.22 and self.persons:
            pid = r.choice(self.persons)
            return f'<actor ref="{pid}">{esc(self.actor_name[pid])}</actor>', 2
        if k < 0.36:
            iso, text = self.date()
            return f'on <date value="{iso}">{text}</date>', 4
        if k < 0.46 and self.terms:
            return f'under <xref to="{r.choice(self.terms)}"/>', 3
        if k < 0.52 and self.threads:
            return f'(see <xref to="{r.choice(self.threads)}"/>)', 5
        if k < 0.62:
            return f"<em>{r.choice(ADJ)} {r.choice(NOUN)}</em>", 2
        if k < 0.68 and self.persons:
            pid = r.choice(self.persons)
            return f'<q by="{pid}">{r.choice(ADJ)} and {r.choice(ADJ)} {r.choice(NOUN)}</q>', 4
        if k < 0.74 and self.refs:
            return f'<cite ref="{r.choice(self.refs)}"/>', 1
        if k < 0.80 and not in_note:
            return f"<note>{self.sentences(r.randint(1, 2), in_note=True)}</note>", 0
        if k < 0.84:
            lang, (names, surnames) = r.choice(list(NAMES.items()))
            g, s = r.choice(names), r.choice(surnames)
            return f"{g[1]} {s[1]} (<foreign xml:lang=\"{lang}\">{g[0]} {s[0]}</foreign>)", 4
        return f"{r.choice(ADV)} {r.choice(VERB_PAST)} {self.phrase()}", 7

    def sentence(self, in_note=False):
        r = self.r
        t = r.randrange(8)
        if t == 0:
            s = f"{r.choice(CONNECT)} {self.phrase()} {r.choice(VERB_PAST)} {self.phrase()}"
            n = 12
        elif t == 1:
            s = (f"The {r.choice(NOUN)} in {r.choice(PLACES)} {r.choice(VERB_PAST)} "
                 f"{self.phrase()}, although {self.phrase()} remained {r.choice(ADJ)}")
            n = 17
        elif t == 2:
            s = (f"Representatives of the {r.choice(ADJ)} {r.choice(NOUN)} agreed to "
                 f"{r.choice(VERB_INF)} {self.phrase()} before the {r.choice(NOUN)} in "
                 f"{r.choice(PLACES)} could {r.choice(VERB_INF)} the {r.choice(NOUN)}")
            n = 20
        elif t == 3:
            s = (f"{r.choice(CONNECT)} observers {r.choice(VERB_PAST)} that {self.phrase()} "
                 f"had been {r.choice(ADV)} {r.choice(VERB_PAST)}")
            n = 13
        elif t == 4:
            s = (f"It was {r.choice(ADJ)} whether {self.phrase()} would "
                 f"{r.choice(VERB_INF)} {self.phrase()} within {r.randint(2, 90)} days")
            n = 17
        elif t == 5:
            s = (f"Some {r.randint(2, 9000):,} {r.choice(NOUN)} and {r.randint(2, 400)} "
                 f"{r.choice(NOUN)} were counted near {r.choice(PLACES)}")
            n = 11
        elif t == 6:
            s = (f"The {r.choice(NOUN)} {r.choice(VERB_PAST)} {self.phrase()}, and "
                 f"{self.phrase()} {r.choice(VERB_PAST)} the {r.choice(ADJ)} {r.choice(NOUN)}")
            n = 17
        else:
            s = (f"{r.choice(CONNECT)} the {r.choice(ADJ)} {r.choice(NOUN)} was "
                 f"{r.choice(ADV)} {r.choice(VERB_PAST)} by {self.phrase()}")
            n = 13
        if r.random() < 0.45:
            x, k = self.inline_extra(in_note)
            s += " " + x if not x.startswith("<note>") else x
            n += k
        self.words += n
        return s[0].upper() + s[1:] + "."

    def sentences(self, k, in_note=False):
        return "\n".join(self.sentence(in_note) for _ in range(k))

    # ------------------------------------------------------------ blocks
    def para(self):
        return f"<p>{self.sentences(self.r.randint(2, 7))}</p>"

    def lst(self):
        r = self.r
        items = []
        for _ in range(r.randint(2, 6)):
            items.append(f"<item>{self.phrase()} {r.choice(VERB_PAST)} {self.phrase()};</item>")
            self.words += 11
        o = ' ordered="true"' if r.random() < 0.4 else ""
        return f"<list{o}>" + "\n".join(items) + "</list>"

    def table(self):
        r = self.r
        cols = r.randint(2, 4)
        rows = [f"<caption>{self.phrase().capitalize()} by {r.choice(NOUN)}</caption>",
                '<row header="true"><cell>' + r.choice(NOUN).capitalize() + "</cell>" +
                "".join(f'<cell align="right">{r.choice(NOUN).capitalize()}</cell>'
                        for _ in range(cols - 1)) + "</row>"]
        for _ in range(r.randint(3, 9)):
            rows.append(f"<row><cell>{r.choice(PLACES)} {r.choice(NOUN)}</cell>" +
                        "".join(f'<cell align="right">{r.randint(0, 99999):,}</cell>'
                                for _ in range(cols - 1)) + "</row>")
            self.words += 6     # a row takes about a line
        return "<table>" + "\n".join(rows) + "</table>"

    def quote(self):
        pid = self.r.choice(self.persons)
        iso, _ = self.date()
        return f'<quote by="{pid}" date="{iso}"><p>{self.sentences(self.r.randint(1, 3))}</p></quote>'

    def blocks(self, budget):
        """Blocks until about budget words have been written."""
        r = self.r
        parts, start = [], self.words
        while self.words - start < budget or not parts:
            k = r.random()
            if k < 0.10 and parts:
                parts.append(self.lst())
            elif k < 0.16 and parts:
                parts.append(self.table())
            elif k < 0.21 and parts and self.persons:
                parts.append(self.quote())
            else:
                parts.append(self.para())
        return "\n".join(parts)

    # ------------------------------------------------------------ the dossier
    def actors(self, w):
        r = self.r
        self.actor_name = {}
        w('<actors>')
        for sid, en, lang, own in STATES:
            extra = f'<name xml:lang="{lang}">{own}</name>' if lang else ""
            w(f'<actor id="{sid}" kind="state"><name>{en}</name>{extra}</actor>')
            self.actor_ids.append(sid)
        for i, org in enumerate(ORGS):
            w(f'<actor id="org-{i}" kind="organisation"><name>{org}</name></actor>')
            self.actor_ids.append(f"org-{i}")
        home = {"hy": "am", "ru": "ru", "ka": "ge", "az": "az"}
        langs = list(NAMES)
        for i in range(12 + self.pages // 6):
            lang = langs[i % len(langs)]
            g, s = r.choice(NAMES[lang][0]), r.choice(NAMES[lang][1])
            pid = f"p-{i}"
            latin = f"{g[1]} {s[1]}"
            self.actor_name[pid] = latin
            role = f"{r.choice(ADJ).capitalize()} {r.choice(['envoy', 'minister', 'commissioner', 'negotiator', 'governor', 'spokesperson'])} for {r.choice(NOUN)}"
            y = r.randint(2005, 2020)
            w(f'<actor id="{pid}" kind="person" member-of="{home[lang]}"><name>{latin}</name>'
              f'<name xml:lang="{lang}" translit="{latin}">{g[0]} {s[0]}</name>'
              f'<role of="{home[lang]}" from="{y}">{role}</role></actor>')
            self.persons.append(pid)
            self.actor_ids.append(pid)
        w('</actors>')

    def generate(self):
        r = self.r
        out = self.out
        w = out.append
        total = self.pages * WORDS_PER_PAGE
        # Plan the items first, so that cross-references can point anywhere.
        n_terms = max(2, total * 18 // 100 // 300)
        n_reactions = max(2, total * 14 // 100 // 220)
        n_threads = max(1, total * 44 // 100 // 1600)
        n_statements = max(1, total * 10 // 100 // 300)
        n_refs = max(4, self.pages // 2)
        self.terms = [f"t-{i + 1}" for i in range(n_terms)]
        self.threads = [f"th-{i}" for i in range(n_threads)]
        self.refs = [f"ref-{i}" for i in range(n_refs)]

        w('<?xml version="1.0" encoding="UTF-8"?>')
        w(f'<dossier id="bench-{self.pages}" xml:lang="en">')
        w('<meta>')
        w(f'<title>Synthetic agreement dossier of about {self.pages:,} pages</title>')
        w('<subtitle>Generated for briefc’s benchmark: terms, reactions, aftermath and '
          'statements in realistic proportions</subtitle>')
        w(f'<short-title>Benchmark dossier ({self.pages} pages)</short-title>')
        w('<issued>2030-12-31</issued>')
        w('<author>tests/bench/gen_dossier.py</author>')
        w('<classification>Synthetic</classification>')
        w(f'<abstract>{self.para()}</abstract>')
        w('</meta>')
        self.actors(w)
        w('<topics>')
        for t in TOPICS:
            w(f'<topic id="{t}"><label>{t.capitalize()}</label>'
              f'<description>{self.phrase().capitalize()}.</description></topic>')
        w('</topics>')

        # The agreement: every topic is used by some term.
        w('<agreement id="accord">')
        w('<name>Synthetic trilateral accord</name>')
        w('<alt-name xml:lang="ru">Синтетическое трёхстороннее соглашение</alt-name>')
        w('<signed date="2020-11-09" place="Moscow"/>')
        w('<effective datetime="2020-11-10T00:00" tz="+03:00" tz-name="Moscow time"/>')
        w('<parties>az am</parties>')
        w('<signatories>' + "".join(f'<signatory actor="{p}" for="{f}"/>' for p, f in
                                    [("p-3", "az"), ("p-0", "am"), ("p-1", "ru")]) + '</signatories>')
        w(f'<summary>{self.blocks(WORDS_PER_PAGE)}</summary>')
        for i, tid in enumerate(self.terms):
            tset = {TOPICS[i % len(TOPICS)], r.choice(TOPICS)}
            if i == n_terms - 1:
                tset.update(TOPICS[n_terms - 1:])    # every topic is used
            topics = " ".join(sorted(tset))
            w(f'<term id="{tid}" n="{i + 1}" topics="{topics}" binds="{r.choice(["az am", "am", "az", "ru"])}">')
            w(f'<title>{self.phrase().capitalize()}</title>')
            for _ in range(r.randint(0, 2)):
                iso, _ = self.date(10, 2500)
                st = r.choice(["met", "missed", "extended", "open"])
                w(f'<deadline date="{iso}" status="{st}">{self.phrase().capitalize()}.</deadline>')
            w(self.blocks(r.randint(150, 450)))
            w('</term>')
        w('</agreement>')

        w(f'<background>{self.blocks(total * 7 // 100)}</background>')
        w(f'<overview>{self.blocks(total * 7 // 100)}</overview>')

        w('<reactions>')
        w(f'<intro>{self.para()}</intro>')
        for i in range(n_reactions):
            actor = r.choice(self.actor_ids)
            iso, _ = self.date(0, 60)
            w(f'<reaction id="re-{i}" actor="{actor}" date="{iso}" stance="{r.choice(STANCES)}" '
              f'topics="{r.choice(TOPICS)}">')
            w(f'<summary>{self.sentence()}</summary>')
            w(self.blocks(r.randint(100, 340)))
            w('</reaction>')
        w('</reactions>')

        w('<aftermath>')
        ev = 0
        for i, thid in enumerate(self.threads):
            w(f'<thread id="{thid}" topics="{TOPICS[i % len(TOPICS)]}">')
            w(f'<title>{self.phrase().capitalize()}</title>')
            w(f'<intro>{self.para()}</intro>')
            start = self.words
            while self.words - start < 1500:
                a, b = sorted([r.randint(0, 3000), r.randint(0, 3000)])
                d1, _ = self.date(a, a)
                d2, _ = self.date(b, b)
                when = f'date="{d1}"' if r.random() < 0.5 else f'from="{d1}" to="{d2}"'
                acts = " ".join(sorted({r.choice(self.actor_ids), r.choice(self.actor_ids)}))
                w(f'<event id="e-{ev}" {when} place="{r.choice(PLACES)}" actors="{acts}" '
                  f'terms="{r.choice(self.terms)}">')
                w(f'<title>{self.phrase().capitalize()}</title>')
                for _ in range(r.randint(0, 2)):
                    w(f'<figure label="{r.choice(NOUN).capitalize()}" value="{r.randint(1, 5000)}"/>')
                w(self.blocks(r.randint(80, 400)))
                w('</event>')
                ev += 1
            w('</thread>')
        w('</aftermath>')

        w('<statements>')
        for i in range(n_statements):
            iso, _ = self.date(30, 3000)
            by = " ".join(sorted({r.choice(self.persons), r.choice(self.persons)}))
            w(f'<statement id="st-{i}" date="{iso}" place="{r.choice(PLACES)}" by="{by}" '
              f'topics="{r.choice(TOPICS)}">')
            w(f'<title>{self.phrase().capitalize()}</title>')
            w(self.blocks(r.randint(150, 450)))
            w(f'<p>The full text is at <link href="https://example.org/statements/{i}">'
              f'example.org</link>.</p>')
            w('</statement>')
        w('</statements>')

        w('<references>')
        for i, rid in enumerate(self.refs):
            iso, _ = self.date(0, 3000)
            w(f'<reference id="{rid}"><title>{self.phrase().capitalize()}</title>'
              f'<publisher>{r.choice(ORGS)}</publisher><date>{iso}</date>'
              f'<url>https://example.org/ref/{i}</url></reference>')
        w('</references>')
        w('</dossier>')
        return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, required=True, help="target page count (approximate)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", help="output file (default: standard output)")
    a = ap.parse_args()
    if a.pages < 1:
        ap.error("--pages must be at least 1")
    text = Gen(a.pages, a.seed).generate()
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
