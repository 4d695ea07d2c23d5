from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from extractors.groups import GROUPS_FILE, GroupMention, _GroupTable, classify_role, find_groups, implied_claimant

FORMAT = Path(__file__).resolve().parents[1] / "data" / "devset" / "FORMAT.md"


def groups(text: str) -> list[tuple[str, str | None, str]]:
    return [(m.name, m.branch, m.text) for m in find_groups(text)]


def role(sentence: str, alias: str) -> str | None:
    mention = next(m for m in find_groups(sentence) if m.text == alias)
    return classify_role(sentence, mention)


def test_canonical_names_match_the_devset_format():
    names = {json.loads(line)["name"] for line in GROUPS_FILE.read_text(encoding="utf-8").splitlines() if line}
    listed = FORMAT.read_text(encoding="utf-8").split("canonical names", 1)[1].split("Branches of", 1)[0]
    canonical = {name.strip() for name in re.sub(r"\([^)]*groups\.jsonl[^)]*\)", "", listed).replace("\n", " ")
                 .strip(" :.").split(",")}
    assert canonical <= names, canonical - names


def test_longest_alias_wins():
    assert groups("Tehrik-i-Taliban Pakistan, the Pakistani Taliban, and the Afghan Taliban.") == [
        ("Tehrik-i-Taliban Pakistan", None, "Tehrik-i-Taliban Pakistan"),
        ("Tehrik-i-Taliban Pakistan", None, "Pakistani Taliban"),
        ("Taliban", None, "Afghan Taliban"),
    ]


def test_spelling_variants_and_branches():
    found = groups("al-Shabaab, al Shabaab, Al-Shabab and Shabaab; ISWAP and Islamic State West Africa Province.")
    assert [name for name, _, _ in found[:4]] == ["al-Shabaab"] * 4
    assert found[4:] == [
        ("Islamic State", "West Africa Province", "ISWAP"),
        ("Islamic State", "West Africa Province", "Islamic State West Africa Province"),
    ]
    assert groups("Jamaat Nusrat al-Islam wal-Muslimin") == [
        ("Jama'at Nusrat al-Islam wal-Muslimin", None, "Jamaat Nusrat al-Islam wal-Muslimin")]


@pytest.mark.parametrize("spelling", ["Tehreik-e-Taliban Pakistan", "Tehreek i Taliban Pakistan", "Tehrik-e-Taliban",
                                      "Tehreik e Taliban"])
def test_transliteration_variants_of_long_names(spelling):
    assert groups(f"{spelling} said it carried out the raid.")[0][:2] == ("Tehrik-i-Taliban Pakistan", None)


def test_the_resistance_front_is_its_own_group():
    found = groups("The Resistance Front (TRF), which officials call a front for Lashkar-e-Taiba, claimed it.")
    assert [name for name, _, _ in found] == ["The Resistance Front", "The Resistance Front", "Lashkar-e-Taiba"]
    assert groups("the National Resistance Front said") == []


def test_possessive_branch_joins_its_group():
    assert groups("fighters of the Islamic State's Sahel Province attacked") == [
        ("Islamic State", "Sahel Province", "Islamic State's Sahel Province")]


def test_is_only_as_a_name():
    assert groups("The toll is rising; IS claimed the attack.") == [("Islamic State", None, "IS")]
    assert groups("WHAT IS KNOWN ABOUT THE ATTACK") == []
    assert groups("Amaq reported it; the mend was quick.") == []


def test_seed_roles(seed_path):
    text = seed_path.read_text(encoding="utf-8")
    roles: dict[tuple[str, str | None], set] = {}
    for sentence in re.finditer(r"[^.\n]+(?:\.|\n|$)", text):
        for mention in find_groups(sentence.group()):
            shifted = GroupMention(mention.name, mention.branch, mention.start + sentence.start(),
                                   mention.end + sentence.start(), mention.text)
            roles.setdefault((mention.name, mention.branch), set()).add(
                classify_role(sentence.group(), shifted, sentence.start()))
    assert "claimed" in roles[("Islamic State", None)]
    assert roles[("Islamic State", "Khorasan Province")] == {"claimed"}  # via the Amaq statement
    assert roles[("Lashkar-e-Jhangvi", None)] == {"suspected"}
    assert roles[("Taliban", None)] == {None}


