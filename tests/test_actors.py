"""Actor dictionary and coder, on invented phrases (no evaluation data)."""


import pytest

from wirecoder.actors import ActorDictionary, tokenize


@pytest.fixture(scope="module")
def actors():
    return ActorDictionary.default()


def _key(a):
    return None if a is None else (a.name, a.country, a.sector)


@pytest.mark.parametrize("text,head,expected", [
    # states, metonyms and institutions
    ("US", None, ("United States", "USA", None)),
    ("U.S.", None, ("United States", "USA", None)),
    ("United States of America", None, ("United States", "USA", None)),
    ("A US air strike", "strike", ("United States", "USA", None)),
    ("the Pentagon", None, ("United States", "USA", "MIL")),
    ("Washington", None, ("United States", "USA", "GOV")),
    ("the White House", None, ("United States", "USA", "GOV")),
    ("the Kremlin", None, ("Russia", "RUS", "GOV")),
    ("Downing Street", None, ("United Kingdom", "GBR", "GOV")),
    ("Britain", None, ("United Kingdom", "GBR", None)),
    ("Kiev", None, ("Ukraine", "UKR", "GOV")),
    ("Burma", None, ("Myanmar", "MMR", None)),
    ("DRC", None, ("Democratic Republic of the Congo", "COD", None)),
    ("Ivory Coast", None, ("Cote d'Ivoire", "CIV", None)),
    ("Côte d’Ivoire", None, ("Cote d'Ivoire", "CIV", None)),
    ("the U.S. State Department", None, ("United States", "USA", "GOV")),
    ("Congolese lawmakers", None, ("Democratic Republic of the Congo", "COD", "LEG")),
    ("Bolivian Congress", None, ("Bolivia", "BOL", "LEG")),
    # state + sector noun / title
    ("Iraqi security forces", "force", ("Iraq", "IRQ", "POL")),
    ("Emirati soldiers", "soldier", ("United Arab Emirates", "ARE", "MIL")),
    ("Chad's interior minister", None, ("Chad", "TCD", "GOV")),
    ("the government of Malawi", "government", ("Malawi", "MWI", "GOV")),
    ("Kenyan judges", None, ("Kenya", "KEN", "JUD")),
    ("Norwegian Foreign Minister Jane Doe", None, ("Norway", "NOR", "GOV")),
    ("Saudi-led coalition", None, ("Saudi Arabia", "SAU", "MIL")),
    # leaders
    ("President Joe Biden", None, ("United States", "USA", "GOV")),
    ("Biden administration officials", "official", ("United States", "USA", "GOV")),
    ("Erdoğan", None, ("Turkey", "TUR", "GOV")),
    # organisations
    ("NATO defence ministers", "minister", ("NATO", "NATO", "IGO")),
    ("NATO troops", "troop", ("NATO", "NATO", "MIL")),
    ("the U.N. refugee agency", None, ("UNHCR", "UNHCR", "IGO")),
    ("UN Secretary-General Jane Roe", None, ("United Nations", "UN", "IGO")),
    ("Doctors Without Borders", None, ("Doctors Without Borders", "MSF", "NGO")),
    ("a spokesman for the African Union", "spokesman", ("African Union", "AU", "IGO")),
    # armed groups
    ("Kataeb Hezbollah militia", "militia", ("Kataeb Hezbollah", "IRQ", "REB")),
    ("Hezbollah Brigades", None, ("Kataeb Hezbollah", "IRQ", "REB")),
    ("Kata'ib Hizballah", None, ("Kataeb Hezbollah", "IRQ", "REB")),
    ("Hezbollah", None, ("Hezbollah", "LBN", "REB")),
    ("Ansar Allah fighters", None, ("Houthis", "YEM", "REB")),
    ("the Izz ad-Din al-Qassam Brigades", None, ("Hamas", "PSE", "REB")),
    ("Daesh", None, ("Islamic State", None, "REB")),
    ("ISWAP militants", None, ("Islamic State West Africa Province", "NGA", "REB")),
    ("spokesman for the Taliban", "spokesman", ("Taliban", "AFG", "REB")),
    ("Wagner mercenaries", None, ("Wagner Group", "RUS", "MIL_PRO")),
    ("Iranian-backed Houthis", None, ("Houthis", "YEM", "REB")),
])
def test_code(actors, text, head, expected):
    a = actors.code(text, head=head)
    assert _key(a) == expected
    assert a.text == text and a.span is None


