"""Invented everyday news (business, sports, weather, politics, technology; in English or French) and mixed streams
for the pipeline benchmarks.

Filler articles are built from short phrase lists joined by a small grammar, so two fillers rarely share
five words in a row and dedup does not take them for copies of each other. A share of them (HOOK_SHARE)
has one sentence that uses attack-like words in their everyday sense ("a bombshell", "attack after attack"
with "injured", "a cyber attack hurt sales"), as everyday news does, so that this share passes the
extractor's keyword prefilter and goes through spaCy as it would in production.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractors.schema import Article  # noqa: E402
from tests.integration.corpus import DEVSET, devset_articles, syndicated_copy  # noqa: E402

DEVSET_FR = DEVSET.parent / "devset-fr"

CITIES = ["Leeds", "Denver", "Lyon", "Osaka", "Porto", "Calgary", "Adelaide", "Gdansk", "Bergen", "Austin",
          "Valencia", "Tampere", "Nagoya", "Cork", "Graz", "Rotterdam", "Dunedin", "Halifax", "Bologna", "Tucson"]
PEOPLE = ["Maria Lindqvist", "Tom Okafor", "Priya Raman", "Jonas Becker", "Elena Sousa", "Marcus Hale",
          "Aiko Tanaka", "Lucy Brennan", "Pavel Novak", "Sara Holm", "Diego Ferrer", "Nadia Karim",
          "Owen Price", "Ingrid Dahl", "Rafael Costa", "Helen Marsh", "Kenji Mori", "Clara Weiss"]
COMPANIES = ["Northwind Foods", "Brightline Rail", "Corvel Systems", "Harbor Mutual", "Alder Pharma",
             "Quarry Steel", "Luma Retail", "Kestrel Air", "Vantor Energy", "Pinecrest Homes", "Orbis Media",
             "Tidewater Logistics", "Sable Motors", "Meridian Bank", "Cobalt Chips", "Greenfield Dairy"]
TEAMS = ["Rovers", "United", "Athletic", "City", "Wanderers", "Falcons", "Harriers", "Comets", "Rangers",
         "Mariners", "Stallions", "Thunder", "Pioneers", "Royals"]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "over the weekend",
        "late on Sunday", "earlier this week", "this morning", "on Saturday evening"]

# Share of filler with one sentence that uses attack-like words in their everyday sense (see the "hook" lists).
HOOK_SHARE = 0.3
# Per topic: headlines, hook sentences, and sentence parts picked independently (subject, verb phrase, object, tail).
TOPICS: dict[str, dict[str, list[str]]] = {
    "business": {
        "hook": ["Analysts called the forecast a bombshell for suppliers.",
                 "Strikes at the {city} plant have hurt output since {month}."],
        "headline": ["{company} {verb_past} forecasts as demand {trend}", "{company} to {plan} after {quarter} results",
                     "Investors weigh {company} outlook as {market} {trend}"],
        "subject": ["{company}", "The {city}-based group", "Its chief financial officer, {person},",
                    "Analysts at {company}", "The board of {company}", "A spokesperson for {company}",
                    "Rival {company}", "Shareholders in {company}"],
        "verb": ["said revenue rose {pct} percent to {money}", "cut its full-year guidance by {pct} percent",
                 "reported operating margins of {pct} percent", "plans to sell its {unit} unit",
                 "expects prices to hold steady through {month}", "announced {number} job cuts at its {unit} division",
                 "raised its dividend to {cents} cents a share", "agreed to buy a {unit} maker for {money}",
                 "warned that freight costs had climbed for a {ordinal} quarter", "kept its outlook unchanged"],
        "object": ["in the {quarter} quarter", "{day}", "citing weaker orders from {city}",
                   "after a slow start to the year", "as interest rates eased", "despite a strong dollar",
                   "helped by online sales", "while inventories piled up in {city}"],
        "tail": ["Shares closed {pct} percent {direction}.", "The company will report again in {month}.",
                 "Trading volume was about {number} shares.", "The deal still needs approval from regulators.",
                 "Unions in {city} said they would seek talks.", "The stock has gained {pct} percent this year."],
    },
    "sports": {
        "hook": ["{person}, injured in the first half, watched {team_b} launch attack after attack.",
                 "{person} fired a shot against the post; the injured striker should be back next week."],
        "headline": ["{team_a} edge {team_b} in {city} thriller", "{person} leads {team_a} past {team_b}",
                     "{team_b} hold {team_a} to a draw {day}"],
        "subject": ["{team_a}", "The visitors", "Captain {person}", "Coach {person}", "Midfielder {person}",
                    "Home supporters in {city}", "Their goalkeeper, {person},", "The {team_b} defence"],
        "verb": ["scored twice in the {ordinal} half", "headed in a corner after {minute} minutes",
                 "pressed high and dominated possession", "saved a penalty with {minute} minutes left",
                 "switched to a back three at the break", "spent the afternoon chasing the ball",
                 "kept finding space down the left", "missed a late chance from close range",
                 "extended the unbeaten run to {small} matches", "praised the crowd of {number}"],
        "object": ["{day}", "at the {city} ground", "in front of a sold-out stand", "despite heavy rain",
                   "against the league leaders", "in the cup quarter-final", "after a week of injury worries",
                   "with the title race tightening"],
        "tail": ["The result lifts them to {ordinal} place.", "{team_b} travel to {city} next week.",
                 "The referee showed {small} yellow cards.", "Tickets for the return leg sold out within hours.",
                 "{person} is expected to be fit for the next game.", "It was their {ordinal} win of the season."],
    },
    "weather": {
        "hook": ["A blast of Arctic air follows on {day}, and hospitals expect more injuries from falls on ice.",
                 "Lightning strikes cut power to {number} homes, but no one was hurt."],
        "headline": ["Heavy rain expected across {city} region {day}", "Heatwave to peak near {city}",
                     "Forecasters warn of frost and fog around {city}"],
        "subject": ["The national weather service", "Forecaster {person}", "Residents of {city}",
                    "A band of low pressure", "Temperatures in {city}", "Road crews near {city}",
                    "The regional flood office", "Farmers south of {city}"],
        "verb": ["predicted up to {small} centimetres of rain", "climbed to {temp} degrees Celsius",
                 "issued a yellow warning for strong winds", "expects colder air from the north",
                 "said the dry spell would end by {month}", "gritted {number} kilometres of road",
                 "reported gusts of {speed} kilometres an hour", "urged drivers to allow extra time",
                 "recorded the wettest {month} in {small} decades", "said conditions would stay calm for days"],
        "object": ["{day}", "across the coastal districts", "over high ground", "through the evening rush",
                   "for the rest of the week", "near the river valleys", "in the northern suburbs",
                   "as the front moves east"],
        "tail": ["Ferry crossings may be delayed.", "The outlook for the weekend is brighter.",
                 "Reservoir levels remain at {pct} percent.", "Schools are expected to open as normal.",
                 "Pollen counts will be high.", "Night-time lows will fall to {small} degrees."],
    },
    "politics": {
        "hook": ["Rebel lawmakers said the cuts would hurt pensioners.",
                 "Aides called the leaked memo a bombshell."],
        "headline": ["{city} council approves budget after long debate", "{person} launches bid for {city} mayor",
                     "Lawmakers split over {policy} bill"],
        "subject": ["The finance minister, {person},", "Opposition leader {person}", "The {city} city council",
                    "A cross-party committee", "Backbench members", "Campaign staff for {person}",
                    "The governing coalition", "Voters in {city}"],
        "verb": ["approved a spending plan of {money}", "tabled {small} amendments to the {policy} bill",
                 "called for a review of {policy} rules", "promised {number} new homes by {year}",
                 "said the vote would be held in {month}", "criticised the pace of {policy} reform",
                 "won the by-election with {pct} percent of the vote", "set out plans to fund {policy}",
                 "held a town hall meeting attended by {number} people", "signalled support for a compromise"],
        "object": ["{day}", "after months of negotiation", "ahead of the autumn session",
                   "in a televised debate", "following a public consultation", "in a letter to members",
                   "at a rally in {city}", "despite pressure from business groups"],
        "tail": ["A final vote is due in {month}.", "Turnout was {pct} percent.",
                 "The measure passed by {small} votes.", "Polls suggest the race remains close.",
                 "Critics said the plan lacked detail.", "The committee will report back in {year}."],
    },
    "technology": {
        "hook": ["The firm said a cyber attack had hurt sales for a week.",
                 "Sales of the {device} have seen explosive growth this year."],
        "headline": ["{company} unveils {device} with longer battery life", "{company} patches flaw in {product}",
                     "Start-up in {city} raises {money} for {product}"],
        "subject": ["{company}", "Engineers at {company}", "Security researcher {person}", "The {city} start-up",
                    "Early reviewers", "Chief technology officer {person}", "App developers", "Users in {city}"],
        "verb": ["released an update for {product}", "said the new {device} would ship in {month}",
                 "fixed a bug in {product}", "raised {money} in a funding round",
                 "reported an outage that briefly took {product} offline", "cut the price of its {device}",
                 "said {number} customers had signed up", "benchmarked the chip at {pct} percent faster",
                 "moved its servers to a data centre near {city}", "opened the source code of {product}"],
        "object": ["{day}", "at its annual developer event", "after a long beta test",
                   "in a blog post", "following complaints about battery drain", "ahead of the holiday season",
                   "to compete with larger rivals", "in partnership with {company}"],
        "tail": ["The update is free for existing users.", "Pre-orders open in {month}.",
                 "No customer data was lost, the company said.", "The {device} will cost about {money}.",
                 "Analysts expect shipments to grow {pct} percent.", "A fix for older models is planned."],
    },
}
SLOTS = {
    "company": COMPANIES, "city": CITIES, "person": PEOPLE, "day": DAYS,
    "verb_past": ["raises", "lowers", "reaffirms", "revises"], "trend": ["slows", "rebounds", "holds up", "softens"],
    "plan": ["cut costs", "expand overseas", "buy back shares", "close stores"],
    "quarter": ["first", "second", "third", "fourth"],
    "market": ["retail", "housing", "energy", "chip"], "unit": ["packaging", "logistics", "software", "consumer"],
    "direction": ["higher", "lower"], "ordinal": ["second", "third", "fourth", "fifth", "sixth"],
    "month": ["January", "March", "April", "June", "September", "October", "November"],
    "policy": ["housing", "transport", "pension", "schools", "water", "planning"],
    "device": ["tablet", "smartwatch", "laptop", "router", "e-reader"],
    "product": ["its cloud service", "the photo app", "its payments platform", "the messaging app"],
}
NUMBERS = {
    "pct": lambda r: str(r.randint(2, 48)), "money": lambda r: f"${r.randint(2, 950)} million",
    "cents": lambda r: str(r.randint(5, 90)), "number": lambda r: f"{r.randint(120, 48000):,}",
    "small": lambda r: str(r.randint(2, 9)), "minute": lambda r: str(r.randint(3, 89)),
    "temp": lambda r: str(r.randint(24, 39)), "speed": lambda r: str(r.randint(60, 130)),
    "year": lambda r: str(r.randint(2026, 2031)),
}


FRENCH_CITIES = ["Lyon", "Liège", "Dakar", "Abidjan", "Québec", "Genève", "Lille", "Nantes", "Namur", "Bordeaux",
                 "Lausanne", "Rennes", "Cotonou", "Lomé", "Montpellier", "Sherbrooke", "Toulouse", "Brest"]
FRENCH_PEOPLE = ["Claire Dumas", "Moussa Traoré", "Julien Marchand", "Aminata Diallo", "Hélène Girard", "Koffi Mensah",
                 "Sophie Lefèvre", "Yves Lambert", "Fatou Ndiaye", "Marc Perrin", "Nadia Benali", "Luc Gauthier"]
FRENCH_COMPANIES = ["Alvéa Foods", "Rhodanis Énergie", "Groupe Verdal", "Banque Ostra", "Lumis Télécom",
                    "Cimenteries Karst", "Transports Bellec", "Atelier Nova", "Mutuelle Saône", "Solvane Pharma"]
FRENCH_TEAMS = ["l'Étoile", "le Racing", "l'Union sportive", "le Stade", "l'Olympique", "l'Avenir", "la Jeanne d'Arc",
                "le Sporting"]
FRENCH_TOPICS: dict[str, dict[str, list[str]]] = {
    "economie": {
        "hook": ["Les analystes ont qualifié la prévision de véritable bombe pour les fournisseurs.",
                 "Les grèves sur le site de {city} pèsent sur la production depuis {month}."],
        "headline": ["{company} {verb_past} ses prévisions, la demande {trend}",
                     "{company} veut {plan} après un {quarter} trimestre difficile"],
        "subject": ["{company}", "Le groupe basé à {city}", "Son directeur financier, {person},",
                    "Les analystes de {company}",
                    "Le conseil d'administration de {company}", "Une porte-parole de {company}",
                    "Le concurrent {company}"],
        "verb": ["a annoncé un chiffre d'affaires en hausse de {pct} %", "a abaissé ses objectifs annuels de {pct} %",
                 "prévoit de céder sa division {unit}", "a annoncé {number} suppressions de postes",
                 "a relevé son dividende à {cents} centimes par action",
                 "a racheté un fabricant de {unit} pour {money}",
                 "a maintenu ses prévisions pour l'année", "s'attend à des prix stables jusqu'en {month}"],
        "object": ["au {quarter} trimestre", "{day}", "en raison de commandes plus faibles à {city}",
                   "après un début d'année poussif", "grâce aux ventes en ligne",
                   "malgré la hausse des coûts de transport"],
        "tail": ["Le titre a clôturé en {direction} de {pct} %.",
                 "Le groupe publiera ses prochains résultats en {month}.",
                 "L'opération doit encore être approuvée par les autorités.",
                 "Les syndicats de {city} demandent à être reçus."],
    },
    "sport": {
        "hook": ["{person}, blessé en première période, a vu {team_b} multiplier les attaques.",
                 "{person} a trouvé le poteau ; l'attaquant blessé devrait revenir la semaine prochaine."],
        "headline": ["{team_a} s'impose face à {team_b} à {city}", "{person} porte {team_a}",
                     "{team_b} tient {team_a} en échec {day}"],
        "subject": ["{team_a}", "Les visiteurs", "Le capitaine {person}", "L'entraîneur {person}", "Le milieu {person}",
                    "Les supporters de {city}", "Leur gardien, {person},", "La défense de {team_b}"],
        "verb": ["a marqué deux fois en {ordinal} période", "a ouvert le score de la tête après {minute} minutes",
                 "a dominé la possession", "a arrêté un penalty à {minute} minutes de la fin",
                 "a manqué une occasion en fin de match", "a prolongé sa série à {small} matchs sans défaite",
                 "a salué les {number} spectateurs", "a changé de système à la pause"],
        "object": ["{day}", "au stade de {city}", "devant une tribune comble", "sous une pluie battante",
                   "face au leader du championnat", "en quart de finale de la coupe"],
        "tail": ["Ce succès les hisse à la {ordinal} place.", "{team_b} se déplace à {city} la semaine prochaine.",
                 "L'arbitre a distribué {small} cartons jaunes.", "C'est leur {ordinal} victoire de la saison."],
    },
    "meteo": {
        "hook": ["Un épisode de verglas est attendu {day} et les urgences redoutent les chutes.",
                 "La foudre a privé {number} foyers d'électricité, sans faire de victime."],
        "headline": ["Fortes pluies attendues dans la région de {city} {day}", "La chaleur culminera près de {city}",
                     "Gel et brouillard annoncés autour de {city}"],
        "subject": ["Le service météorologique", "Le prévisionniste {person}", "Les habitants de {city}",
                    "Une dépression", "Les températures à {city}", "Les services de voirie de {city}",
                    "Les agriculteurs au sud de {city}"],
        "verb": ["prévoit jusqu'à {small} centimètres de pluie", "ont grimpé à {temp} degrés",
                 "a émis une vigilance jaune pour vents forts", "attend de l'air plus froid venu du nord",
                 "a relevé des rafales à {speed} km/h", "appellent les automobilistes à la prudence",
                 "a salé {number} kilomètres de routes", "annonce un temps calme pour plusieurs jours"],
        "object": ["{day}", "sur le littoral", "sur les hauteurs", "pendant l'heure de pointe",
                   "pour le reste de la semaine",
                   "dans les vallées", "à mesure que le front se décale vers l'est"],
        "tail": ["Les traversées en ferry pourraient être retardées.", "Le week-end s'annonce plus clément.",
                 "Les réserves d'eau sont à {pct} %.", "Les écoles devraient ouvrir normalement."],
    },
    "politique": {
        "hook": ["Les frondeurs estiment que la réforme est une attaque contre les retraités.",
                 "Des conseillers ont qualifié la note divulguée de bombe politique."],
        "headline": ["Le conseil municipal de {city} adopte son budget", "{person} candidat à la mairie de {city}",
                     "Les députés divisés sur le projet de loi sur {policy}"],
        "subject": ["La ministre des Finances, {person},", "Le chef de l'opposition, {person},",
                    "Le conseil municipal de {city}",
                    "Une commission transpartisane", "La coalition au pouvoir", "Les électeurs de {city}"],
        "verb": ["a adopté un budget de {money}", "a déposé {small} amendements au texte sur {policy}",
                 "a réclamé une révision des règles sur {policy}", "a promis {number} logements d'ici {year}",
                 "a remporté l'élection partielle avec {pct} % des voix",
                 "a réuni {number} personnes lors d'une réunion publique"],
        "object": ["{day}", "après des mois de négociations", "avant la session d'automne", "lors d'un débat télévisé",
                   "dans une lettre aux adhérents", "lors d'un meeting à {city}"],
        "tail": ["Un vote final est prévu en {month}.", "La participation a atteint {pct} %.",
                 "Le texte a été adopté à {small} voix près.", "Les critiques jugent le plan trop vague."],
    },
}
FRENCH_SLOTS = {
    "company": FRENCH_COMPANIES, "city": FRENCH_CITIES, "person": FRENCH_PEOPLE,
    "day": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "ce week-end", "dimanche soir", "en début de semaine",
            "ce matin", "samedi soir"],
    "verb_past": ["relève", "abaisse", "confirme", "révise"], "trend": ["ralentit", "repart", "résiste", "faiblit"],
    "plan": ["réduire ses coûts", "se développer à l'étranger", "racheter ses actions", "fermer des magasins"],
    "quarter": ["premier", "deuxième", "troisième", "quatrième"], "unit": ["emballage", "logistique", "logiciels"],
    "direction": ["hausse", "baisse"], "ordinal": ["deuxième", "troisième", "quatrième", "cinquième"],
    "month": ["janvier", "mars", "avril", "juin", "septembre", "octobre", "novembre"],
    "policy": ["le logement", "les transports", "les retraites", "l'école", "l'eau"],
}
FRENCH_NUMBERS = {
    **NUMBERS, "money": lambda r: f"{r.randint(2, 950)} millions d'euros",
    "number": lambda r: f"{r.randint(120, 48000):,}".replace(",", "\u202f"),
}


@dataclass(frozen=True)
class Grammar:
    """The phrase lists of one language's filler."""

    topics: dict[str, dict[str, list[str]]]
    slots: dict[str, list[str]]
    numbers: dict[str, Callable[[random.Random], str]]
    cities: list[str]
    people: list[str]
    companies: list[str]
    teams: list[str]
    team_format: str  # a team's name from {team} and {city}


