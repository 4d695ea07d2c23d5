"""French detection, attack types and claims, on reports invented in the style of French wire copy: the same
rules as English, read with the French words of extractors/data/languages/fr/."""

from __future__ import annotations

import pytest

from extractors import extract
from extractors.cues import counted_cues

ATTACKS = {
    "village_attack_with_attackers_neutralised_by_vdp": (
        "OUAGADOUGOU, 4 mars (AFP) - Des hommes armés ont attaqué dimanche le village de Kassa, dans la province "
        "du Sourou, tuant six civils et deux volontaires pour la défense de la patrie (VDP), selon des sources "
        "locales. Dix assaillants ont été neutralisés par les VDP lors de la riposte, a précisé une source "
        "sécuritaire."),
    "ambush_of_soldiers": (
        "NIAMEY, 5 mars (Reuters) - Douze soldats nigériens ont été tués jeudi dans une embuscade tendue par des "
        "jihadistes contre leur convoi près de Tillabéri, a annoncé le ministère de la Défense dans un communiqué."),
    "suicide_bombing_at_a_market": (
        "YAOUNDÉ, 6 mars - Un kamikaze s'est fait exploser vendredi matin au milieu du marché de Kolofata, dans "
        "l'Extrême-Nord du Cameroun, faisant au moins neuf morts et une vingtaine de blessés, selon les autorités "
        "locales, qui imputent l'attentat au groupe jihadiste Boko Haram."),
    "knife_attack_at_a_school": (
        "Un homme armé d'un couteau a poignardé mardi matin deux enseignants devant un collège de Nantes avant "
        "d'être interpellé par la police, a indiqué le parquet national antiterroriste, qui s'est saisi de "
        "l'enquête."),
}
LOOK_ALIKES = {
    "army_operation": (
        "OUAGADOUGOU, 4 mars (AFP) - L'armée burkinabè a neutralisé une vingtaine de terroristes lors d'une "
        "opération de ratissage menée lundi dans la province du Soum, a annoncé l'état-major dans un communiqué. "
        "Aucune perte n'a été enregistrée dans les rangs des soldats. La semaine dernière, des jihadistes avaient "
        "attaqué un poste de gendarmerie dans la même province."),
    "airstrike_on_a_column": (
        "Des frappes aériennes de l'armée ont visé mardi une colonne de jihadistes qui s'apprêtaient à attaquer "
        "un convoi près de Djibo, ont indiqué des sources sécuritaires. Plusieurs dizaines de terroristes ont "
        "été éliminés, selon la même source."),
    "gas_explosion": (
        "LYON, 5 mars - Une explosion due à une fuite de gaz a fait trois morts et onze blessés mardi soir dans un "
        "immeuble du quartier de la Guillotière, selon les pompiers, qui écartent toute piste criminelle."),
    "foiled_plot": (
        "Deux hommes soupçonnés de préparer un attentat contre une église de Lille ont été interpellés mardi, a "
        "annoncé le parquet national antiterroriste. Le projet d'attentat a été déjoué, selon le ministre."),
    "anniversary": (
        "TUNIS, 18 mars - La Tunisie a commémoré vendredi le deuxième anniversaire de l'attentat contre un hôtel "
        "de Sousse, lors d'une cérémonie en hommage aux victimes en présence du Premier ministre."),
    "operation_with_losses": (
        "N'DJAMENA, 9 mars (AFP) - L'armée tchadienne a tué 40 combattants de Boko Haram lors d'une opération de "
        "ratissage sur les îles du lac, six soldats ont péri au cours de l'opération, selon l'état-major. "
        "L'opération avait été lancée après des attaques des jihadistes contre des positions militaires."),
    "bus_crash": (
        "Au moins 20 personnes ont été tuées dans un accident de la route entre un bus et un camion-citerne près "
        "de Bafoussam, a indiqué la gendarmerie mercredi."),
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_french_attacks_are_detected(french_nlp, make_article, name):
    assert extract(make_article(ATTACKS[name]), french_nlp).is_attack_report


@pytest.mark.parametrize("name", sorted(LOOK_ALIKES))
def test_french_look_alikes_are_not_attack_reports(french_nlp, make_article, name):
    assert not extract(make_article(LOOK_ALIKES[name]), french_nlp).is_attack_report


@pytest.mark.parametrize(("name", "types"), [
    ("village_attack_with_attackers_neutralised_by_vdp", ["armed_assault"]),
    ("ambush_of_soldiers", ["armed_assault"]),
    ("suicide_bombing_at_a_market", ["bombing"]),
    ("knife_attack_at_a_school", ["armed_assault"]),
])
def test_french_attack_types(french_nlp, make_article, name, types):
    [incident, *_] = extract(make_article(ATTACKS[name]), french_nlp).incidents
    assert incident.attack_types == types


def test_french_suicide_bombing_is_suicide_and_boko_haram_suspected(french_nlp, make_article):
    [incident, *_] = extract(make_article(ATTACKS["suicide_bombing_at_a_market"]), french_nlp).incidents
    assert incident.suicide
    assert [(p.name, p.role) for p in incident.perpetrators] == [("Boko Haram", "suspected")]


def test_french_kidnapping_and_burning_are_their_gtd_types(french_nlp, make_article):
    text = ("Des hommes armés ont enlevé jeudi soir quinze élèves dans un internat de Kankara et ont incendié "
            "plusieurs bâtiments de l'école avant de prendre la fuite, selon la police.")
    [incident, *_] = extract(make_article(text), french_nlp).incidents
    assert incident.attack_types == ["facility_attack", "kidnapping"]


def test_french_claim_names_the_group_and_its_branch(french_nlp, make_article):
    text = ("Des jihadistes ont attaqué lundi un poste militaire à Inates, dans l'ouest du Niger, tuant 14 soldats. "
            "L'attaque a été revendiquée mardi par l'État islamique au Grand Sahara (EIGS).")
    [incident, *_] = extract(make_article(text), french_nlp).incidents
    assert [(p.name, p.branch, p.role) for p in incident.perpetrators] == [
        ("Islamic State", "Sahel Province", "claimed")]


@pytest.mark.parametrize(("sentence", "family"), [
    ("Les soldats ont attaqué une base des rebelles à l'aube.", "negative:military"),
    ("L'armée a lancé une attaque contre les positions des terroristes.", "negative:military"),
    ("Les VDP ont repoussé une attaque de terroristes contre le village.", "attack"),
    ("Les militaires ont essuyé une attaque dans la nuit.", "attack"),
    ("Les militaires ont repoussé l'attaque des jihadistes contre leur base.", "attack"),
    ("Les terroristes s'apprêtaient à attaquer un convoi.", None),
    ("Il ne s'agit pas d'un attentat, selon le procureur.", None),
    ("Des hommes armés ont attaqué le village dans la nuit.", "attack"),
    ("Sept déplacés ont été tués jeudi par des miliciens sur le site de Djaiba.", "attack"),
    ("Les soldats n'ont pas pu empêcher l'attaque du camp.", "attack"),
    ("Les soldats ont réussi à empêcher l'attaque du camp.", None),
])
def test_french_attack_words_done_by_troops_planned_or_negated(french_nlp, sentence, family):
    families = {c.label_ for c in counted_cues(french_nlp(sentence)._.newswatch_cues)
                if c.label_ in ("attack", "negative:military")}
    assert families == ({family} if family else set())