def test_generic_actors(actors):
    a = actors.code("a powerful Iranian-backed Iraqi armed group", head="group")
    assert a.country == "IRQ" and a.sector == "REB" and a.generic and "Iranian-backed" in a.name
    a = actors.code("unidentified gunmen", head="gunman")
    assert a.unidentified and a.name == "Unidentified armed group" and a.inter == 3
    a = actors.code("unknown assailants")
    assert a.unidentified and a.sector == "UNK"
    a = actors.code("protesters", head="protester")
    assert (a.name, a.sector, a.inter, a.generic) == ("Protesters", "CVL", 6, True)
    a = actors.code("Tunisian protesters")
    assert (a.name, a.country, a.inter) == ("Protesters (Tunisia)", "TUN", 6)
    a = actors.code("Rwandan rebels")
    assert (a.country, a.sector, a.inter, a.generic) == ("RWA", "REB", 2, True)
    a = actors.code("rebels in Chad")
    assert (a.country, a.sector) == ("TCD", "REB")
    a = actors.code("villagers", head="villager")
    assert (a.sector, a.inter) == ("CVL", 7)
    a = actors.code("the police")
    assert (a.sector, a.inter, a.country) == ("POL", 1, None)
    assert actors.code("pro-government militia").sector == "MIL_PRO"
    assert actors.code("local journalists").sector == "MED"
    assert actors.code("the court").sector == "JUD"
    assert actors.code("President Jane Doe").sector == "GOV"


def test_nothing_recognisable(actors):
    assert actors.code("the weather") is None
    assert actors.code("") is None
    assert actors.code("a long queue", head="queue") is None


def test_us_pronoun_and_case(actors):
    assert actors.find("they told us nothing") == []
    assert actors.find("we roasted a turkey and ate china-blue cake") == []
    assert actors.code("WHO") .name == "World Health Organization"
    assert actors.code("who") is None


def test_find_spans_and_composition(actors):
    text = "Kenyan police and al-Shabaab fighters clashed, the Pentagon said, as Latin American leaders met."
    found = actors.find(text)
    got = [(text[s:e], a.name, a.sector) for s, e, a in found]
    assert ("Kenyan police", "Kenya", "POL") in got
    assert ("al-Shabaab fighters", "Al-Shabaab", "REB") in got
    assert ("Pentagon", "United States", "MIL") in got
    assert all("Latin" not in t for t, _, _ in got)
    # non-overlapping, in text order, Actor.text = the matched text
    spans = [(s, e) for s, e, _ in found]
    assert spans == sorted(spans) and all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    assert all(a.text == text[s:e] for s, e, a in found)


def test_find_backer_is_not_the_actor(actors):
    text = "Iranian-backed militias fired rockets at a base hosting Danish troops."
    got = [(text[s:e], a.country, a.sector) for s, e, a in actors.find(text)]
    assert ("Danish troops", "DNK", "MIL") in got
    assert not any(c == "IRN" for _, c, _ in got)


def test_demonyms_and_names(actors):
    assert actors.country_of_demonym("Syrian") == "SYR"
    assert actors.country_of_demonym("Iraqis") == "IRQ"
    assert actors.country_of_demonym("Emirati") == "ARE"
    assert actors.country_of_demonym("Congolese") == "COD"
    assert actors.country_of_demonym("Nigerien") == "NER"
    assert actors.country_of_demonym("Nigerian") == "NGA"
    assert actors.country_of_demonym("Plutonian") is None
    assert actors.country_name("SYR") == "Syria"
    assert actors.country_name("NATO") == "NATO"
    assert actors.country_name("XXX") is None


def test_coverage_of_sections(actors):
    d = actors.data
    assert len(d["countries"]) >= 197
    assert len(d["armed_groups"]) >= 120
    for iso in ("TWN", "XKX", "PSE", "ESH", "SSD", "TLS", "MNE"):
        assert iso in d["countries"]


def test_tokenizer_normalises():
    toks = tokenize("the U.S.’s Kata’ib Hizballah-linked")
    assert [t.norm for t in toks] == ["the", "us", "kataib", "hizballah", "linked"]
    assert toks[1].poss and toks[1].orig == "US" and toks[4].hyph


def test_user_file_overrides(tmp_path):
    f = tmp_path / "extra.toml"
    f.write_text('[armed_groups."Northern Falcons"]\ncountry = "KEN"\nsector = "REB"\ninter = 3\n'
                 'aliases = ["the Falcons"]\n\n[countries.CHE]\nname = "Switzerland"\n'
                 'aliases = ["Helvetia"]\ndemonyms = ["Swiss"]\ncapital = "Bern"\n', encoding="utf-8")
    d = ActorDictionary.load(f)
    assert _key(d.code("the Falcons militia")) == ("Northern Falcons", "KEN", "REB")
    assert _key(d.code("Helvetia")) == ("Switzerland", "CHE", None)
    assert _key(d.code("Hezbollah")) == ("Hezbollah", "LBN", "REB")   # package data still there


def test_default_reads_env_and_is_cached(tmp_path, monkeypatch):
    f = tmp_path / "env.toml"
    f.write_text('[[group]]\nname = "Lake Raiders"\ncountry = "UGA"\nsector = "REB"\ninter = 3\n', encoding="utf-8")
    monkeypatch.setenv("WIRECODER_ACTORS", str(f))
    d = ActorDictionary.default()
    assert d is ActorDictionary.default()
    assert d.code("Lake Raiders").country == "UGA"
