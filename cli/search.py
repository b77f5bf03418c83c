"""The search index: rebuild it, compare it with the database, search from a script."""

from __future__ import annotations

import dataclasses
import json
import sys

import click

from cli.context import clear_errors, pass_runtime
from library.catalogue.indexing import check_index, do_reindex
from library.catalogue.search import search_publications
from library.knowledge.indexing import check_answers, do_reindex_answers
from runtime.index_status import rebuild_report
from runtime.root import Runtime


@click.command()
@pass_runtime
def reindex(rt: Runtime) -> None:
    """Rebuild the search index from the database."""
    report = rebuild_report(rt)  # the search page says how far it is, while it runs
    with clear_errors(), rt.uow() as uow:
        with click.progressbar(length=1, label="Indexing", file=sys.stderr) as bar:

            def progress(done: int, total: int) -> None:
                bar.length = max(total, 1)
                bar.update(done - bar.pos)
                report.write(done, total)

            try:
                report.write(0, 0)
                count = do_reindex(uow, rt.index(), rt.today(), progress)
            finally:
                report.clear()
        answers = do_reindex_answers(uow, rt.answers(writing=True))
    rt.close()
    click.echo(f"The index holds {count} publications and {answers} knowledge-base answers.")


@click.command("check-index")
@pass_runtime
def check_index_command(rt: Runtime) -> None:
    """Compare the search index with the database and say what differs."""
    with clear_errors(), rt.uow() as uow:
        diff = check_index(uow, rt.index(), rt.today())
        answers = check_answers(uow, rt.answers())
    rt.close()
    if diff.clean and answers.clean:
        click.echo("The index matches the database (publications and knowledge-base answers).")
        return
    for what, label, ids in (
        ("publication(s)", "not in the index", diff.missing),
        ("publication(s)", "in the index only", diff.extra),
        ("publication(s)", "out of date in the index", diff.stale),
        ("knowledge-base answer(s)", "published but not in the index", answers.missing),
        ("knowledge-base answer(s)", "in the index but not published", answers.extra),
    ):
        if ids:
            click.echo(
                f"{len(ids)} {what} {label}: {', '.join(ids[:20])}" + (" ..." if len(ids) > 20 else "")
            )
    click.echo("Run 'pustaka reindex' to rebuild the index.")
    sys.exit(1)


@click.command("search")
@click.argument("words", nargs=-1, required=True)
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="FACET=VALUE",
    help="Narrow by a facet (year, subject, office, publication_type, language, access_level).",
)
@click.option("--newest", is_flag=True, help="Newest first instead of best match first.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1))
@click.option(
    "--staff",
    is_flag=True,
    help="Also search the pages of restricted and embargoed publications, as librarians do.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@pass_runtime
def search_command(
    rt: Runtime,
    words: tuple[str, ...],
    filters: tuple[str, ...],
    newest: bool,
    page: int,
    staff: bool,
    as_json: bool,
) -> None:
    """Search the catalogue as the search page does."""
    chosen: dict[str, list[str]] = {}
    for item in filters:
        name, _, value = item.partition("=")
        if not value:
            raise click.UsageError(f"--filter takes FACET=VALUE, not {item!r}.")
        chosen.setdefault(name.strip(), []).append(value.strip())
    try:
        with clear_errors():
            results = search_publications(
                rt.search(),
                " ".join(words),
                filters=chosen,
                sort="newest" if newest else "relevance",
                page=page,
                closed_text=staff,
                prefer_office=rt.settings.office,
            )
    finally:
        rt.close()
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(results), ensure_ascii=False, indent=2))
        return
    click.echo(f"{results.total} publication(s) found.")
    if results.suggestion:
        click.echo(f"Did you mean: {results.suggestion}")
    if results.left_out:
        without = " ".join(results.left_out)
        click.echo(f"No publication holds every word: these are the best without {without}.")
    for hit in results.hits:
        pages = f" (pages {', '.join(map(str, hit.pages))})" if hit.pages else ""
        click.echo(f"  [{hit.publication_id}] {hit.title}{pages}")
