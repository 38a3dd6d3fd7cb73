"""Human words for the review codes (directions, outcomes, roles, built-in tag names)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("ReviewLabels", text)


def direction(code: str) -> str:
    return {"inbound": QCoreApplication.translate("ReviewLabels", "incoming"),
            "outbound": QCoreApplication.translate("ReviewLabels", "outgoing")}.get(code, code)


def disposition(code: str) -> str:
    return {
        "booked": QCoreApplication.translate("ReviewLabels", "booked"),
        "call_back": QCoreApplication.translate("ReviewLabels", "call back"),
        "declined": QCoreApplication.translate("ReviewLabels", "declined"),
        "no_answer": QCoreApplication.translate("ReviewLabels", "no answer"),
        "wrong_number": QCoreApplication.translate("ReviewLabels", "wrong number"),
        "info_given": QCoreApplication.translate("ReviewLabels", "information given"),
        "complaint": QCoreApplication.translate("ReviewLabels", "complaint"),
        "other": QCoreApplication.translate("ReviewLabels", "other"),
    }.get(code, code)


def role(code: str) -> str:
    return {
        "administrator": QCoreApplication.translate("ReviewLabels", "administrator"),
        "supervisor": QCoreApplication.translate("ReviewLabels", "supervisor"),
        "trainer": QCoreApplication.translate("ReviewLabels", "trainer"),
        "manager": QCoreApplication.translate("ReviewLabels", "manager"),
    }.get(code, code)


def situation(code: str) -> str:
    if not code:
        return ""
    if code == "incoming":
        return QCoreApplication.translate("ReviewLabels", "incoming call")
    try:
        from ui.scripts.panel import situation_title
    except ImportError:
        return code
    return situation_title(code)


def tag(name: str) -> str:
    """Built-in tag names in the interface language; tags a clinic added show as typed."""
    return {
        "booked": QCoreApplication.translate("ReviewTags", "booked"),
        "care question asked": QCoreApplication.translate("ReviewTags", "care question asked"),
        "did not know the price": QCoreApplication.translate("ReviewTags", "did not know the price"),
        "rude": QCoreApplication.translate("ReviewTags", "rude"),
        "lost patient": QCoreApplication.translate("ReviewTags", "lost patient"),
        "good example": QCoreApplication.translate("ReviewTags", "good example"),
        "price question": QCoreApplication.translate("ReviewTags", "price question"),
        "bonus offered": QCoreApplication.translate("ReviewTags", "bonus offered"),
        "competitor mentioned": QCoreApplication.translate("ReviewTags", "competitor mentioned"),
        "complaint": QCoreApplication.translate("ReviewTags", "complaint"),
        "bonus before care": QCoreApplication.translate("ReviewTags", "bonus before care"),
        "bonus deadline not named": QCoreApplication.translate("ReviewTags", "bonus deadline not named"),
    }.get(name, name)


def scorecard_text(text: str) -> str:
    """The built-in scorecard's name and items in the interface language; a clinic's own show as typed."""
    return {
        "Front desk call": QCoreApplication.translate("ReviewScorecard", "Front desk call"),
        "Greeted, named the clinic and themselves":
            QCoreApplication.translate("ReviewScorecard", "Greeted, named the clinic and themselves"),
        "Asked about the patient's health first (care first)":
            QCoreApplication.translate("ReviewScorecard", "Asked about the patient's health first (care first)"),
        "Verified data by stating it": QCoreApplication.translate("ReviewScorecard", "Verified data by stating it"),
        "Explained the price or the staged plan clearly":
            QCoreApplication.translate("ReviewScorecard", "Explained the price or the staged plan clearly"),
        "Offered a concrete time and booked":
            QCoreApplication.translate("ReviewScorecard", "Offered a concrete time and booked"),
        "Bonuses last, with their deadline":
            QCoreApplication.translate("ReviewScorecard", "Bonuses last, with their deadline"),
        "Rude or dismissive to the patient":
            QCoreApplication.translate("ReviewScorecard", "Rude or dismissive to the patient"),
        "Gave wrong medical advice": QCoreApplication.translate("ReviewScorecard", "Gave wrong medical advice"),
    }.get(text, text)


def tags(names) -> str:
    return ", ".join(tag(n) for n in names)


def audit_action(code: str) -> str:
    return {
        "sign_in": QCoreApplication.translate("ReviewLabels", "signed in"),
        "sign_in_refused": QCoreApplication.translate("ReviewLabels", "sign-in refused"),
        "playback": QCoreApplication.translate("ReviewLabels", "played a recording"),
        "export": QCoreApplication.translate("ReviewLabels", "exported"),
        "delete": QCoreApplication.translate("ReviewLabels", "deleted a recording"),
        "score_change": QCoreApplication.translate("ReviewLabels", "changed a score"),
        "retention_change": QCoreApplication.translate("ReviewLabels", "changed retention"),
        "tag_change": QCoreApplication.translate("ReviewLabels", "changed tags"),
        "user_change": QCoreApplication.translate("ReviewLabels", "changed a user"),
    }.get(code, code)
