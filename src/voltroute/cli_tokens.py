"""`voltroute tokens`: issue, list, revoke and rotate API tokens; show the audit log."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from voltroute.config import Settings
from voltroute.tenancy.token_admin import ROTATION_OVERLAP_MIN, TOKEN_LIFETIME_DAYS

if TYPE_CHECKING:
    from voltroute.composition import Backend

tokens_app = typer.Typer(help="Manage API tokens.", no_args_is_help=True)
console = Console(stderr=True, soft_wrap=True)

ExpiresOption = Annotated[
    int | None,
    typer.Option(
        min=TOKEN_LIFETIME_DAYS[0],
        max=TOKEN_LIFETIME_DAYS[2],
        help="Days until the token is refused (default: never).",
    ),
]


def _backend() -> Backend:
    from voltroute.composition import Backend

    backend = Backend(Settings())
    backend.migrate()
    return backend


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else "-"


@tokens_app.command("create")
def tokens_create(
    tenant: Annotated[str, typer.Option(help="Tenant name (created if new).")],
    user: Annotated[str, typer.Option(help="User name (created if new).")],
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
    callback_url: Annotated[
        str | None, typer.Option(help="Default webhook URL for this token's jobs.")
    ] = None,
    expires_in_days: ExpiresOption = None,
) -> None:
    """Issue a bearer token for a user of a tenant and print it once."""
    from voltroute.db.models import utcnow
    from voltroute.webhooks.callbacks import callback_url_problem

    if callback_url is not None and (problem := callback_url_problem(callback_url)):
        console.print(f"[red]--callback-url:[/] {problem}")
        raise typer.Exit(2)
    expires_at = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    token, principal = _backend().tenants.create_token(
        tenant, user, label, callback_url=callback_url, expires_at=expires_at
    )
    console.print(
        f"token_id={principal.token_id} tenant_id={principal.tenant_id} "
        f"user_id={principal.user_id} expires={_when(expires_at)} (UTC)"
    )
    typer.echo(token)


@tokens_app.command("list")
def tokens_list(
    tenant: Annotated[str | None, typer.Option(help="Only this tenant (by name).")] = None,
) -> None:
    """List tokens (never their secrets): owner, label, state, use, expiry, rotation."""
    table = Table(
        "id", "tenant", "user", "label", "state", "created", "last used", "expires", "replaced by"
    )
    for info in _backend().token_admin.list_tokens(tenant):
        table.add_row(
            str(info.token_id),
            info.tenant,
            info.user,
            info.label,
            info.state,
            _when(info.created_at),
            _when(info.last_used_at),
            _when(info.expires_at),
            str(info.replaced_by_id or "-"),
        )
    Console(width=200).print(table)


@tokens_app.command("revoke")
def tokens_revoke(
    token_ids: Annotated[list[int], typer.Argument(help="Ids of the tokens (tokens list).")],
) -> None:
    """Revoke tokens: every request with one is refused (401) from now on."""
    from voltroute.tenancy.token_admin import TokenNotFoundError

    admin = _backend().token_admin
    missing = False
    for token_id in token_ids:
        try:
            before = admin.get(token_id)
            after = admin.revoke(token_id)
        except TokenNotFoundError as error:
            console.print(f"[red]{error}[/]")
            missing = True
            continue
        if before.revoked_at is not None:
            console.print(f"{after.describe()} was revoked already at {_when(after.revoked_at)}")
        else:
            console.print(f"revoked {after.describe()}")
    if missing:
        raise typer.Exit(1)


@tokens_app.command("rotate")
def tokens_rotate(
    token_id: Annotated[int, typer.Argument(help="Id of the token to replace (tokens list).")],
    overlap_minutes: Annotated[
        int,
        typer.Option(
            min=ROTATION_OVERLAP_MIN[0],
            max=ROTATION_OVERLAP_MIN[2],
            help="Minutes the old token keeps working (default 0: refused at once).",
        ),
    ] = ROTATION_OVERLAP_MIN[1],
    expires_in_days: ExpiresOption = None,
) -> None:
    """Issue a new token for the same tenant, user, label and webhook; print it once."""
    from voltroute.tenancy.token_admin import TokenNotFoundError, TokenNotRotatableError

    lifetime = timedelta(days=expires_in_days) if expires_in_days else None
    try:
        rotation = _backend().token_admin.rotate(
            token_id, timedelta(minutes=overlap_minutes), lifetime
        )
    except (TokenNotFoundError, TokenNotRotatableError) as error:
        console.print(f"[red]Not rotated:[/] {error}")
        raise typer.Exit(1) from None
    old = rotation.old
    until = "from now on" if old.state == "revoked" else f"from {_when(old.expires_at)} UTC on"
    console.print(
        f"token {rotation.new.token_id} replaces {old.describe()}, which is refused {until}; "
        f"the new token expires {_when(rotation.new.expires_at)} (UTC)"
    )
    typer.echo(rotation.token)


@tokens_app.command("audit")
def tokens_audit(
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Entries to show.")] = 50,
    tenant: Annotated[str | None, typer.Option(help="Only this tenant (by name).")] = None,
) -> None:
    """List the newest authenticated requests: time, token, tenant, request, status, client."""
    table = Table("time (UTC)", "token", "tenant", "method", "path", "status", "client")
    for entry in _backend().token_audit.recent(limit, tenant):
        table.add_row(
            entry.at.strftime("%Y-%m-%d %H:%M:%S"),
            f"{entry.token_id} {entry.token_label}".strip(),
            entry.tenant,
            entry.method,
            entry.path,
            str(entry.status_code),
            entry.client_address,
        )
    Console(width=200).print(table)
