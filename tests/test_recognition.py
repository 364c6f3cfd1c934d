"""Toponym recognition from raw text (toponyms.recognise): sentences written for these tests."""

import pytest


@pytest.fixture(scope="module")
def found():
    from wirecoder.resources import default_resources
    from wirecoder.toponyms import recognise

    nlp = default_resources().nlp

    def run(text: str) -> list[str]:
        return [t for _, _, t in recognise(nlp(text))]

    return run


def test_place_inside_organisation_name(found):
    got = found("Officers from the Waxahachie Police Department and the Pickens County Sheriff's Office arrived.")
    assert "Waxahachie" in got
    assert "Pickens County" in got


def test_country_codes_and_demonyms_in_organisations(found):
    got = found("The U.S. Senate approved the bill, and the Norwegian Coast Guard sent a ship.")
    assert "U.S." in got
    assert "Norwegian" in got


def test_us_state_abbreviation_after_a_legislator(found):
    got = found("The amendment was drafted by Rep. Mary Holt, D-S.C., and Sen. Tom Price, R-Pa., on Tuesday.")
    assert "S.C." in got
    assert "Pa." in got


def test_list_before_a_plural_place_noun(found):
    got = found("School boards in Whitfield, Murray and Gordon counties changed their policies.")
    assert {"Whitfield", "Murray", "Gordon"} <= set(got)


def test_streets_and_numbered_roads(found):
    got = found("The crash happened on Pruitt Lane near State Highway 287 late on Friday.")
    assert "Pruitt Lane" in got
    assert any("Highway 287" in t for t in got)


def test_institution_words_trimmed_from_an_entity(found):
    got = found("He was booked into the Pickens County Jail on Monday.")
    assert "Pickens County" in got
    assert "Pickens County Jail" not in got


def test_unknown_upper_case_dateline(found):
    got = found("Board approves budget. GLENFORD — The board voted on Monday to keep the tax rate.")
    assert "GLENFORD" in got


def test_dateline_with_agency(found):
    got = found("BOSTON (Reuters) - A restaurant owner was charged on Monday.")
    assert "BOSTON" in got


def test_repeated_name_recognised_everywhere(found):
    text = ("Sandbags were handed out in Grand Forks on Monday. Grand Forks plans to open two shelters, "
            "officials said.")
    got = found(text)
    assert got.count("Grand Forks") == 2


def test_demonym_the_ner_missed_but_not_a_compound_modifier(found):
    got = found("The Russian-backed offensive continued as Azerbaijani soldiers laid mines.")
    assert "Russian" not in got  # 'Russian-backed' qualifies the offensive, it names no place
    assert "Azerbaijani" in got


def test_person_is_not_a_place(found):
    got = found("Coach Dale Whitcombe was pleased. \"It was a hard match,\" Whitcombe said after the game.")
    assert "Whitcombe" not in got


def test_country_with_entity_comma_split(found):
    got = found("The next races are at Castle Combe, Wiltshire and at Oulton Park in May.")
    assert "Wiltshire" in got


def test_pentagon_is_not_a_place(found):
    got = found("The Pentagon said the strikes hit facilities near Abu Kamal, close to the Iraqi border.")
    assert not any("Pentagon" in t for t in got)
    assert "Abu Kamal" in got


def test_town_leading_a_facility_name(found):
    got = found("The suspect was taken to the Hagerstown Regional Medical Center, and later to the "
                "McKeesport Municipal Court.")
    assert any(t.startswith("Hagerstown") for t in got)
    assert any(t.startswith("McKeesport") for t in got)


def test_national_body_is_no_town(found):
    got = found("The Federal Aviation Authority grounded the plane.")
    assert not any(t.startswith("Federal") for t in got)


def test_camel_case_town_in_an_organisation(found):
    got = found("According to a statement from DeKalb Police, the store was closed.")
    assert "DeKalb" in got


def test_name_after_a_place_noun_and_of(found):
    got = found("The family came from the small village of Zembrzyce in southern Poland.")
    assert "Zembrzyce" in got


def test_place_noun_overrides_a_person_reading(found):
    got = found("Residents told Omar Dumari they would stay. Shelling continued on the outskirts of the city "
                "of Dumari on Friday.")
    assert got.count("Dumari") == 1


def test_demonym_before_a_place_noun(found):
    got = found("Shells landed near the Bolivian border and in the Peruvian capital on Sunday.")
    assert "Bolivian" in got
    assert "Peruvian" in got


def test_airports_and_air_bases_are_places(found):
    # named in full (not cut to the town the airport is named after), with or without a place preposition
    assert "Heathrow Airport" in found("Passengers were stranded at Heathrow Airport after a power cut.")
    assert "Al Asad Air Base" in found("Drones targeted the Al Asad Air Base in Anbar province on Tuesday.")