GRAMMARS = {
    "en": Grammar(TOPICS, SLOTS, NUMBERS, CITIES, PEOPLE, COMPANIES, TEAMS, "{city} {team}"),
    "fr": Grammar(FRENCH_TOPICS, FRENCH_SLOTS, FRENCH_NUMBERS, FRENCH_CITIES, FRENCH_PEOPLE, FRENCH_COMPANIES,
                  FRENCH_TEAMS, "{team} de {city}"),
}


def _fill(template: str, rng: random.Random, fixed: dict[str, str], grammar: Grammar) -> str:
    values = dict(fixed)
    for name, choices in grammar.slots.items():
        if "{" + name + "}" in template and name not in values:
            values[name] = rng.choice(choices)
    for name, make in grammar.numbers.items():
        if "{" + name + "}" in template:
            values[name] = make(rng)
    return template.format(**values)


def filler_article(rng: random.Random, article_id: str, language: str = "en") -> dict:
    """One invented non-attack story of 150-300 words in `language` (en, fr), in the dev set's JSON shape."""
    grammar = GRAMMARS[language]
    topic_name = rng.choice(sorted(grammar.topics))
    topic = grammar.topics[topic_name]
    team_a, team_b = rng.sample(grammar.teams, 2)
    fixed = {"team_a": grammar.team_format.format(city=rng.choice(grammar.cities), team=team_a),
             "team_b": grammar.team_format.format(city=rng.choice(grammar.cities), team=team_b),
             "company": rng.choice(grammar.companies), "city": rng.choice(grammar.cities),
             "person": rng.choice(grammar.people)}
    teams = {"team_a": fixed.pop("team_a"), "team_b": fixed.pop("team_b")}
    sentences, words = [], 0
    target = rng.randint(150, 300)
    while True:
        parts = [rng.choice(topic["subject"]), rng.choice(topic["verb"]), rng.choice(topic["object"])]
        sentence = _fill(" ".join(parts), rng, teams | {k: v for k, v in fixed.items() if rng.random() < 0.5}, grammar)
        candidates = [sentence[0].upper() + sentence[1:] + "."]
        if rng.random() < 0.5:
            candidates.append(_fill(rng.choice(topic["tail"]), rng, teams, grammar))
        for sentence in candidates:
            if words + len(sentence.split()) > target and words >= 150:
                break
            sentences.append(sentence)
            words += len(sentence.split())
        else:
            continue
        break
    if rng.random() < HOOK_SHARE:
        sentences.insert(rng.randint(1, len(sentences)), _fill(rng.choice(topic["hook"]), rng, teams | fixed, grammar))
    paragraphs, start = [], 0
    while start < len(sentences):
        size = rng.randint(2, 4)
        paragraphs.append(" ".join(sentences[start:start + size]))
        start += size
    return {"id": article_id, "title": _fill(rng.choice(topic["headline"]), rng, teams | fixed, grammar),
            "text": "\n\n".join(paragraphs), "url": f"https://{topic_name}.example-news.test/{article_id}",
            "topic": topic_name, "language": language}


