"""People and their roles, from the command line."""

from __future__ import annotations

import click

from cli.context import clear_errors, pass_runtime
from library.accounts import users
from library.accounts.users import normalise_email
from library.errors import NotFound
from library.i18n import N_
from library.models import Role
from library.permissions import SYSTEM
from library.uow import UnitOfWork
from runtime.root import Runtime


@click.group("users")
def users_group() -> None:
    """People and their roles."""


@users_group.command("create")
@click.option("--email", required=True, help="Email address (the login name).")
@click.option("--name", required=True, help="Full name.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    default=("reader",),
    show_default=True,
    help="Role to give; repeat for several: reader, front_office, librarian, consultant, office_head, admin.",
)
@click.option(
    "--password",
    prompt=True,
    prompt_required=False,
    hide_input=True,
    confirmation_prompt=True,
    default=None,
    help="Ask for a password (typed, not shown).",
)
@pass_runtime
def users_create(rt: Runtime, email: str, name: str, roles: tuple[str, ...], password: str | None) -> None:
    """Create an account (staff created here have a verified email)."""
    with clear_errors():
        parsed = users.parse_roles(roles)
        with rt.transaction() as uow:
            created = users.check_create_user(
                uow,
                SYSTEM,
                email=email,
                name=name,
                roles=parsed,
                password=password,
                email_verified=True,
                now=rt.now(),
            )
    click.echo(
        f"Created {created.name} <{created.email}> with roles "
        f"{', '.join(sorted(r.value for r in created.roles))}."
    )


@users_group.command("list")
@click.argument("query", required=False, default="")
@click.option("--page", type=click.IntRange(1), default=1, show_default=True, help="Page of 50 people.")
@pass_runtime
def users_list(rt: Runtime, query: str, page: int) -> None:
    """List people (staff first) whose name or email holds QUERY, with roles and state."""
    with clear_errors(), rt.uow() as uow:
        found = users.list_users(uow, SYSTEM, query=query, page=page, per_page=50)
    for person in found.items:
        roles = ",".join(sorted(r.value for r in person.roles))
        state = ("active" if person.active else "DEACTIVATED") + (
            "" if person.email_verified else ", unverified"
        )
        seen = f"{person.last_login_at:%Y-%m-%d}" if person.last_login_at else "never"
        click.echo(
            f"{person.id:>6}  {person.email:<36} {person.name:<28} {roles:<30} {state}; signed in {seen}"
        )
    click.echo(f"{found.total} in all; page {found.number} of {max(found.pages, 1)}.")


@users_group.command("roles")
@click.argument("email")
@click.option(
    "--role",
    "roles",
    multiple=True,
    help="Staff role the person has from now on; repeat for several; none given: no staff role.",
)
@pass_runtime
def users_roles(rt: Runtime, email: str, roles: tuple[str, ...]) -> None:
    """Give the person with EMAIL exactly these staff roles (their reader role is kept)."""
    with clear_errors():
        wanted = users.parse_roles(roles) - {Role.READER} if roles else frozenset()
        with rt.transaction() as uow:
            changed = users.check_set_staff_roles(uow, SYSTEM, _id_of(uow, email), wanted)
    click.echo(
        f"{changed.name} <{changed.email}> now has: {', '.join(sorted(r.value for r in changed.roles))}."
    )


@users_group.command("deactivate")
@click.argument("email")
@pass_runtime
def users_deactivate(rt: Runtime, email: str) -> None:
    """Deactivate the account with EMAIL: signed out everywhere at once, and it cannot sign in."""
    _set_active(rt, email, False)


@users_group.command("activate")
@click.argument("email")
@pass_runtime
def users_activate(rt: Runtime, email: str) -> None:
    """Let a deactivated account with EMAIL sign in again."""
    _set_active(rt, email, True)


@users_group.command("unlock")
@click.argument("email")
@pass_runtime
def users_unlock(rt: Runtime, email: str) -> None:
    """Forget the failed sign-ins counted against EMAIL, so its owner may sign in at once."""
    with clear_errors():
        with rt.uow() as uow:
            _id_of(uow, email)
        rt.throttle.unlock(normalise_email(email))
    click.echo(f"The failed sign-ins of {normalise_email(email)} are forgotten; it may sign in again now.")


def _set_active(rt: Runtime, email: str, active: bool) -> None:
    """Deactivate or reactivate one account, and say so."""
    with clear_errors(), rt.transaction() as uow:
        changed = users.check_set_active(uow, SYSTEM, _id_of(uow, email), active)
    click.echo(f"{changed.name} <{changed.email}> is {'active' if changed.active else 'deactivated'}.")


def _id_of(uow: UnitOfWork, email: str) -> int:
    """Return the id of the account with the address, or refuse naming it."""
    found = users.find_by_email(uow, normalise_email(email))
    if found is None:
        raise NotFound(N_("There is no account with the address %(email)s."), email=email)
    return found.id
