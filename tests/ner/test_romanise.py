from marsad.ner.romanise import romanise_name


def test_table_and_article() -> None:
    assert romanise_name("حميد الشاطري") == "Hamid al-Shatri"
    assert romanise_name("قاسم الأعرجي") == "Qasim al-Araji"
    assert romanise_name("ثابت العباسي") == "Thabit al-Abbasi"


def test_rule_based_spelling_is_readable() -> None:
    assert romanise_name("مرهف النعيمي").startswith("Marhaf al-")
    assert romanise_name("شهاب الدين").split()[1] == "al-Din"  # sun letter: not "ad-Din"
    assert romanise_name("كريمة").endswith("a")  # ة -> a
