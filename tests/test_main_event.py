"""The main event of invented sentences (none is taken from evaluation data), as the
pipeline that `wirecoder extract` runs gives it and as `eval plv / case2021 / gsr` score it:
typing stage (wirecoder.classify), main event (wirecoder.main_event), role reader (wirecoder.snippet_roles)."""

import pytest

from wirecoder.evaluate.sentences import main_events


def classify(text: str):
    """What the sentence evals score for ``text``: the pipeline's main event."""
    return main_events([text])[0]

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


def test_batch_matches_one_by_one():
    texts = [t for t, _ in PLOVER[:4]]
    assert [c.plover_type for c in main_events(texts)] == [classify(t).plover_type for t in texts]


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


# --------------------------------------------------------------------------- recipients (snippet_roles)
# Invented sentences with invented place names: who or what the event is aimed at.

@pytest.mark.parametrize("text,expected", [
    # the addressee of a clause: "demanded that X ...", "found X guilty", "allowed X to ..."
    ("The opposition demanded that the interior minister resign over the scandal.", "minister"),
    ("A court in Velmar found the former mayor guilty of fraud.", "mayor"),
    ("The government agreed to allow aid workers to enter the northern province.", "workers"),
    # the goal of an embedded transfer: "offered to send troops to X"
    ("Velmar has offered to send troops to Ostravia.", "Ostravia"),
    # a place where no party is on the receiving end
    ("The rebels declared a ceasefire in Northern Velmar on Sunday.", "Velmar"),
    ("Velmar troops remained on alert in the border district.", "district"),
    ("The army imposed a curfew in parts of the capital.", "parts"),
    ("Thousands of Velmar refugees sought refuge in Ostravia.", "Ostravia"),
    # a partitive object is the target itself, not the group inside it
    ("Police detained dozens of students outside the parliament.", "dozens"),
    # the party whose move is awaited: "will not end the strike until X ..."
    ("The dock workers said they will not end the strike until the port authority meets their demands.",
     "authority"),
    # the party an attitude is directed at, the partner of a discussion
    ("The minister expressed solidarity with the people of Velmar.", "people"),
    ("The president discussed the border dispute with the Velmar prime minister.", "minister"),
    # the possessor of a patient noun undergoes the act
    ("The court ordered the tanker's release.", "tanker"),
    # an indirect object of the verb governing a nominal trigger
    ("The president gave the rebels a deadline to disarm.", "rebels"),
    # the beneficiary named in a purpose clause of a transfer
    ("The aid agency donated medical equipment to assist Ostravia.", "Ostravia"),
    # the goal hung on a participle inside the object: "restrictions imposed on X"
    ("The government lifted restrictions imposed on the opposition leader.", "leader"),
    # the party ordered to act
    ("The ministry ordered the newspaper to suspend publication for a month.", "newspaper"),
    # a generic group in a named place: the place
    ("Ostravia is sending troops to the peacekeeping force in Velmar.", "Velmar"),
    # the place named by the first of two coordinated acts
    ("Ostravia declared a state of emergency in the capital and dispatched troops.", "capital"),
])
def test_recipient_head(text, expected):
    c = classify(text)
    assert c.recipient and expected in c.recipient.split()


def test_coordinated_modifiers_split_into_actor_and_recipient():
    c = classify("Ostravia and Velmar negotiators reached a deal on fishing rights.")
    assert c.actor == "Ostravia"
    assert c.recipient == "Velmar negotiators"


def test_victims_of_a_passive_kill_give_way_to_the_attack_clause():
    c = classify("Three guards were killed when the rebels launched an attack on the Velmar embassy.")
    assert c.actor == "rebels"
    assert c.recipient and "embassy" in c.recipient


# --------------------------------------------------------------------------- ACLED sub-type rules (acled_subtype)
# Invented sentences, one per rule, written from the ACLED codebook definitions.