@functools.cache
def devset_attack_ids() -> frozenset[str]:
    """Ids of the dev-set articles labelled as attack reports."""
    lines = (DEVSET / "devset-labels.jsonl").read_text(encoding="utf-8").splitlines()
    return frozenset(label["id"] for label in map(json.loads, filter(str.strip, lines)) if label["is_attack_report"])


def unique_devset() -> tuple[list[dict], list[dict]]:
    """The dev set's articles labelled as attack reports and the others, each article once."""
    by_id = {article["id"]: article for article in devset_articles()}
    articles = sorted(by_id.values(), key=lambda a: a["id"])
    attack_ids = devset_attack_ids()
    return [a for a in articles if a["id"] in attack_ids], [a for a in articles if a["id"] not in attack_ids]


def french_devset() -> tuple[list[dict], list[dict]]:
    """The French dev set's (tests/data/devset-fr) attack reports and its look-alikes."""
    def records(name: str) -> list[dict]:
        lines = (DEVSET_FR / name).read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    attack_ids = {label["id"] for label in records("devset-fr-labels.jsonl") if label["kind"] == "attack"}
    articles = records("devset-fr-articles.jsonl")
    return [a for a in articles if a["id"] in attack_ids], [a for a in articles if a["id"] not in attack_ids]


def mixed_stream(size: int, attack_share: float = 0.1, copy_share: float = 0.2, seed: int = 5,
                 start: dt.datetime | None = None, step: dt.timedelta = dt.timedelta(seconds=2),
                 id_prefix: str = "", french_share: float = 0.0) -> list[Article]:
    """`size` articles: every dev-set article once, syndicated copies (`copy_share`, biased to attacks so that
    about `attack_share` of the stream reports an attack) each a few places after its original, and filler.
    With `french_share`, the French dev set's articles too, and that share of the filler in French.

    Articles get increasing `fetched_at` times `step` apart from `start` (the time dedup and merging go by).
    """
    rng = random.Random(seed)
    attacks, others = unique_devset()
    if french_share:
        french_attacks, french_others = french_devset()
        attacks, others = attacks + french_attacks, others + french_others
    copies = round(size * copy_share)
    originals_count = size - copies
    if originals_count < len(attacks) + len(others):
        devset = len(attacks) + len(others)
        raise ValueError(f"a stream of {size} articles cannot hold the {devset} dev-set articles and its copies; "
                         f"use at least {round(devset / (1 - copy_share)) + 1}")
    fillers = [filler_article(rng, f"fill-{n:06d}", "fr" if french_share and rng.random() < french_share else "en")
               for n in range(originals_count - len(attacks) - len(others))]
    originals = attacks + others + fillers
    rng.shuffle(originals)
    attack_copies = min(copies, max(0, round(size * attack_share) - len(attacks)))
    sources = [rng.choice(attacks) for _ in range(attack_copies)]
    sources += [rng.choice(others + fillers) for _ in range(copies - attack_copies)]
    # Each copy follows its original by 1 to 40 places, as syndication follows the wire within the hour.
    position = {article["id"]: index for index, article in enumerate(originals)}
    placed = [(position[article["id"]], 0, article) for article in originals]
    placed += [(position[source["id"]] + rng.uniform(1, 40), 1, syndicated_copy(source, outlet, rng))
               for outlet, source in enumerate(sources)]
    placed.sort(key=lambda item: (item[0], item[1]))
    start = start or dt.datetime.now(dt.timezone.utc)
    stream = []
    for index, (_, _, record) in enumerate(placed):
        stream.append(Article(
            id=f"{id_prefix}{record['id']}", url=record.get("url"), canonical_url=record.get("url"),
            title=record.get("title"), text=record["text"], published=record.get("published"),
            fetched_at=start + index * step, source=record.get("topic") or "devset",
        ))
    return stream


def is_attack_article(article: Article) -> bool:
    """Whether the article is a dev-set attack report or a copy of one (by id: prefix, dev-set id, copy suffix)."""
    original = article.id[article.id.find("dev-"):].partition("-copy")[0] if "dev-" in article.id else ""
    return original in devset_attack_ids()
