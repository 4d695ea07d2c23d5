from extractors.folding import fold, fold_words


def test_fold_strips_diacritics_and_keeps_case():
    assert fold("Bāmyān") == "Bamyan"
    assert fold("Diyarbakır") == "Diyarbakir"
    assert fold("Łódź, Æbeltoft") == "Lodz, AEbeltoft"


def test_fold_words_ignores_case_accents_and_punctuation():
    assert fold_words("  Suicide-BOMBER, in Peshāwar! ") == "suicide bomber in peshawar"


def test_fold_words_folds_letters_without_decomposition_as_the_gazetteer_does():
    # The text queries once kept the dotless i, so a watch on "Diyarbakır" missed "Diyarbakir".
    assert fold_words("Diyarbakır") == fold_words("Diyarbakir") == "diyarbakir"
    assert fold_words("Tromsø") == "tromso"