@pytest.mark.parametrize(
    ("sentence", "alias", "expected"),
    [
        ("Al-Shabaab claimed responsibility for the bombing.", "Al-Shabaab", "claimed"),
        ("Responsibility was claimed by the Pakistani Taliban.", "Pakistani Taliban", "claimed"),
        ("The attack was later claimed by the Islamic State group.", "Islamic State group", "claimed"),
        ("Boko Haram said its fighters carried out the raid.", "Boko Haram", "claimed"),
        ("In a statement posted by Islamic State's Amaq news agency, it said a soldier of the caliphate did it.",
         "Islamic State", "claimed"),
        ("Hamas' armed wing, the Qassam Brigades, claimed responsibility.", "Hamas", "claimed"),
        ("The NPA's regional command in Samar admitted responsibility.", "NPA", "claimed"),
        ("al-Shabaab, which claimed the attack, said it targeted officials.", "al-Shabaab", "claimed"),
        ("The bombing was claimed by militant group Daesh (the so-called IS).", "Daesh", "claimed"),
        ("Responsibility has been claimed by the Sahel-based armed group JNIM.", "JNIM", "claimed"),
        ("The ambush was claimed by the Nigerian jihadist group Ansaru.", "Ansaru", "claimed"),
        ("The blast was claimed by officials as the work of the Taliban.", "Taliban", "suspected"),
        ("The TRF, a shadow outfit of a banned group, which operates in the valley, claimed the shooting.", "TRF",
         "claimed"),
        ("According to ISWAP, 30 soldiers were killed in the raid on the base.", "ISWAP", "claimed"),
        ("According to Boko Haram, no one was killed in the raid.", "Boko Haram", None),
        ("According to the Taliban, nine people were killed by gunmen from another group.", "Taliban", None),
        ("Within hours the PKK said it was telling its fighters to halt operations.", "PKK", None),
        ("Officials blamed the attack on the Haqqani network.", "Haqqani network", "suspected"),
        ("Police suspected Lashkar-e-Taiba militants.", "Lashkar-e-Taiba", "suspected"),
        ("The blast bore the hallmarks of al-Shabaab.", "al-Shabaab", "suspected"),
        ("JNIM was responsible, a senior security official said.", "JNIM", "suspected"),
        ("Police believe Boko Haram carried out the raid.", "Boko Haram", "suspected"),
        ("Police said the gunmen belonged to a cell loyal to the Islamic State group.", "Islamic State group",
         "suspected"),
        ("ISWAP probably carried out the ambush, officials said.", "ISWAP", "suspected"),
        ('"This is the work of al-Shabab," the governor said.', "al-Shabab", "suspected"),
        ("The Taliban denied any involvement.", "Taliban", None),
        ("The Taliban have not claimed responsibility.", "Taliban", None),
        ("Police did not blame the PKK.", "PKK", None),
        ("It was unclear whether the Taliban was behind it.", "Taliban", None),
        ("Quetta is a base for Afghan leaders of the Taliban.", "Taliban", None),
        ("A Taliban splinter faction claimed that attack.", "Taliban", None),
        ("Violence linked to al-Qaida has killed thousands.", "al-Qaida", None),
        ("No group claimed the attack, but officials blamed the Taliban.", "Taliban", "suspected"),
        ("Fighters loyal to Islamic State are active there, but officials said it was too early to say.",
         "Islamic State", None),
    ],
)
def test_roles(sentence, alias, expected):
    assert role(sentence, alias) == expected


def test_classify_role_checks_offsets():
    sentence = "Al-Shabaab claimed it."
    [mention] = find_groups(sentence)
    assert classify_role("Later. " + sentence, GroupMention(mention.name, None, 7, 17, mention.text), 0) == "claimed"
    with pytest.raises(ValueError, match="sentence's own start offset"):
        classify_role(sentence, mention, sentence_start=40)


