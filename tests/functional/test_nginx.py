"""The shipped nginx site (deploy/nginx/pustaka.conf), run by the distribution's nginx in front of the app.

Downloads go as docs/production.md says: the app counts one and answers X-Accel-Redirect, nginx
sends the file from the file store it reads through its group (workers running as `nobody`,
group `nogroup`, as www-data would in production). A send nginx cannot make (a folder it cannot
read: 403) costs the reader nothing: pressing the button again is the same download. `pustaka
check` names a store nginx cannot read before anyone downloads.
"""

from __future__ import annotations

import grp
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from sqlalchemy import select
from werkzeug.serving import make_server

from cli import keep_private, main
from library.ledger.page_ink import ink_path
from library.models import AccessLevel, Delivery, FileAsset, Publication, Role, SoftcopyRequest
from library.settings import Settings
from runtime.root import Runtime
from tests.conftest import require_service
from tests.functional.accounts.helpers import CSRF, PASSWORD, stored_person
from tests.functional.nginx_site import NGINX, nginx_conf, running_nginx, site_conf
from tests.functional.softcopy.helpers import FORM
from tests.integration.library.mail.test_mail import free_port
from webapp import create_app

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="nginx's workers run as another user only when started as root"
)


@dataclass
class Site:
    """Pustaka behind nginx: its address, runtime and file store."""

    url: str
    rt: Runtime
    files: Path


def _copy_publication_files(source: Path, files: Path, rt: Runtime, publication_id: int) -> None:
    """Put the publication's stored files (and their measured ink) in the new store."""
    with rt.uow() as uow:
        digests = uow.session.scalars(
            select(FileAsset.sha256).where(FileAsset.publication_id == publication_id)
        )
        for digest in digests:
            for path in (rt.store.path_for(digest), ink_path(rt.store, digest)):
                found = source / path.relative_to(files)
                if found.exists():
                    path.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(found, path)


@pytest.fixture
def site(instance_dir: Path) -> Iterator[Site]:
    """Serve a copy of the demo instance on a thread, behind nginx, with the layout of the guide."""
    require_service("nginx", NGINX is not None)
    files = Path(tempfile.mkdtemp(prefix="pustaka-files-", dir="/tmp"))
    prefix = Path(tempfile.mkdtemp(prefix="pustaka-nginx-"))
    listen, app_port = free_port(), free_port()
    umask = os.umask(0o077)
    os.chown(files, -1, grp.getgrnam("nogroup").gr_gid)  # the proxy's group, as www-data in production
    files.chmod(0o2750)
    keep_private(instance_dir, proxy_reads_files=True)  # what every `pustaka` command does then: umask 027
    settings = Settings.from_env(
        {},
        instance_dir=instance_dir,
        files_dir=str(files),
        send_file_header="x-accel-redirect",
        proxy_count=1,
        base_url=f"http://127.0.0.1:{listen}",
    )
    rt = Runtime(settings)
    rt.jobs.immediate = True
    server = make_server("127.0.0.1", app_port, create_app(rt), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    conf = nginx_conf(
        prefix, site_conf(prefix, listen=listen, app_port=app_port, files=files), user="user nobody nogroup;"
    )
    try:
        with running_nginx(prefix, conf, listen):
            yield Site(f"http://127.0.0.1:{listen}", rt, files)
    finally:
        server.shutdown()
        thread.join()
        rt.close()
        os.umask(umask)
        shutil.rmtree(files, ignore_errors=True)
        shutil.rmtree(prefix, ignore_errors=True)


def _token(page: requests.Response) -> str:
    found = CSRF.search(page.text)
    assert found, page.text[:500]
    return found.group(1)


def _post(browser: requests.Session, url: str, form_page: str, data: dict[str, str]) -> requests.Response:
    token = _token(browser.get(form_page))
    return browser.post(url, data={"csrf_token": token, **data}, allow_redirects=False)


def test_a_download_is_sent_by_nginx_and_a_send_it_could_not_make_costs_nothing(
    site: Site, instance_dir: Path
) -> None:
    rt, url = site.rt, site.url
    with rt.uow() as uow:
        publication_id = uow.session.scalar(
            select(Publication.id)
            .where(Publication.access_level == AccessLevel.OPEN.value)
            .order_by(Publication.id)
        )
    _copy_publication_files(instance_dir / "files", site.files, rt, publication_id)
    person = stored_person(
        rt.uow(), "ani@example.id", (Role.READER,), "Ani", password=PASSWORD, email_verified=True
    )
    browser = requests.Session()
    signed = _post(browser, f"{url}/masuk", f"{url}/masuk", {"email": person.email, "password": PASSWORD})
    assert signed.status_code == 303, signed.text[:500]
    asked = _post(
        browser, f"{url}/katalog/{publication_id}/minta", f"{url}/katalog/{publication_id}/minta", FORM
    )
    assert asked.status_code == 303, asked.text[:500]
    number = asked.headers["Location"].rsplit("/", 1)[-1]
    with rt.uow() as uow:
        request = uow.session.scalars(select(SoftcopyRequest).where(SoftcopyRequest.number == number)).one()
        copy = rt.store.path_for(
            uow.session.scalar(
                select(Delivery.output_sha256).where(Delivery.delivery_id == request.delivery_id)
            )
        )
    page = f"{url}/permintaan/{number}"

    copy.parent.chmod(0o700)  # a folder nginx's group cannot read: the proxy cannot send the file
    refused = _post(browser, f"{page}/unduh", page, {})
    assert refused.status_code == 403 and not refused.content.startswith(b"%PDF")
    copy.parent.chmod(0o2750)
    sent = _post(browser, f"{page}/unduh", page, {})  # pressed again
    assert sent.status_code == 200 and sent.content == copy.read_bytes()
    assert "X-Accel-Redirect" not in sent.headers  # nginx took it
    assert "filename*=UTF-8''" in sent.headers["Content-Disposition"]
    assert sent.headers["Cache-Control"] == "private, no-store"
    assert sent.headers["X-Content-Type-Options"] == "nosniff"
    with rt.uow() as uow:
        assert (
            uow.session.scalar(select(SoftcopyRequest.downloads).where(SoftcopyRequest.number == number)) == 1
        )
    assert requests.get(f"{url}/_files/{copy.relative_to(site.files)}").status_code == 404  # internal only


def test_check_names_a_file_store_nginx_cannot_read(site: Site) -> None:
    checked = CliRunner().invoke(main, ["check"], obj=site.rt)
    assert f"[ok ] files sent by the proxy: {site.files} is readable by the group nogroup" in checked.output
    site.files.chmod(0o700)
    checked = CliRunner().invoke(main, ["check"], obj=site.rt)
    assert checked.exit_code == 1
    assert "[MISSING] files sent by the proxy:" in checked.output and "chgrp -R www-data" in checked.output
