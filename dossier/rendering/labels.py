"""Words for codes: what the briefs and reports print for an edition, a standard of proof, a status, a type,
a grade, a language. One place, so every output says the same thing the same way."""

from __future__ import annotations

from datetime import date

EDITION_TITLES = {"internal": "Internal edition: legal team only",
                  "un": "UN edition: submission to United Nations bodies",
                  "public": "Public edition"}
EDITION_MARKINGS = {"internal": "INTERNAL · CONFIDENTIAL: NOT FOR DISCLOSURE",
                    "un": "UN EDITION · RESTRICTED · FOR UNITED NATIONS BODIES ONLY",
                    "public": "PUBLIC EDITION"}
STANDARD_LABELS = {
    "reasonable_basis": "Reasonable basis to believe",
    "reasonable_grounds": "Reasonable grounds to believe",
    "balance_of_probabilities": "Balance of probabilities",
    "substantial_grounds": "Substantial grounds to believe",
    "clear_and_convincing": "Clear and convincing evidence",
    "beyond_reasonable_doubt": "Beyond reasonable doubt",
}
STANDARD_NOTES = {
    "reasonable_basis": "the standard for opening an ICC investigation (Rome Statute arts 15(3) and 53(1)(a)), the "
                        "lowest of the standards; it is not a criminal-trial standard, and findings here are not "
                        "findings of guilt",
    "reasonable_grounds": "the standard of UN commissions of inquiry and of an ICC arrest warrant; it is not a "
                          "criminal-trial standard, and findings here are not findings of guilt",
    "balance_of_probabilities": "the standard of some fact-finding missions; it is not a criminal-trial standard",
    "substantial_grounds": "the standard for the confirmation of charges before the ICC (Rome Statute art. 61(7)); "
                           "it is not the standard for a conviction, and findings here are not findings of guilt",
    "clear_and_convincing": "a standard above the balance of probabilities and below proof beyond reasonable doubt",
    "beyond_reasonable_doubt": "the criminal standard required for a conviction",
}
STATUS_LABELS = {"established": "Corroborated", "partial": "Partly corroborated", "contested": "Contested",
                 "missing": "Missing"}
"""A status that rests on the corroboration screen: never printed as a bare "Established" (a count is not a
finding)."""
ASSESSED_LABELS = {"established": "Established (counsel)", "partial": "Not established (counsel)",
                   "contested": "Contested (counsel)", "missing": "Not established (counsel)"}
"""A status that rests on counsel's reasoned assessment."""
COUNT_LABELS = {"established": "Corroborated or established", "partial": "Partly supported",
                "contested": "Contested", "missing": "Missing"}
"""For counts over elements of both bases."""
CRIME_BASE_NOTE = (
    "This is a crime-base analysis: it makes no finding on the responsibility of any individual. Modes of "
    "liability and superior responsibility (Rome Statute arts 25(3) and 28) and grounds excluding responsibility "
    "(arts 31-33) are not analysed, and the mental elements (art. 30) are assessed only as inferences about "
    "whoever carried out the attack.")


def status_label(status: str, basis: str) -> str:
    """The status in words, saying which basis it rests on."""
    return (ASSESSED_LABELS if basis == "assessment" else STATUS_LABELS)[status]


def unassessed(edition: str) -> str:
    """What can truly be said of an element no finding of counsel's decides. Only the internal edition sees
    every finding; another edition drops a `met` finding that rests on material it withholds (without saying
    so), so there "not yet assessed" could be false: it says only that no assessment is shown."""
    return "not yet assessed by counsel" if edition == "internal" else "no assessment by counsel is shown in this edition"


def basis_text(status: str, basis: str, screen: str, standard_label: str, finding: str = "",
               not_shown: bool = False, edition: str = "internal") -> str:
    """One sentence on what a status rests on: counsel's finding, or the corroboration screen."""
    screen_words = {"established": f"meets the corroboration screen for {standard_label.lower()}",
                    "partial": f"falls short of the corroboration screen for {standard_label.lower()}",
                    "contested": "is contested on the screen (an independent item at least as well graded "
                                 "contradicts it)",
                    "missing": "has no supporting item"}[screen]
    if basis == "assessment":
        words = {"met": "Counsel found this element met", "not_met": "Counsel found this element not met",
                 "contested": "Counsel found this element contested"}.get(finding, "Counsel assessed this element")
        where = " on material not shown in this edition" if not_shown else ""
        return f"{words}{where} (the status rests on that reasoned finding); on the screen alone it {screen_words}."
    lead = {"established": "Corroborated", "partial": "Partly corroborated", "contested": "Contested",
            "missing": "Not supported"}[status]
    return f"{lead}: it {screen_words}. {unassessed(edition).capitalize()}: a count of sources is not a legal finding."
