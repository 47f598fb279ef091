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
    "reasonable_grounds": "Reasonable grounds to believe",
    "balance_of_probabilities": "Balance of probabilities",
    "clear_and_convincing": "Clear and convincing evidence",
    "beyond_reasonable_doubt": "Beyond reasonable doubt",
}
STANDARD_NOTES = {
    "reasonable_grounds": "the standard of UN commissions of inquiry and of an ICC arrest warrant; it is not a "
                          "criminal-trial standard, and findings here are not findings of guilt",
    "balance_of_probabilities": "the standard of some fact-finding missions; it is not a criminal-trial standard",
    "clear_and_convincing": "a standard above the balance of probabilities and below proof beyond reasonable doubt",
    "beyond_reasonable_doubt": "the criminal standard required for a conviction",
}
STATUS_LABELS = {"established": "Established", "partial": "Partly supported", "contested": "Contested",
                 "missing": "Missing"}
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
CONSENT_LABELS = {"legal_team": "the legal team", "un_bodies": "UN bodies", "courts": "courts", "public": "the public"}
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
