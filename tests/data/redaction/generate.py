"""Build the redaction test set from the hand-written carrier comments in this folder.

    python tests/data/redaction/generate.py

writes ``pii.jsonl`` (comments with planted details; each detail's span and type recorded)
and ``clean.jsonl`` (comments without personal details), and the same for the hold-out split
(``holdout_*.jsonl``, from ``holdout_*.txt``, written after the redactor was tuned on the
development split, with a second pool of held-out names). Deterministic (fixed seeds).

Planted values are fictional: names drawn half from forumnlp's shipped name lists and half
from a held-out list below that the redactor does NOT ship (``subtype`` "listed" /
"unlisted"), phone numbers in Ofcom's drama ranges (07700 900xxx, 0141 496 0xxx,
0131 496 0xxx), NHS and CHI numbers with valid modulus-11 check digits, National Insurance
numbers with allocatable prefixes, made-up postcodes and addresses, example.* domains.

Gold span conventions: PERSON covers the name with its title ("Mrs Kerr"), not a possessive
's; AGE covers the phrase ("aged 4", "15-year-old", "(4)"); DOB the date only; ADDRESS the
whole address including flat, town and postcode.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SEED = 20240611
DATA = ROOT / "src" / "forumnlp" / "data"

HELD_OUT_FIRST = ["Kasper", "Oluwaseun", "Thiago", "Zofia", "Rhiannon", "Keir", "Fenella", "Marek", "Saoirse", "Eshaan", "Priya", "Anaya", "Yara", "Idris", "Lachlan", "Struan", "Ailbhe", "Ciaran", "Tiernan", "Brogan", "Kenzie", "Seonaid", "Morven", "Torquil", "Eilish", "Dexter", "Ronan", "Faris", "Nuala", "Bronagh", "Halima", "Aziz", "Samira", "Deividas", "Milena", "Wiktoria", "Filip", "Jamal", "Kofi", "Adaeze", "Chiara", "Mateo", "Ines", "Lior", "Elif", "Emre", "Darcey", "Kaden", "Jaxson", "Ryley", "Brody", "Kenna", "Maja", "Tobias", "Florin", "Ioana", "Siddharth", "Aarav", "Hollie-Mae", "Tayla", "Kerr-Ann", "Shay", "Roisin"]
HELD_OUT_SURNAMES = ["Kowalczyk", "Oyelaran", "Fairbairn", "Lumsden", "MacRitchie", "Sandilands", "Dalgleish", "Gillespie", "Haggerty", "Ogunbanjo", "Przybylski", "Nakamura", "Rahman", "Chowdhury", "Mazur", "Petrauskas", "Osborne", "Beveridge", "Kilpatrick", "Laidlaw", "McGeachie", "Wardlaw", "Crichton", "Geddes", "Petrie", "Tosh", "Hepburn", "Sneddon", "Galbraith", "Lennie", "Birrell", "Pirie", "Scobie", "Brannigan", "Coutts", "Popescu", "Horvath", "Nwosu", "Mbeki", "Varga"]

# A second held-out pool for the hold-out split (never used to tune the redactor).
HOLDOUT_FIRST = ["Oskar", "Amara", "Leon", "Nikola", "Sunniva", "Caelan", "Isha", "Ruairidh", "Eamon", "Tala", "Yusra", "Bartosz", "Aleksy", "Delphine", "Fergal", "Sorcha", "Iqra", "Magnus", "Anouk", "Kit", "Alfie-Jay", "Noor", "Pippa", "Ishbel", "Calan", "Wren", "Dara", "Ezra", "Juno", "Effie", "Laila", "Kirsteen", "Hamid", "Tomas", "Radek", "Gabija"]
HOLDOUT_SURNAMES = ["Szymanski", "Adebayo", "Cruickshank", "Dunsmuir", "Hamill", "Lauder", "Mathieson", "Pringle", "Quigley", "Rutherford", "Shearer", "Tennant", "Wishart", "Yilmaz", "Zielinski", "Balfour", "Cowie", "Donnachie", "Gourlay", "Hislop", "Kinnear", "Liddell", "Meiklejohn", "Niven", "Orr", "Pettigrew", "Rennison", "Stobie", "Traynor", "Weir"]

# A third pool for the blind split.
BLIND_FIRST = ["Anwen", "Bodhi", "Cerys", "Dervla", "Eero", "Fionnuala", "Gethin", "Hafsa",
               "Inka", "Jolene", "Kieron", "Lorcan", "Meabh", "Nadim", "Odhran", "Paulina",
               "Tamsin", "Rahel", "Siobhan", "Teodor", "Ulla", "Vytautas", "Wojtek", "Xanthe",
               "Yannick", "Zenon"]
BLIND_SURNAMES = ["Ainslie", "Blyth", "Cairncross", "Dobie", "Eadie", "Forsyth", "Glendinning",
                  "Hogg", "Inglis", "Jardine", "Keddie", "Lawrie", "Mowbray", "Nairn", "Oliphant",
                  "Purdie", "Rintoul", "Swankie", "Tulloch", "Veitch", "Wotherspoon"]

STREETS = ["Dumbarton", "Main", "High", "Church", "Station", "Mill", "Burnside", "Glebe", "Hawthorn", "Birch", "Lomond", "Wallace", "Hillview", "Craigpark", "Ashgrove", "Bellfield", "Netherton", "Millburn", "Whinhill", "Springfield", "Argyle", "Kelvin", "Abbey", "Thistle", "Heather", "Braeside", "Muirhead", "Easter", "Loch", "Katrine", "St", "Andrew's"]
STREET_WORDS = ["Street", "Road", "Avenue", "Drive", "Crescent", "Place", "Terrace", "Gardens", "Court", "Way", "Lane", "Close", "Wynd", "Brae", "Loan", "Park", "View", "Square", "Row", "St", "Rd", "Ave"]
LOWER_STREET_WORDS = ["street", "road", "avenue", "crescent", "terrace", "wynd", "gardens"]
TOWNS = ["Falkirk", "Glasgow", "Edinburgh", "Paisley", "Kirkcaldy", "Livingston", "Dundee",
         "Stirling", "Larbert", "Grangemouth", "Motherwell", "Perth"]
POSTCODE_AREAS = ["EH", "G", "FK", "KY", "DD", "AB", "PA", "ML", "KA", "IV", "PH", "DG", "TD", "KW"]
INWARD = "ABDEFGHJLNPQRSTUWXYZ"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
TITLES = ["Mrs", "Mr", "Ms", "Miss", "Dr", "Mr.", "Mrs."]
POLICE = ["PC", "DC", "Sgt", "DS"]
NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"
NINO_BAD = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
TYPE_NAMES = {"NHS": "NHS_NUMBER", "CHI": "CHI_NUMBER", "NI": "NI_NUMBER"}


def shipped_names() -> tuple[list[str], list[str]]:
    """Return the first names and surnames of forumnlp's lists used for "listed" names.

    They come from ``name_pool.json``, a frozen copy (so the test set does not change when
    the shipped lists grow); every one must still be in the shipped lists.
    """
    pool = json.loads((HERE / "name_pool.json").read_text(encoding="utf-8"))
    names = yaml.safe_load((DATA / "redact_names.yaml").read_text(encoding="utf-8"))
    shipped = {n for key in ("first_names", "ambiguous_first_names", "context_first_names",
                             "surnames") for n in names.get(key, [])}
    missing = [n for n in pool["first_names"] + pool["surnames"] if n not in shipped]
    assert not missing, f"name_pool.json names no longer shipped: {missing}"
    return list(pool["first_names"]), list(pool["surnames"])


def mod11_check(digits9: str) -> int | None:
    total = sum(int(d) * w for d, w in zip(digits9, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return 0 if check == 11 else (None if check == 10 else check)


class Values:
    """Fictional value generators; ``self.subtype`` tells which name pool was used."""

    def __init__(self, rng: random.Random, split: str = "dev") -> None:
        self.rng = rng
        self.first, self.surnames = shipped_names()
        self.other_first, self.other_surnames = {
            "dev": (HELD_OUT_FIRST, HELD_OUT_SURNAMES),
            "holdout": (HOLDOUT_FIRST, HOLDOUT_SURNAMES),
            "blind": (BLIND_FIRST, BLIND_SURNAMES),
        }[split]
        names = yaml.safe_load((DATA / "redact_names.yaml").read_text(encoding="utf-8"))
        folded = {str(n).casefold() for v in names.values() for n in v}
        clash = [n for n in self.other_first + self.other_surnames if n.casefold() in folded]
        assert not clash, f"held-out names are in the shipped lists: {clash}"
        self.subtype = ""

    def _pool(self) -> tuple[list[str], list[str]]:
        listed = self.rng.random() < 0.5
        self.subtype = "listed" if listed else "unlisted"
        return (self.first, self.surnames) if listed else (self.other_first, self.other_surnames)

    def person(self, variant: str) -> str:
        r = self.rng
        first, sur = self._pool()
        if variant == "first":
            return r.choice([f for f in first if "-" not in f] or first)
        if variant == "lower":
            return r.choice(first).lower()
        if variant == "full":
            return f"{r.choice(first)} {r.choice(sur)}"
        if variant == "surname":
            return r.choice(sur)
        if variant == "title":
            return f"{r.choice(TITLES)} {r.choice(sur)}"
        if variant == "police":
            return f"{r.choice(POLICE)} {r.choice(sur)}"
        if variant == "cllr":
            return f"Cllr {r.choice(sur)}"
        if variant == "hyphen":
            a, b = r.choice(first), r.choice(first)
            name = f"{a.split('-')[0]}-{b.split('-')[0]}"
            return name.lower() if r.random() < 0.5 else name
        if variant == "initials":
            self.subtype = "initials"
            return f"{r.choice('ABCDEFGHJKLMNPRSTW')}.{r.choice('ABCDEFGHJKLMNPRSTW')}."
        raise ValueError(variant)

    def phone(self, variant: str) -> str:
        r = self.rng
        if variant == "any":
            variant = r.choice(["mobile", "landline", "intl"])
        n = r.randrange(1000)
        if variant == "mobile":
            return r.choice([f"07700 900{n:03d}", f"07700900{n:03d}", f"07700 900 {n:03d}",
                             f"07700-900{n:03d}"])
        area = r.choice(["0141", "0131"])
        if variant == "landline":
            return r.choice([f"{area} 496 0{n:03d}", f"{area}4960{n:03d}",
                             f"({area}) 496 0{n:03d}", f"{area}-496-0{n:03d}",
                             f"{area} 4960{n:03d}"])
        return r.choice([f"+44 7700 900{n:03d}", f"+447700900{n:03d}",
                         f"+44 (0){area[1:]} 496 0{n:03d}", f"+44 {area[1:]} 496 0{n:03d}",
                         f"0044 7700 900{n:03d}"])

    def email(self) -> str:
        r = self.rng
        first, sur = self._pool()
        f, s = r.choice(first).lower(), r.choice(sur).lower().replace("'", "")
        local = r.choice([f"{f}.{s}", f"{f[0]}{s}", f"{f}{r.randrange(10, 99)}", f"{f}_{s}"])
        return f"{local}@{r.choice(['example.com', 'example.org', 'example.net', 'mail.example.co.uk'])}"

    def postcode(self) -> str:
        r = self.rng
        pc = (f"{r.choice(POSTCODE_AREAS)}{r.randrange(1, 30)} "
              f"{r.randrange(10)}{r.choice(INWARD)}{r.choice(INWARD)}")
        roll = r.random()
        if roll < 0.1:
            return pc.replace(" ", "")
        if roll < 0.15:
            return pc.lower()
        return pc

    def address(self, variant: str) -> str:
        r = self.rng
        num = str(r.randrange(1, 250)) + (r.choice("ab") if r.random() < 0.05 else "")
        street = f"{r.choice(STREETS)} {r.choice(STREET_WORDS)}"
        if variant == "lower":
            return f"{num} {r.choice(STREETS).lower()} {r.choice(LOWER_STREET_WORDS)}"
        if variant == "plain":
            return f"{num} {street}"
        if variant == "town":
            return f"{num} {street}, {r.choice(TOWNS)}"
        if variant == "postcode":
            pc = self.postcode().upper()
            return r.choice([f"{num} {street}, {r.choice(TOWNS)} {pc}", f"{num} {street} {pc}",
                              f"{num} {street}, {pc}"])
        if variant == "flat":
            flat = r.choice([f"{r.randrange(0, 4)}/{r.randrange(1, 3)}",
                             f"Flat {r.randrange(1, 20)}", f"Flat {r.randrange(0, 4)}/{r.randrange(1, 3)}"])
            tail = r.choice(["", f", {r.choice(TOWNS)}"])
            return f"{flat}, {num} {street}{tail}" if flat.startswith("Flat") or r.random() < 0.5 \
                else f"{flat} {num} {street}{tail}"
        raise ValueError(variant)

    def dob(self, variant: str) -> str:
        r = self.rng
        year = r.randrange(2004, 2024)
        month = r.randrange(1, 13)
        day = r.randrange(1, 29)
        mname = MONTHS[month - 1]
        if variant == "monthyear":
            return r.choice([f"{mname} {year}", f"{mname[:3]} {year}", str(year)])
        suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(day, "th")
        return r.choice([
            f"{day:02d}/{month:02d}/{year}", f"{day}/{month}/{year % 100:02d}",
            f"{day:02d}.{month:02d}.{year}", f"{day}.{month}.{year % 100:02d}",
            f"{day} {mname[:3]} {year}", f"{day}{suffix} {mname} {year}",
            f"{mname} {day}{suffix} {year}", f"{year}-{month:02d}-{day:02d}",
            f"{day:02d}-{month:02d}-{year}", f"{day} {mname} {year}",
        ])

    def age(self, variant: str) -> str:
        r = self.rng
        n = r.randrange(1, 17)
        if variant == "aged":
            return r.choice([f"aged {n}", f"aged {n}", f"aged {r.randrange(2, 23)} months"])
        if variant == "yearold":
            return r.choice([f"{n} year old", f"{n}-year-old", f"{n} yr old"])
        if variant == "yearsold":
            return f"{n} years old"
        if variant == "bare":
            return str(n)
        if variant == "yo":
            return r.choice([f"{n}yo", f"{n} y/o", f"{n}yo"])
        if variant == "months":
            return f"{r.randrange(2, 23)} months old"
        if variant == "weeks":
            return f"{r.randrange(2, 12)} weeks old"
        if variant == "bracket":
            return r.choice([f"({n})", f"({n})", f"({r.randrange(2, 12)} months)"])
        raise ValueError(variant)

    def nhs(self) -> str:
        r = self.rng
        while True:
            d9 = str(r.randrange(4, 8)) + "".join(str(r.randrange(10)) for _ in range(8))
            check = mod11_check(d9)
            if check is not None:
                break
        d = d9 + str(check)
        return r.choice([f"{d[:3]} {d[3:6]} {d[6:]}", d, f"{d[:3]}-{d[3:6]}-{d[6:]}"])

    def chi(self) -> str:
        r = self.rng
        while True:
            d9 = (f"{r.randrange(1, 29):02d}{r.randrange(1, 13):02d}{r.randrange(0, 100):02d}"
                  + "".join(str(r.randrange(10)) for _ in range(3)))
            check = mod11_check(d9)
            if check is not None:
                break
        d = d9 + str(check)
        return r.choice([d, f"{d[:6]} {d[6:]}", f"{d[:6]}-{d[6:]}", d])

    def ni(self) -> str:
        r = self.rng
        while True:
            prefix = r.choice(NINO_FIRST) + r.choice(NINO_SECOND)
            if prefix not in NINO_BAD:
                break
        digits = "".join(str(r.randrange(10)) for _ in range(6))
        suffix = r.choice("ABCD")
        return r.choice([f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}",
                         f"{prefix}{digits}{suffix}", f"{prefix} {digits} {suffix}"])

    def url(self) -> str:
        r = self.rng
        first, sur = self._pool()
        f, s = r.choice(first).lower(), r.choice(sur).lower().replace("'", "")
        return r.choice([
            f"https://www.facebook.com/{f}.{s}.{r.randrange(1, 999)}",
            f"www.example.org/families/{r.randrange(1000, 9999)}",
            f"http://example.com/u/{f}{r.randrange(10, 99)}",
            f"https://example.net/{f}-{s}",
        ])


SLOT = re.compile(r"\{(?P<type>[A-Z]+)(?::(?P<variant>[a-z]+))?(?:#(?P<key>\d+))?\}")


def fill(template: str, values: Values) -> tuple[str, list[dict[str, object]]]:
    """Fill the slots of one template; return the text and its gold spans."""
    out, spans, pos, memo = [], [], 0, {}
    length = 0
    for m in SLOT.finditer(template):
        out.append(template[pos : m.start()])
        length += m.start() - pos
        kind, variant, key = m.group("type"), m.group("variant") or "", m.group("key")
        memo_key = (kind, key)
        if key is not None and memo_key in memo:
            value, subtype = memo[memo_key]
        else:
            values.subtype = ""
            value = {
                "PERSON": lambda v=variant: values.person(v),
                "PHONE": lambda v=variant: values.phone(v or "any"),
                "EMAIL": values.email,
                "POSTCODE": values.postcode,
                "ADDRESS": lambda v=variant: values.address(v or "plain"),
                "DOB": lambda v=variant: values.dob(v or "date"),
                "AGE": lambda v=variant: values.age(v),
                "NHS": values.nhs,
                "CHI": values.chi,
                "NI": values.ni,
                "URL": values.url,
            }[kind]()
            subtype = values.subtype
            if key is not None:
                memo[memo_key] = (value, subtype)
        if kind == "PERSON" and key is not None and memo_key in memo and variant == "first" \
                and " " in value:
            value = value.split()[0]
        span: dict[str, object] = {"start": length, "end": length + len(value),
                                   "type": TYPE_NAMES.get(kind, kind), "variant": variant}
        if subtype:
            span["subtype"] = subtype
        spans.append(span)
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), spans


def lines(name: str) -> list[str]:
    text = (HERE / name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


SPLITS = {"dev": ("", 0, 200), "holdout": ("holdout_", 1, 100), "blind": ("blind_", 2, 60)}


def build(split: str = "dev") -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Return (pii records, clean records) of the "dev", "holdout" or "blind" split."""
    prefix, offset, n_mixes = SPLITS[split]
    rng = random.Random(SEED + offset)
    values = Values(rng, split)
    tag = {"dev": "", "holdout": "ho-", "blind": "bl-"}[split]
    pii = []
    for rep in range(2):
        for k, template in enumerate(lines(f"{prefix}pii_templates.txt")):
            text, spans = fill(template.replace("\\n", "\n"), values)
            for s in spans:
                assert text[s["start"] : s["end"]]  # type: ignore[misc]
            pii.append({"id": f"{tag}pii-{rep + 1}-{k + 1:03d}", "text": text, "spans": spans})
    sentences = lines(f"{prefix}clean_sentences.txt")
    clean = [{"id": f"{tag}clean-{k + 1:03d}", "text": s} for k, s in enumerate(sentences)]
    for k in range(n_mixes):
        picked = rng.sample(sentences, rng.choice([2, 2, 3]))
        clean.append({"id": f"{tag}clean-mix-{k + 1:03d}", "text": " ".join(picked)})
    return pii, clean


def main() -> None:
    for split, (prefix, _, _) in SPLITS.items():
        pii, clean = build(split)
        for name, rows in ((f"{prefix}pii.jsonl", pii), (f"{prefix}clean.jsonl", clean)):
            with (HERE / name).open("w", encoding="utf-8", newline="\n") as fh:
                for row in rows:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        n_spans = sum(len(r["spans"]) for r in pii)  # type: ignore[arg-type]
        print(f"{split}: {len(pii)} comments with {n_spans} planted details, "
              f"{len(clean)} clean comments")


if __name__ == "__main__":
    main()