ACLED_RULES = [
    # "storm" as a weather noun only; "stormed" is an assault
    ("A tropical storm flooded coastal villages, killing four people.", "NATURAL_DISASTER"),
    ("Gunmen stormed a police post overnight, killing three officers.", "ARMED_CLASH"),
    # a claim of responsibility that did not happen, or a later sentence's claim, is no attribution
    ("A car bomb killed five people at a bus station. No group has claimed responsibility.", "REM_EXPLOS"),
    # intercepting weapons disrupts their use; intercepting people does not
    ("Customs officers intercepted a shipment of rifles at the port.", "DISR_WEAP"),
    # weapon words: anti-aircraft guns are no aircraft, an RPG is a launched projectile
    ("Militants attacked an army post with anti-aircraft guns and mortars.", "ART_MISS_ATTACK"),
    ("A rocket-propelled grenade hit a police vehicle, wounding two officers.", "ART_MISS_ATTACK"),
    ("Two people were wounded in a grenade explosion at a bus stop.", "GRENADE"),
    # protests: what they are about does not decide the type, what happens at them does
    ("Thousands of teachers marched through the capital to protest over a deadly bus crash.", "PEACE_PROTEST"),
    ("Police broke up a march by students in the capital.", "PROTEST_WITH_INTER"),
    ("Riot police watched as hundreds of nurses rallied outside the ministry.", "PEACE_PROTEST"),
    ("Protesters clashed with police outside the parliament.", "VIOL_DEMONSTR"),
    ("Four protesters died during demonstrations and clashes with the police.", "VIOL_DEMONSTR"),
    ("Hundreds of workers rallied in the capital, demanding the release of colleagues arrested by police last month.",
     "PEACE_PROTEST"),
    ("Police detained several activists during a demonstration outside the court.", "PROTEST_WITH_INTER"),
    ("Police detained several activists before the president's rally.", "ARREST"),
    ("Security forces killed two protesters during a crackdown on a peaceful march.", "FORCE_AGAINST_PROTEST"),
    # mob violence: the violence of an angry crowd or vigilantes
    ("An angry mob beat a suspected thief to death in the market.", "MOB_VIOL"),
    ("Angry villagers attacked two men accused of stealing cattle.", "MOB_VIOL"),
    # territory words need a place taken: a captured commander is an arrest
    ("The army captured a senior rebel commander near the border.", "ARREST"),
    ("Engineers cleared hundreds of landmines from farmland near the border.", "DISR_WEAP"),
    # ACLED agreements include surrenders and peace talks
    ("Dozens of rebel fighters surrendered to the army in the north.", "AGREEMENT"),
    ("The rebels and the government began peace talks in the capital.", "AGREEMENT"),
    ("Peace talks resumed despite the shelling of the capital.", "AGREEMENT"),
    # group changes, bases, transfers without a fight
    ("The army has formed a new special forces unit in the east.", "CHANGE_TO_GROUP_ACT"),
    ("The army has set up a number of checkpoints along the highway.", "HQ_ESTABLISHED"),
    ("The rebels entered the town and did not meet any resistance.", "NON_VIOL_TERRIT_TRANSFER"),
    ("Two militants detonated explosives near a checkpoint, killing themselves.", "SUIC_BOMB"),
    # accidents: a leak of a weapon-grade chemical, a fire that broke out
    ("A chlorine leak at a water treatment plant sickened dozens of workers.", "MAN_MADE_DISASTER"),
    ("A fire that broke out at a warehouse destroyed the stock.", "MAN_MADE_DISASTER"),
]


@pytest.mark.parametrize("text,code", ACLED_RULES)
def test_acled_rules(text, code):
    assert classify(text).acled == code


def test_intercepted_people_are_no_disrupted_weapons():
    assert classify("Border guards intercepted two men carrying forged passports.").acled != "DISR_WEAP"


def test_negated_arrest_is_not_the_main_event():
    assert classify("No arrests have been made after rioters looted shops in the town.").acled != "ARREST"


def test_collapsed_ceasefire_is_no_accident():
    assert classify("The ceasefire collapsed within hours.").acled != "MAN_MADE_DISASTER"


def test_riot_police_is_no_event():
    c = classify("Riot police stood outside the stadium.")
    assert c.acled not in ("VIOL_DEMONSTR", "MOB_VIOL")


