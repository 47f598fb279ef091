"""What the norms' own fields mean, in words: treaty names, conflict classifications, where a norm applies and
what makes it bind. Case-independent, so analysis (reasons for a case) and rendering (`dossier norms`) say
the same thing the same way."""

from __future__ import annotations

from dossier.models.norm import Norm

TREATY_NAMES = {
    "GC": "the Geneva Conventions of 1949", "API": "Additional Protocol I", "APII": "Additional Protocol II",
    "APIII": "Additional Protocol III", "RS": "the Rome Statute", "CCM": "the Convention on Cluster Munitions",
    "CCW": "the CCW", "CCW-P3": "Protocol III to the CCW",
    "ICCPR": "the International Covenant on Civil and Political Rights",
    "ICESCR": "the International Covenant on Economic, Social and Cultural Rights",
    "CRC": "the Convention on the Rights of the Child", "CAT": "the Convention against Torture",
}
CLASSIFICATION_NAMES = {"NIAC": "non-international armed conflict", "IAC": "international armed conflict"}


def a(phrase: str) -> str:
    """``phrase`` with its indefinite article: 'an international ...', 'a non-international ...'."""
    return ("an " if phrase[:1].lower() in "aeio" else "a ") + phrase


def scope_text(norm: Norm) -> str:
    """Where a norm applies, in words (no case needed): for `dossier norms`."""
    if "any" in norm.applies_to:
        return "in and out of armed conflict"
    kinds = [CLASSIFICATION_NAMES[c] for c in norm.applies_to if c in CLASSIFICATION_NAMES]
    if len(kinds) == 1:
        return "only in " + a(kinds[0])
    return "in international and non-international armed conflicts"


def binding_text(norm: Norm) -> str:
    """What makes a norm bind (a rule), or where its conduct is criminalised (a crime: 'under ...', 'only by
    treaty ...'), in words, case-independent."""
    treaty = TREATY_NAMES.get(norm.binding, norm.binding)
    if norm.kind == "crime":
        if norm.binding == "customary":
            return ("under customary international law; a crime binds no party: the brief reports it with the case's "
                    "jurisdiction and forums")
        return (f"only by treaty ({treaty}): applicable only where one of the case's forums applies that treaty (for "
                "the Rome Statute, icc); jurisdiction is reported beside it")
    if norm.binding == "customary":
        if norm.kind == "human_rights":
            return "customary international human rights law"
        return "customary: binds every party to the conflict, armed groups included, whatever its treaty ratifications"
    if norm.binding == "GC":
        return ("treaty (the Geneva Conventions of 1949): every State is bound; common article 3 binds every party to "
                "a non-international armed conflict, armed groups included; in an international armed conflict a "
                "belligerent is bound towards another that is bound or accepts and applies them (common art. 2)")
    if norm.binding == "API":
        return ("treaty (Additional Protocol I): binds a party to it towards a belligerent that is also bound or "
                "accepts and applies it (AP I art. 96(2))")
    if norm.binding == "APII":
        return ("treaty (Additional Protocol II): only where conflict.ap2_threshold is true, on the territory of a "
                "State party, between that State's forces and organised armed groups; it binds that State and those "
                "groups, and a foreign State only if it is itself a party")
    if norm.kind == "human_rights":
        return f"treaty ({treaty}): binds the States parties to it, towards persons within their jurisdiction"
    return f"treaty ({treaty}): binds the parties whose `treaties` list {norm.binding}"
