"""Who may do what. Roles are enforced here, in the services, not only hidden in the UI."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain import Role


class Action(StrEnum):
    VIEW_OWN_CALLS = "view own calls"
    VIEW_ALL_CALLS = "view all calls"
    PLAY = "play recordings"
    TAG = "tag calls"
    SCORE = "score calls"
    COMMENT = "comment on calls"
    EDIT_TAXONOMY = "edit tags, trackers and scorecards"
    VIEW_PLAYLISTS = "view playlists"
    EDIT_PLAYLISTS = "build playlists"
    EXPORT = "export case packs"
    REPORTS = "view reports"
    DELETE = "delete recordings"
    RETENTION = "change the retention period"
    MANAGE_USERS = "manage users"
    VIEW_AUDIT = "view the audit log"
    RETRANSCRIBE = "re-transcribe calls"


_A = Action
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.ADMINISTRATOR: frozenset({_A.VIEW_OWN_CALLS, _A.PLAY}),
    Role.SUPERVISOR: frozenset({
        _A.VIEW_OWN_CALLS, _A.VIEW_ALL_CALLS, _A.PLAY, _A.TAG, _A.SCORE, _A.COMMENT,
        _A.EDIT_TAXONOMY, _A.VIEW_PLAYLISTS, _A.EXPORT, _A.REPORTS, _A.RETRANSCRIBE,
    }),
    Role.TRAINER: frozenset({
        _A.VIEW_OWN_CALLS, _A.VIEW_ALL_CALLS, _A.PLAY, _A.COMMENT, _A.VIEW_PLAYLISTS,
        _A.EDIT_PLAYLISTS, _A.EXPORT, _A.RETRANSCRIBE,
    }),
    Role.MANAGER: frozenset({
        _A.VIEW_OWN_CALLS, _A.VIEW_ALL_CALLS, _A.PLAY, _A.VIEW_PLAYLISTS, _A.EXPORT, _A.REPORTS,
        _A.DELETE, _A.RETENTION, _A.MANAGE_USERS, _A.VIEW_AUDIT, _A.EDIT_TAXONOMY, _A.RETRANSCRIBE,
    }),
}


class PermissionDenied(Exception):
    """Refused: the message names the role and the action."""

    def __init__(self, role: str, action: str, detail: str = ""):
        msg = f"a {role} may not {action}"
        if detail:
            msg += f" ({detail})"
        super().__init__(msg)
        self.role = role
        self.action = action


@dataclass(frozen=True)
class Principal:
    """The signed-in person, as the services see them."""

    user_id: int
    login: str
    full_name: str
    role: Role

    def can(self, action: Action) -> bool:
        return action in PERMISSIONS.get(Role(self.role), frozenset())

    def require(self, action: Action, detail: str = "") -> None:
        if not self.can(action):
            raise PermissionDenied(str(self.role), str(action), detail)

    @property
    def sees_all_calls(self) -> bool:
        return self.can(Action.VIEW_ALL_CALLS)


def require_call_visible(principal: Principal, call_user_id: int | None, action: Action) -> None:
    """An administrator sees only their own calls."""
    principal.require(action)
    if not principal.sees_all_calls and call_user_id != principal.user_id:
        raise PermissionDenied(str(principal.role), str(action), "only their own calls")
