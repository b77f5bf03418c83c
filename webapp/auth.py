"""Who is signed in: Flask-Login wired to library users (login pages come with accounts)."""

from __future__ import annotations

from flask import Flask
from flask_login import LoginManager, UserMixin

from library.models import User
from webapp.state import state

login_manager = LoginManager()


class SignedIn(UserMixin):
    """The signed-in person as Flask-Login sees them."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.id = str(user.id)

    @property
    def is_active(self) -> bool:
        return self.user.active


def load_user(user_id: str) -> SignedIn | None:
    """Load the signed-in person from the session cookie's id."""
    if not user_id.isdigit():
        return None
    with state().uow() as uow:
        user = uow.session.get(User, int(user_id))
        if user is None:
            return None
        _ = user.roles  # load roles before the session closes
        return SignedIn(user)


def init_app(app: Flask) -> None:
    """Set up Flask-Login."""
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
