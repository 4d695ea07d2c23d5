"""Is it an attack report? The prefilter, the language check and the decision on invented articles."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from extractors import extract, extract_batch
from extractors.cues import counted_cues
from extractors.detection import DetectionFacts, decide, looks_english, passes_prefilter

ATTACKS = {
    "mosque bombing": "KABUL, Afghanistan — A suicide bomber blew himself up outside a mosque in the western city "
                      "of Herat on Friday, killing at least 12 worshippers and wounding 30 others, police said.\n\n"
                      "No group immediately claimed responsibility for the bombing.",
    "school kidnapping": "Gunmen stormed a boarding school in the town of Funtua in Nigeria's Katsina state on "
                         "Tuesday night and abducted at least 20 students, police said.",
    "station stabbing": "A man armed with a knife stabbed four people at the main railway station in Hamburg on "
                        "Monday, killing one of them, before police overpowered him, officials said.",
    "headline verb": "Armed men storm market town, killing 12\n\nArmed men on motorbikes raided the market town of "
                     "Dorowa in the north of the country on Sunday night, shooting traders and setting their shops "
                     "ablaze, police said. Twelve people were killed, and the attackers fled into the bush.",
    "militants and soldiers killed": "Militants attacked an army checkpoint in the district on Friday, and three "
                                     "soldiers and two militants were killed in the gunfight, police said.",
    "attackers killed in the riposte": "Militants stormed a police station in Dera Kalan on Monday night, killing "
                                       "four policemen, officials said. Security forces killed three of the "
                                       "attackers in a gunfight that lasted several hours.",
    "van through pedestrians": "A van ploughed through pedestrians on a busy shopping street in Lund on Friday "
                               "afternoon, killing three people and injuring 14, police said. Investigators are "
                               "treating it as a terrorist attack.",
    "knifeman": "A knifeman killed two people and wounded four at the central railway station in Kessel on Sunday "
                "evening before police officers overpowered him, officials said.",
    "attack repelled": "The army repelled an attack by militants on a base in the northern district of Kalam on "
                       "Sunday, killing 12 of the assailants, a military spokesman said. Two soldiers were wounded.",
    "vehicle ramming": "A driver ploughed his van into a crowd of shoppers in the centre of Graz on Saturday, "
                       "killing three people and injuring 20, police said.",
    "deliberate van": "A rental van mounted the pavement on a busy avenue in Halden on Tuesday and killed seven "
                      "people, police said. Witnesses said the driver was deliberately hitting people as he "
                      "sped along the footway for two blocks before officers stopped him.",
}
LOOK_ALIKES = {
    "earthquake": "A magnitude 6.1 earthquake struck a mountainous province on Monday, killing 14 people and "
                  "destroying hundreds of homes, officials said. Aftershocks rattled the area overnight.",
    "gas explosion": "A gas cylinder exploded in a crowded restaurant on Wednesday, killing six people and "
                     "injuring 11, firefighters said. Police said there was no sign of a bomb and ruled out "
                     "sabotage, blaming a gas leak.",
    "border shelling": "Troops from the two countries exchanged fire across the disputed border on Monday, and "
                       "artillery shelling killed three civilians in a frontier village, the army said.",
    "ordinary murder": "A man stabbed his neighbour to death on Sunday after a dispute over a parking space, "
                       "police said. The suspect was arrested at his home and charged with murder.",
    "trial": "A court on Tuesday sentenced two men to life in prison for helping plan a 2019 bombing that "
             "killed 20 people at a bus station. The judge said the attack had been carefully prepared.",
    "anniversary": "Hundreds of people gathered on Sunday to mark the fifth anniversary of a suicide bombing "
                   "that killed 40 people at a concert hall. Survivors laid wreaths at the memorial.",
    "football": "Striker Luca Rossi fired a late shot that exploded into the net as City blasted United 4-1 on "
                "Saturday. The visitors' attack ran riot in the second half and the league leaders extended "
                "their lead to six points with the goal.",
    "security raid": "Soldiers raided a hideout in the hills of Sangrur district on Thursday and shot dead four "
                     "militants in a gunfight that lasted three hours, the army said. Two soldiers were wounded.",
    "army operation": "Troops on a clearance operation near the lake came across a band of insurgents on Monday "
                      "and killed 17 of them, an army spokesman said. Rifles and motorcycles were recovered.",
    "foiled plot": "Police said on Friday that five men detained in dawn raids had plotted a bomb attack on a "
                   "crowded festival and were found with bomb-making materials. The plot was foiled weeks before "
                   "the event, officials said.",
    "bomb hoax": "A shopping centre in Lindholm was evacuated on Saturday after a caller warned of a bomb in a "
                 "parked van. The bomb scare proved false: officers found nothing and the all-clear was given "
                 "two hours later.",
    "phoned threat": "A flight bound for Oslo was diverted on Sunday after a telephoned bomb threat, the airline "
                     "said. No explosives were found aboard and all 180 passengers left the plane safely.",
    "terror law": "Parliament on Wednesday passed a counter-terrorism law that lets police hold terrorist suspects "
                  "for longer. The bill gives intelligence agencies new powers against extremist networks.",
    "drill": "Emergency services staged a mock drill at the central station on Tuesday, simulating a bomb "
             "attack with 40 volunteers playing the wounded, in an exercise to test the city's response.",
    "thriller": "The new thriller series opens with a suicide bomber who blows up a commuter train, killing 30 "
                "people. The drama's first episode drew eight million viewers, and critics praised the lead actor.",
    "bomb cyclone": "A bomb cyclone battered the coast on Friday with hurricane-force gusts; two people were killed "
                    "by falling trees and thousands lost power as the storm moved north.",
    "cylinder blast": "A gas cylinder blew up in a roadside eatery on Monday, killing three people and injuring "
                      "nine, firefighters said.",
    "wartime bomb": "Thousands of residents left the centre of Kessen on Sunday so that experts could defuse an "
                    "unexploded wartime bomb found on a building site. The bomb was made safe after three hours.",
    "airstrikes": "Troops killed 40 insurgents in a series of airstrikes and ground assaults in the north, the army "
                  "said on Monday. Five soldiers died in the fighting.",
    "designation": "The government on Wednesday designated the Sahel-based group a terrorist organisation and froze "
                   "its assets. Officials said the group had carried out attacks that killed hundreds of civilians.",
    "encounter": "Two terrorists neutralised in Rampur encounter\n\nTwo terrorists were killed in an encounter "
                 "with security forces in the district on Tuesday, police said. A joint team launched a cordon "
                 "and search operation in the village, and the hiding terrorists opened fire, officials said.",
    "threat message": "The militant group on Friday threatened to carry out more attacks in the country unless it "
                      "withdrew its troops. In an audio message posted online, a spokesman warned that the "
                      "capital would not be safe.",
    "bus ran over a cyclist": "A bus ran over a cyclist at a busy junction in the city centre on Monday morning, "
                              "killing him instantly, police said. The driver stopped at the scene.",
    "stopped before the attack": "A bomb plot was foiled on Saturday when security personnel arrested four men "
                                 "before they were able to carry out an attack on a market. Officers carried out "
                                 "a raid on their flat and seized detonators, officials said.",
    "travel advisory": "The foreign ministry on Monday updated its travel advice for the region. Because terrorist "
                       "attacks often happen without warning, travellers are urged to avoid crowded places and "
                       "follow local news. Kidnappings can also occur in remote border areas, it said.",
    "book review": "This gripping coming-of-age novel follows a teenage girl who survives a bombing in her city "
                   "and sets out to find her brother. Readers will warm to its stubborn heroine, though the "
                   "ending feels rushed. Ages 12 and up.",
    "markets": "Shares were massacred on Monday as a global sell-off bombed the main index, which shed 4 "
               "percent. Traders said investors fled to bonds as bank stocks led the rout in heavy trading.",
}


@pytest.mark.parametrize("name", ATTACKS)
def test_invented_attacks_are_detected(nlp, make_article, name):
    assert extract(make_article(ATTACKS[name]), nlp).is_attack_report


@pytest.mark.parametrize("name", LOOK_ALIKES)
def test_look_alikes_are_not_attack_reports(nlp, make_article, name):
    result = extract(make_article(LOOK_ALIKES[name]), nlp)
    assert not result.is_attack_report
    assert result.incidents == []


def test_prefilter_passes_attack_words_in_title_or_text_and_drops_the_rest():
    assert passes_prefilter(None, ATTACKS["school kidnapping"])
    assert passes_prefilter("Gunmen kill five", "Officials gave no details.")
    assert not passes_prefilter("Budget talks", "The council approved the budget for the new library on Monday.")


@pytest.mark.parametrize("everyday", [
    "The merger news landed as a bombshell for rival carriers.",
    "Streaming subscriptions saw explosive growth over the summer.",
    "The retailer said a cyber attack had disrupted deliveries and injured its reputation with customers.",
    "A blast of cold air will sweep across the plains on Thursday, and doctors expect injuries from ice.",
    "The striker, injured in the first half, watched his side attack in waves.",
    "Dock workers went on strike and warned the dispute could hurt exports.",
])
def test_prefilter_ignores_everyday_senses_of_attack_words(everyday):
    assert not passes_prefilter(None, everyday)


@pytest.mark.parametrize("sentence", [
    "A van ploughed through pedestrians on a shopping street, killing three people.",
    "A man mowed down pedestrians with a truck on the promenade, killing 12.",
    "A knifeman killed two people at a train station.",
    "A man wielding a machete wounded five people at a school.",
    "A truck drove onto the pavement and hit dozens of people, killing eight.",
])
def test_prefilter_keeps_rammings_and_knife_attacks_without_attack_words(sentence):
    assert passes_prefilter(None, sentence)


@pytest.mark.parametrize("sentence", [
    "Harbour van attack: what we know",
    "Witnesses said the driver deliberately drove onto the pavement.",
    "The man deliberately ran down cyclists on the bridge.",
])
def test_prefilter_keeps_vehicle_attacks_named_as_such(sentence):
    assert passes_prefilter(None, sentence)


@pytest.mark.parametrize("everyday", [
    "A delivery van struck a pedestrian at a crossing on Monday, police said.",
    "The midfielder deliberately handled the ball and was booked.",
])
def test_prefilter_ignores_traffic_accidents_and_other_deliberate_acts(everyday):
    assert not passes_prefilter(None, everyday)


def test_prefilter_keeps_ambiguous_words_about_people_harmed():
    assert passes_prefilter(None, "An explosion tore through a crowded bus, and at least nine people were killed.")
    assert passes_prefilter(None, "A man with a knife wounded three passengers at a tram stop.")


def test_prefilter_matches_whatever_the_case_of_the_text():
    assert passes_prefilter("GUNMEN STORM VILLAGE", "Officials gave no details.")
    assert passes_prefilter(None, "Une EEI a explosé au passage du convoi.", "fr")


def test_prefilter_patterns_must_be_lowercase(monkeypatch):
    from types import SimpleNamespace

    import extractors.detection as detection

    uppercase = SimpleNamespace(folder=Path("xx"), patterns=dict.fromkeys(detection.PREFILTER_PATTERNS,
                                                                          re.compile(r"\b(?:IED)\b")))
    monkeypatch.setattr(detection, "resources", lambda language: uppercase)
    with pytest.raises(ValueError, match="lowercase"):
        detection.passes_prefilter(None, "An IED went off.", "xx")


def test_every_invented_attack_passes_the_prefilter():
    assert all(passes_prefilter(None, text) for text in ATTACKS.values())


def test_language_check_rejects_other_languages_and_scripts():
    assert looks_english(ATTACKS["mosque bombing"])
    assert not looks_english("Una bomba estalló el lunes en un mercado de la ciudad, matando a doce personas, "
                             "según la policía local, que investiga el ataque.")
    assert not looks_english("Взрыв на рынке в понедельник унес жизни двенадцати человек.")
    assert not looks_english("")


def test_non_english_article_is_not_read_even_with_attack_words(nlp, make_article):
    spanish = ("Una bomba estalló el lunes en un mercado de Kabul, matando a doce personas; la policía dijo que "
               "un terrorista suicida detonó explosivos.")
    assert passes_prefilter(None, spanish)
    result = extract(make_article(spanish), nlp)
    assert (result.is_attack_report, result.incidents) == (False, [])
    assert (result.language, result.read) == ("es", False), "said to be unread, not a plain 'no attack'"


def test_english_article_is_read_and_says_its_language(nlp, make_article):
    result = extract(make_article("Stocks rose on Monday as investors weighed the latest figures on inflation."), nlp)
    assert (result.is_attack_report, result.language, result.read) == (False, "en", True)


def facts(**changes) -> DetectionFacts:
    values = dict(attack_sentences=1, lead_labels=frozenset({"attack"}), lead_non_state=False,
                  lead_casualties=frozenset({"killed"}), lead_dead_militants=False, lead_against_militants=False,
                  operation_before_attack=False, lead_dead_are_forces=False,
                  main_labels=Counter({"attack": 1}), non_state=False, victims=5, political_target=False,
                  violent=True)
    values.update(changes)
    return DetectionFacts(**values)


@pytest.mark.parametrize(("changes", "expected"), [
    ({}, True),
    ({"attack_sentences": 0}, False),
    ({"lead_labels": frozenset({"attack", "negative:court"})}, False),
    ({"lead_labels": frozenset({"attack_weak", "negative:accident"})}, False),
    ({"lead_labels": frozenset({"attack", "negative:accident"})}, True),
    ({"lead_labels": frozenset({"negative:military"})}, False),
    ({"lead_labels": frozenset({"negative:military"}), "lead_non_state": True}, True),
    ({"main_labels": Counter({"attack": 1, "negative:crime": 1}), "victims": 1}, False),
    ({"main_labels": Counter({"attack": 1, "negative:crime": 1}), "victims": 1, "political_target": True}, True),
    ({"main_labels": Counter({"negative:sports": 2}), "victims": 0}, False),
    ({"violent": False}, False),
    ({"lead_labels": frozenset({"attacker"}), "lead_casualties": frozenset({"attackers_killed", "injured"}),
      "lead_dead_militants": True}, False),
    ({"lead_labels": frozenset({"attack", "attacker"}), "lead_casualties": frozenset({"attackers_killed"}),
      "lead_dead_militants": True}, True),
    ({"lead_labels": frozenset({"attacker"}), "lead_casualties": frozenset({"attackers_killed", "killed"}),
      "lead_dead_militants": True}, True),
    ({"lead_labels": frozenset({"attacker", "negative:military"}),
      "lead_casualties": frozenset({"attackers_killed", "killed"}), "lead_dead_militants": True,
      "lead_dead_are_forces": True}, False),
    ({"lead_labels": frozenset({"attacker"}), "lead_casualties": frozenset({"attackers_killed", "killed"}),
      "lead_dead_militants": True, "lead_dead_are_forces": True}, True),
    ({"lead_labels": frozenset({"negative:military", "terror"}), "lead_casualties": frozenset(),
      "lead_non_state": True, "lead_against_militants": True}, False),
    ({"lead_labels": frozenset({"attack", "terror"}), "lead_against_militants": True}, True),
    ({"lead_labels": frozenset({"negative:military", "terror"}), "lead_casualties": frozenset(),
      "lead_non_state": True, "operation_before_attack": True}, False),
    ({"lead_labels": frozenset({"attack", "negative:military"}), "operation_before_attack": True}, True),
    ({"lead_labels": frozenset({"terror"}), "lead_casualties": frozenset({"killed"}), "lead_against_militants": True},
     True),
    ({"lead_labels": frozenset({"negative:plot", "terror"}), "lead_casualties": frozenset()}, False),
    ({"lead_labels": frozenset({"negative:hoax"}), "lead_casualties": frozenset()}, False),
    ({"lead_labels": frozenset({"negative:policy", "terror"}), "lead_casualties": frozenset()}, False),
    ({"lead_labels": frozenset({"negative:plot", "attack"})}, True),
    ({"lead_labels": frozenset({"negative:plot"}), "lead_casualties": frozenset({"killed"})}, True),
    ({"lead_labels": frozenset({"attack", "negative:fiction"}),
      "main_labels": Counter({"attack": 2, "negative:fiction": 3})}, False),
    ({"lead_labels": frozenset({"attack", "negative:fiction"}),
      "main_labels": Counter({"attack": 2, "negative:fiction": 1})}, True),
])
def test_decision_rules(changes, expected):
    assert decide(facts(**changes))[0] is expected


def test_batch_keeps_order_and_ids_and_skips_non_attacks_before_parsing(nlp, make_article):
    articles = [make_article("The council approved the library budget on Monday.", article_id="n1"),
                make_article(ATTACKS["mosque bombing"], article_id="p1", published=dt.date(2024, 3, 9)),
                make_article(LOOK_ALIKES["earthquake"], article_id="n2")]
    results = extract_batch(articles, nlp, batch_size=2)
    assert [(r.id, r.is_attack_report) for r in results] == [("n1", False), ("p1", True), ("n2", False)]
    assert results[1].main.location.city == "Herat"
    assert results[1].main.date == dt.date(2024, 3, 8)


def counted(nlp, sentence: str) -> list[tuple[str, str]]:
    return [(c.text, c.label_) for c in counted_cues(nlp(sentence)._.newswatch_cues)
            if c.label_.partition(":")[0] in ("attack", "attack_weak", "negative")]


@pytest.mark.parametrize("sentence", [
    "Four men had plotted a bomb attack on the parade, prosecutors said.",
    "Officials said a second attack had been thwarted by the arrests.",
    "The caller warned of a bomb hidden in a parked van.",
    "Officers were told of a possible bomb outside the town hall.",
    "Firefighters staged an exercise simulating a bomb attack on the metro.",
    "Volunteers played the casualties of a simulated gun attack at the depot.",
    "The group threatened to carry out more attacks against the capital.",
])
def test_planned_threatened_or_staged_attacks_are_not_events(nlp, sentence):
    assert not [label for _, label in counted(nlp, sentence) if label in ("attack", "attack_weak")]


@pytest.mark.parametrize("sentence", [
    "Police arrested the two men before they could detonate the bomb at the stadium.",
    "The cell was broken up before its members were able to launch an attack on the embassy.",
    "Bomb attacks frequently hit the old town at night, visitors were told.",
    "Suicide bombings can happen anywhere in the region, the embassy warned.",
])
def test_prevented_and_generic_attacks_are_not_events(nlp, sentence):
    assert not [label for _, label in counted(nlp, sentence) if label in ("attack", "attack_weak")]


@pytest.mark.parametrize("sentence", [
    "The gunmen shot two guards before they detonated the bomb at the gate.",
    "Officials said the attack may have been carried out by a local cell.",
    "Doctors said the toll from the bombing may rise as more bodies are found.",
])
def test_attacks_that_happened_stay_events(nlp, sentence):
    assert [label for _, label in counted(nlp, sentence) if label == "attack"]


def test_raid_by_security_personnel_is_state_force(nlp):
    assert ("raid", "negative:military") in counted(nlp, "Security personnel carried out a raid on a house.")


def test_attack_verb_joined_to_a_troops_clause_is_state_force(nlp):
    cues = counted(nlp, "Troops from the garrison ran into the insurgents near the lake and shot them dead.")
    assert ("shot", "negative:military") in cues


def test_attack_words_done_by_a_crowd_are_a_riot(nlp, make_article):
    cues = counted(nlp, "Rioters set fire to a police post in the market town on Tuesday.")
    assert ("set fire to", "negative:riot") in cues and ("set fire to", "attack") not in cues
    text = ("At least six people were killed on Tuesday as police fired live rounds at protesters in three towns, a "
            "rights group said.\n\nDemonstrators torched a police post and looted shops in Eldoret. Several of the "
            "dead had been shot by police, the group said.")
    [result] = extract_batch([make_article(text)], nlp=nlp)
    assert not result.is_attack_report
    # a crowd's victims are no crowd's doing when gunmen attack it
    [attack] = extract_batch([make_article("Gunmen opened fire on a crowd of protesters in Eldoret on Tuesday, "
                                           "killing six people, police said.")], nlp=nlp)
    assert attack.is_attack_report


def test_explosion_whose_subject_is_a_gas_cylinder_is_the_accident(nlp):
    cues = counted(nlp, "A gas cylinder blew up in a crowded kitchen on Monday.")
    assert ("blew up", "attack") not in cues and ("gas cylinder", "negative:accident") in cues


def test_weather_words_used_as_verbs_or_in_weather_phrases(nlp):
    assert ("storm", "negative:disaster") not in counted(nlp, "Armed men storm Kalari, killing nine villagers.")
    cues = counted(nlp, "The nor'easter became a bomb cyclone overnight.")
    assert ("bomb cyclone", "negative:disaster") in cues and ("bomb", "attack") not in cues


def test_a_time_preposition_stops_the_search_for_a_plan_or_threat(nlp):
    assert ("attack", "attack") in counted(nlp, "Officials urged calm after the attack on the market in Kossi.")


def test_neutralised_militants_count_as_militants_killed(nlp):
    from extractors.detection import neutralised_militants

    assert neutralised_militants(nlp("Troops neutralised 23 terrorists near the lake."))
    assert neutralised_militants(nlp("Three militants were neutralized in the operation."))
    assert not neutralised_militants(nlp("Police defused a bomb left by militants."))
