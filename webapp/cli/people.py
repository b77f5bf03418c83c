"""People and their roles, from the command line."""

from __future__ import annotations

import click

from library.people import users
from library.permissions import SYSTEM
from webapp.cli.context import clear_errors, pass_runtime
from webapp.runtime import Runtime


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
            )
    click.echo(
        f"Created {created.name} <{created.email}> with roles "
        f"{', '.join(sorted(r.value for r in created.roles))}."
    )