@pytest.mark.parametrize("text,actor,recipient", [
    # the giver of a thing received is the actor, the receiver the recipient
    ("Velmar received an invitation from Ostravia to attend the summit.", "Ostravia", "Velmar"),
    # "his counterpart, NAME": the name says who
    ("The Velmar foreign minister met his counterpart, John Mercer, in Geneva on Monday.", None, "Mercer"),
    # a document's target is named inside it
    ("The watchdog published a report critical of the Velmar government.", "watchdog", "government"),
    # the party whose measure is backed
    ("The minister defended Ostravia's expansion of the port.", "minister", "Ostravia"),
    # a beneficiary named only in the purpose of a transfer
    ("Ostravia's finance ministry gave 5 million euros to promote investment in Velmar.", None, "Velmar"),
    # an explicit partner of talks outranks the coordinated subject
    ("The Velmar president and the Ostravia premier held talks with the UN envoy.", None, "envoy"),
    # the party a labour action is aimed at
    ("Dock workers went on strike on Monday at the Velmar Shipping Company.", "workers", "Company"),
])
def test_more_recipient_rules(text, actor, recipient):
    c = classify(text)
    if actor:
        assert c.actor and actor in c.actor.split(), c.actor
    assert c.recipient and recipient in c.recipient.split(), c.recipient


def test_recipient_span_keeps_the_agent_of_a_proposal():
    c = classify("The parliament rejected the proposal put forward by the Velmar delegation.")
    assert c.recipient and c.recipient.endswith("Velmar delegation")



@pytest.mark.parametrize("text,recipient", [
    # the goal of a transfer hung on a clause deep inside the object phrase
    ("The Velmar ministry gave tax records of the clients which include their names and addresses to the "
     "Ostravian government.", "government"),
    # a "to" goal the parse labels as a dative
    ("The Velmar ministry sent a team of doctors, nurses and drugs to the clinic, where two patients were said "
     "to be in a critical condition.", "clinic"),
    # a thing moved in the passive: the party it is moved to
    ("A carved ivory mask was handed over by Velmar curators to Ostravian officials last week.", "officials"),
    # a coordinated subject whose object is a mere measure: the second party
    ("Velmar and Ostravia have agreed to grant tariff concessions on grain.", "ostravia"),
    # the goal of a transfer noun hung on the verb that governs it
    ("Velmar on Monday announced the deployment of 300 soldiers, including 20 medics, to Ostravia on a "
     "monitoring mission.", "ostravia"),
    # the actor's own forces are no target: the place they are in or taken from
    ("Velmar has agreed to an enlargement of its monitoring force in Ostravia.", "ostravia"),
    ("The Velmar guards withdrew the batch of 200 sentries from Ostravia in March.", "ostravia"),
    # a clause of protest attached to the verb governing a nominal trigger
    ("A Velmar teacher has begun a hunger strike, protesting the ministry's pension reform.", "reform"),
])
def test_transfer_and_partner_recipients(text, recipient):
    from wirecoder.evaluate.plv import head_word

    c = classify(text)
    assert head_word(c.recipient) == recipient, (c.plover_type, c.actor, c.recipient)


