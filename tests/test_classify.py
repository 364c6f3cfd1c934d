"""classify(): the main event of invented sentences (none is taken from evaluation data)."""

import pytest

from wirecoder.classify import classify, classify_many

PLOVER = [
    ("The two ministers agreed to expand cooperation on border security next year.", "AGREE"),
    ("The Foreign Minister met his Chilean counterpart in Lima on Tuesday.", "CONSULT"),
    ("The government praised the mediators for their patient work.", "SUPPORT"),
    ("The navy shared intelligence with its allies about the smugglers.", "COOPERATE"),
    ("Norway sent medicine and food to the flooded villages.", "AID"),
    ("The junta released forty political prisoners on Monday.", "CONCEDE"),
    ("The army withdrew its troops from the northern valley.", "RETREAT"),
    ("The opposition demanded an apology from the interior minister.", "REQUEST"),
    ("The union condemned the company's decision to close the plant.", "ACCUSE"),
    ("The parliament rejected the budget proposal by a wide margin.", "REJECT"),
    ("The militia threatened to attack the capital if its leader was arrested.", "THREATEN"),
    ("Thousands of farmers marched through the city to protest the new tax.", "PROTEST"),
    ("The ministry recalled its ambassador and suspended all trade talks.", "SANCTION"),
    ("Troops were deployed along the eastern border on Friday.", "MOBILIZE"),
    ("Police arrested twelve students outside the university.", "COERCE"),
    ("Rebels ambushed an army convoy near the river, killing six soldiers.", "ASSAULT"),
]


@pytest.mark.parametrize("text,label", PLOVER)
def test_plover_types(text, label):
    assert classify(text).plover_type == label


def test_reporting_verb_is_never_the_event():
    c = classify("Officials said gunmen kidnapped three engineers on the highway.")
    assert c.plover_type == "ASSAULT"


def test_material_over_verbal_conflict():
    c = classify("A court convicted and arrested the former mayor on Thursday.")
    assert c.plover_type == "COERCE"


def test_threat_is_threaten_not_assault():
    c = classify("The commander warned that his forces would bomb the bridge.")
    assert c.plover_type == "THREATEN"


def test_future_cooperation_is_agree():
    assert classify("Japan will provide emergency loans to the island states.").plover_type == "AGREE"


def test_refused_cooperation_is_reject():
    assert classify("The rebels refused to release the hostages.").plover_type == "REJECT"


def test_failed_agreement_is_reject():
    assert classify("The two parties failed to reach an agreement on the budget.").plover_type == "REJECT"


def test_halted_aid_is_sanction():
    assert classify("The donor countries suspended their aid to the ministry.").plover_type == "SANCTION"


def test_lifting_a_ban_is_concede():
    assert classify("The government lifted the ban on opposition newspapers.").plover_type == "CONCEDE"


def test_signing_an_agreement_is_support():
    assert classify("The two governments signed a fisheries agreement in the capital.").plover_type == "SUPPORT"


def test_roles():
    c = classify("The army shelled rebel positions near the airport.")
    assert c.actor == "army"
    assert c.recipient and "positions" in c.recipient


ACLED = [
    ("Warplanes bombed a market in the town, killing nine civilians.", "AIR_STRIKE"),
    ("A roadside bomb exploded next to a police car, wounding two officers.", "REM_EXPLOS"),
    ("A suicide bomber blew himself up at a checkpoint, killing four guards.", "SUIC_BOMB"),
    ("Police fired tear gas to disperse hundreds of protesters outside parliament.", "PROTEST_WITH_INTER"),
    ("Hundreds of nurses held a peaceful rally outside the health ministry to demand higher pay.", "PEACE_PROTEST"),
    ("Gunmen abducted a priest and two students from a village church.", "ABDUCT_DISSAP"),
    ("Police arrested twenty men suspected of links to the militia.", "ARREST"),
    ("Troops seized a cache of rifles and ammunition in a raid on a farmhouse.", "DISR_WEAP"),
    ("A strong earthquake struck the coastal province, destroying hundreds of homes.", "NATURAL_DISASTER"),
    ("A bus collided with a truck on the highway, killing eleven passengers.", "MAN_MADE_DISASTER"),
    ("The militant group claimed responsibility for the bombing of the bridge.", "ATTRIB"),
    ("Government forces recaptured the town from the rebels after heavy fighting.", "GOV_REGAINS_TERIT"),
    ("The two sides signed a ceasefire agreement to end the fighting.", "AGREEMENT"),
    ("Gunmen attacked a village market, killing seven farmers.", "ATTACK"),
    ("Rebels attacked an army base overnight, killing four soldiers.", "ARMED_CLASH"),
    ("Insurgents captured the district headquarters after the army withdrew under fire.", "NON_STATE_ACTOR_OVERTAKES_TER"),
    ("Soldiers captured two rebel camps in the hills over the weekend.", "GOV_REGAINS_TERIT"),
]


@pytest.mark.parametrize("text,code", ACLED)
def test_acled_subtypes(text, code):
    assert classify(text).acled == code


def test_classify_many_matches_classify():
    texts = [t for t, _ in PLOVER[:4]]
    assert [c.plover_type for c in classify_many(texts)] == [classify(t).plover_type for t in texts]


def test_recipient_behind_a_thing():
    c = classify("The opposition filed a lawsuit against the electoral commission on Monday.")
    assert c.recipient and c.recipient.endswith("commission")


def test_pronoun_actor_takes_antecedent():
    c = classify("The rebel group said it will release the captured engineers.")
    assert c.actor and "group" in c.actor


def test_demand_roles():
    c = classify("The minister said the company must pay compensation to the families.")
    assert c.actor == "minister"
    assert c.recipient == "company"


@pytest.mark.parametrize("text,head", [
    ("The council lifted sanctions on Ostravia last week.", "Ostravia"),
    ("Velmar withdrew three hundred peacekeepers from Ostravia.", "Ostravia"),
    ("Norway sent two hundred engineers to Ostravia.", "Ostravia"),
    ("The ministry rejected a request from the Velmar government.", "government"),
    ("The senator criticised Mayor Karlsen's decision to close the port.", "Karlsen"),
])
def test_recipient_is_the_party_a_thing_goes_to(text, head):
    c = classify(text)
    assert c.recipient and c.recipient.split()[-1] == head


def test_coordinated_subject_partner_is_recipient():
    c = classify("Ostravia and Velmar agreed to hold joint naval exercises.")
    assert c.actor == "Ostravia"
    assert c.recipient == "Velmar"


def test_recipient_never_a_date():
    c = classify("The minister met on Tuesday.")
    assert c.recipient != "Tuesday"