def test_an_alias_in_two_groups_is_a_clear_error(tmp_path):
    table = tmp_path / "groups.jsonl"
    table.write_text(
        '{"name": "Taliban", "aliases": ["Taliban"], "branches": {}}\n'
        '{"name": "Tehrik-i-Taliban Pakistan", "aliases": ["TTP", "Taliban"], "branches": {}}\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="alias 'Taliban' of Tehrik-i-Taliban Pakistan already names Taliban"):
        _GroupTable(table)


def claimant(text: str) -> str | None:
    """The group the last sentence implies claimed the attack, given the groups named before it."""
    *earlier, last = re.findall(r"[^.]+\.", text)
    start = text.rindex(last)
    found = implied_claimant(last, [m for m in find_groups(text) if m.end <= start], sentence_start=start)
    return found.name if found else None


@pytest.mark.parametrize(("text", "expected"), [
    ("Fighters of al-Shabaab were seen nearby. The group said in a statement that its fighters stormed the base.",
     "al-Shabaab"),
    ("Police named Boko Haram. It claimed responsibility in a video on Saturday.", "Boko Haram"),
    ("Gunmen killed nine people. The Amaq news agency said a soldier of the caliphate carried out the attack.",
     "Islamic State"),
    ("Gunmen killed nine people. In a claim on its Amaq agency the group named the bomber.", "Islamic State"),
    ("Police named Boko Haram. It denied any role in the killings.", None),
    ("Police named Boko Haram. The group has not claimed the attack.", None),
    ("Gunmen killed nine people. The group said it claimed the attack.", None),
    ("Police named Boko Haram. It claimed the lives of nine people.", None),
])
def test_claims_in_a_later_sentence_go_to_the_group_named_before(text, expected):
    assert claimant(text) == expected


def claimed_in_main(nlp, make_article, text: str) -> list[str]:
    from extractors import extract

    result = extract(make_article(text), nlp)
    return [p.name for p in result.main.perpetrators if p.role == "claimed"]


def test_a_claim_about_an_earlier_attack_is_not_the_main_attacks(nlp, make_article):
    text = ("Gunmen opened fire on Tuesday at the Mashdar shrine, hit last year in an attack claimed by Islamic "
            "State, killing three worshippers and wounding seven, police said. No group has claimed the shooting.")
    assert claimed_in_main(nlp, make_article, text) == []


def test_an_earlier_date_in_an_aside_keeps_the_claim(nlp, make_article):
    text = ("Militants stormed an army base in the town of Gubio on Monday, killing seven soldiers, military "
            "sources said. ISWAP, which split from Boko Haram in 2016, claimed the raid on Tuesday.")
    assert claimed_in_main(nlp, make_article, text) == ["Islamic State"]


@pytest.mark.parametrize(("sentence", "alias", "expected"), [
    ("L'attaque a été revendiquée mardi par l'État islamique au Grand Sahara.", "État islamique au Grand Sahara",
     "claimed"),
    ("L'EI a revendiqué l'attentat dans un communiqué.", "EI", "claimed"),
    ("Le JNIM a affirmé avoir mené l'attaque contre le poste.", "JNIM", "claimed"),
    ("Boko Haram n'a pas revendiqué l'attentat.", "Boko Haram", None),
    ("Imputée à la secte islamiste Boko Haram, l'attaque a frappé le marché.", "Boko Haram", "suspected"),
    ("L'attaque n'a pas été revendiquée, mais les soupçons se portent sur Boko Haram.", "Boko Haram", "suspected"),
    ("Les autorités soupçonnent le JNIM d'être derrière cette embuscade.", "JNIM", "suspected"),
    ("Des miliciens de la Codeco s'en sont pris au camp de déplacés.", "Codeco", "suspected"),
    ("Le ministre a affirmé que les assaillants se revendiquaient de l'EI.", "EI", "suspected"),
    ("Le groupe État islamique a démenti toute implication.", "groupe État islamique", None),
])
def test_french_claims_and_suspicions(sentence, alias, expected):
    mention = next(m for m in find_groups(sentence) if m.text == alias)
    assert classify_role(sentence, mention, language="fr") == expected


def test_french_anaphoric_claim_goes_to_the_group_named_before():
    text = "Des hommes armés ont attaqué le village, selon des habitants. Le groupe Ansarul Islam est actif dans la zone. "
    last = "Le groupe a revendiqué l'attaque samedi."
    found = implied_claimant(last, find_groups(text), sentence_start=len(text), language="fr")
    assert found is not None and found.name == "Ansarul Islam"


@pytest.mark.parametrize(("text", "name", "branch"), [
    ("La branche ouest-africaine de l'Etat islamique (Iswap) a revendiqué l'attentat.", "Islamic State",
     "West Africa Province"),
    ("L'attaque a été revendiquée par Al-Qaïda au Maghreb islamique (Aqmi).", "al-Qaeda in the Islamic Maghreb", None),
    ("Aqpa a revendiqué l'attaque au Yémen.", "al-Qaeda in the Arabian Peninsula", None),
])
def test_acronyms_the_french_press_writes_as_words(text, name, branch):
    """AFP's French copy writes acronyms read as words with one capital: "Iswap", "Aqmi", "Aqpa"."""
    found = [g for g in find_groups(text) if g.name == name]
    assert found and (branch is None or any(g.branch == branch for g in found))