@pytest.mark.parametrize("text,recipient", [
    # a "to" goal labelled as a dative, on the verb governing a transfer noun and in the passive
    ("The Velmar relief agency has provided its winter donations to homeless families.", "families"),
    ("The tax records and bank statements have been provided to the committee members before the vote.", "members"),
    # an encounter or arrangement acted on: the party on the other side
    ("The Ostran ecologists threatened to quit coalition government talks with the Velmar Labour party.", "party"),
    ("Opposition deputies angrily left a Velmar Palace meeting with Governor Ostra Belin on Monday.", "belin"),
    ("Two Velmari parties decided to join forces with the Ostran Farmers League before the vote.", "league"),
    ("The Velmar premier on Friday announced a two-week cease-fire with the Ostran militias.", "militias"),
    ("Ostravia sealed its frontier with Velmar on Sunday.", "velmar"),
    # an attitude: coordinated attitude nouns, "her support of X", the party inside "dialogue among X"
    ("The Brenn council voiced its solidarity with and support for the striking miners.", "miners"),
    ("The Brenn premier voiced her strong support of Governor Ostra Belin at the rally.", "belin"),
    ("The premier reaffirmed Velmar's support for the peace dialogue among Ostran clan elders.", "elders"),
    # the place inside a phrase about aid, and the goal deep inside it
    ("Velmar declared an immediate suspension of food aid in Ostravia.", "ostravia"),
    ("The Velmar minister hailed the supply of medical aid in Ostravia.", "ostravia"),
    ("The regent authorised the release of $5 million in Velmari farm assistance to Ostravia despite protests.",
     "ostravia"),
    # a multiword nominal trigger: its head carries the place
    ("The Velmar army declared a state of emergency in Ostravia.", "ostravia"),
    # a locative "throughout X" is not part of the target's phrase
    ("Velmar jets bombed militia depots throughout the Ostra delta.", "depots"),
    # a participle that names the party is part of its phrase
    ("Ostravia froze funding to a Velmari militia known as the Iron Wolves.", "wolves"),
    # coordinated event nouns share their complement
    ("The Velmar council expressed its complete rejection and firm condemnation of the Ostran premier's plan.",
     "plan"),
    # a broken rule or agreement: the party that set it, else the target of the means
    ("Velmar gunmen broke Ostravia's truce with a raid on Tuesday.", "ostravia"),
    ("Velmar has violated a ban by the Ostran council on missile tests.", "council"),
    ("Ostran troops breached the armistice by shelling farms near the river.", "farms"),
    # a verb done together with another party: that party, not the thing shared
    ("Velmar agreed to share flight records with Ostravia under a new treaty.", "ostravia"),
    ("The Velmar police shared evidence with Ostravia this week against Dano Kiru, a banker accused of fraud.",
     "ostravia"),
    # "the region" points back to the place named in the first conjunct
    ("Ostravia imposed martial law in Brenn County and sent troops to the region.", "county"),
    # a part of a party is a party
    ("The regent mobilized his guards for a campaign against the remnants of the Ostra Legion.", "remnants"),
    # the party a "for ... to" clause lets or has act
    ("The Velmar cabinet gave approval for the Ostran Rescue Corps to open two clinics.", "corps"),
    ("The Velmar envoy is pushing hard for the Ostran council to hold new elections.", "council"),
    # a message's participle clause: the party it is addressed to
    ("The Velmar minister sent a note to the chief of the Ostra League threatening to cut funding over the "
     "vote.", "chief"),
    # the parse merges a name into a participle taken for a noun
    ("The junta issued an ultimatum to Brenn warning of military reprisals.", "brenn"),
    # a purpose clause hung on the thing given
    ("Brenn announced a fivefold rise in spending to tackle malaria in Ostravia.", "ostravia"),
])
def test_recipient_rules_round_two(text, recipient):
    from wirecoder.evaluate.plv import head_word

    c = classify(text)
    assert head_word(c.recipient) == recipient, (c.plover_type, c.actor, c.recipient)


def test_sent_letter_accusing_keeps_the_accused():
    c = classify("The Velmar president sent a letter to the Ostra Council accusing Dano Kiru of fraud.")
    assert c.recipient and "Kiru" in c.recipient


def test_trigger_word_inside_a_name_is_no_event():
    from wirecoder.events import in_name
    from wirecoder.resources import default_resources

    doc = default_resources().nlp("The Ostran Liberation Front published a report on the Velmar prisons.")
    assert in_name(doc[2])


# --------------------------------------------------------------------------- one coder

SENTENCES = [
    "Rebels ambushed an army convoy near the river, killing six soldiers.",
    "Police arrested twelve students outside the university.",
    "The militia threatened to attack the capital if its leader was arrested.",
    "Japan will provide emergency loans to the island states.",
]


RECORDED = SENTENCES[:2]


@pytest.mark.parametrize("text", SENTENCES)
def test_extract_gives_the_event_the_evals_score(text):
    """`extract` on a sentence yields the very main event that eval plv/case2021/gsr score,
    and where that event is realis it is one of the article's event records."""
    from wirecoder.evaluate.sentences import as_article
    from wirecoder.pipeline import extract

    result = extract(as_article(text))
    scored = classify(text)
    m = result.main_event
    assert m is not None and scored.mention == m
    assert (scored.plover_type, scored.acled, scored.actor, scored.recipient) == (
        m.plover_type, m.acled_code, m.actor_phrase.text if m.actor_phrase else None,
        m.recipient_phrase.text if m.recipient_phrase else None)
    owners = [e for e in result.events if any(x.trigger == m.trigger for x in e.mentions)]
    assert all(e.plover_type == m.plover_type for e in owners)
    if text in RECORDED:   # realis, with its participants: also one of the article's event records
        assert owners


def test_extract_main_event_of_an_ambush():
    from wirecoder.evaluate.sentences import as_article
    from wirecoder.pipeline import extract

    m = extract(as_article(SENTENCES[0])).main_event
    assert (m.plover_type, m.acled_code, m.actor_phrase.text, m.recipient_phrase.text) == (
        "ASSAULT", "ARMED_CLASH", "Rebels", "army convoy")