STATUS_SYMBOLS = {"established": "●", "partial": "◐", "contested": "▲", "missing": "○"}
TYPE_LABELS = {
    "witness_statement": "Witness statement", "radio_intercept": "Radio intercept",
    "satellite_imagery": "Satellite imagery", "coordinate_sharing": "Deconfliction record",
    "plane_spotter_log": "Plane-spotter log", "video": "Video", "photo": "Photograph", "document": "Document",
    "report": "Report", "official_statement": "Official statement", "medical_record": "Medical record",
    "munition_analysis": "Munition analysis", "other": "Other material",
}
RELIABILITY_WORDS = {"A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
                     "D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged"}
CREDIBILITY_WORDS = {1: "confirmed", 2: "probably true", 3: "possibly true", 4: "doubtful", 5: "improbable",
                     6: "truth cannot be judged"}
SOURCE_KIND_LABELS = {
    "ngo": "NGO", "un": "UN", "media": "media", "government": "government", "medical": "medical organisation",
    "witness": "witness", "intercept_network": "intercept network", "observer_network": "observer network",
    "commercial_imagery": "commercial imagery provider", "investigator": "investigator", "other": "other",
}
CONSENT_LABELS = {"legal_team": "the legal team", "un_bodies": "UN bodies", "coi": "commissions of inquiry",
                  "iiim": "the IIIM", "special_procedures": "UN Special Procedures",
                  "mrm": "the monitoring and reporting mechanism on children", "courts": "courts",
                  "public": "the public"}
LANGUAGES = {"ar": "Arabic", "en": "English", "fr": "French", "es": "Spanish", "ru": "Russian", "tr": "Turkish",
             "ku": "Kurdish", "fa": "Persian", "uk": "Ukrainian", "he": "Hebrew", "de": "German", "zh": "Chinese"}
MEANS_LABELS = {"airstrike": "airstrike", "barrel_bomb": "barrel bomb", "artillery": "artillery",
                "rocket": "rocket", "ground_attack": "ground attack", "cluster_munition": "cluster munitions",
                "incendiary": "incendiary weapons", "chemical": "chemical weapons", "other": "other means"}
RTL_LANGS = {"ar", "fa", "he", "ur", "ps", "ku", "yi", "dv"}
REPORTING_KINDS = {"media", "ngo"}


def long_date(day: date) -> str:
    """"2 December 2026"."""
    return f"{day.day} {day:%B} {day.year:04d}"  # not %Y: the C library writes year 1 as "1"


def pattern_opening(n: int, period: str, one_day: bool, medical: int) -> str:
    """The pattern page's first sentence, in the singular or the plural: "1 incident, on 2022-06-10, on a
    medical facility." / "14 incidents from 2015-09-28 to 2020-02-25, 9 of them on medical facilities."."""
    if n == 0:
        return "No incidents."
    if n == 1:
        return f"1 incident, on {period}, {'on a medical facility' if medical else 'not on a medical facility'}."
    when = f"on {period}" if one_day else f"from {period}"
    of_them = ("none of them on a medical facility" if medical == 0 else "1 of them on a medical facility"
               if medical == 1 else "all of them on medical facilities" if medical == n
               else f"{medical} of them on medical facilities")
    return f"{n} incidents {when}, {of_them}."


def medical_words(n: int, medical: int) -> str:
    """The cover's count: "1 (on a medical facility)", "14 (9 on medical facilities)"."""
    if n == 1:
        return f"1 ({'on a medical facility' if medical else 'not on a medical facility'})"
    return f"{n} ({medical} on {'a medical facility' if medical == 1 else 'medical facilities'})"


def grade(source, credibility: int) -> str:
    """An item's grade as printed ("B2"): its source's reliability (F, cannot be judged, when the source is not
    shown) and its own credibility."""
    return f"{source.reliability if source is not None else 'F'}{credibility}"
