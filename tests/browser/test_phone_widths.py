"""Every page of the site at 320, 360 and 390 px: nothing is wider than the phone's screen.

A tour visits each page (as a visitor, a reader, a newcomer whose email is not verified yet, and
a member of staff with every role, whose header is the fullest) and asks the browser for each
element's right edge; an element inside a box that scrolls or clips on its own is that box's
business, and the box itself is checked. Each page is opened (and its form sent, its menu opened)
once, at the narrowest width, then laid out again at each wider one, as a phone turned or a
window resized does: the layout is the style sheet's answer to the width, so each width is
checked without a page's journey (sign-in, uploads, a trace) made three times. The list of pages
comes from the app's routes: a new page must be on the tour or in `SKIPPED` with the reason, or
the first test fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Response, expect
from werkzeug.exceptions import NotFound

from tests.browser.accessibility import audit_where_it_stands
from tests.browser.phone_site import NEWCOMER, READER, STAFF, Site, build_site
from tests.browser.pictures import shoot
from tests.browser.softcopy_helpers import LiveServer, served_copy, sign_in
from webapp.desk.ledger import TRACE_SECONDS

WIDTHS = (320, 360, 390)  # 320: WCAG 1.4.10 reflow
HEIGHTS = {320: 640, 360: 740, 390: 844}
PEOPLE = {"visitor": None, "reader": READER, "newcomer": NEWCOMER, "staff": STAFF}

# Each element whose right edge passes the screen's, unless a box around it scrolls or clips.
WIDER_THAN_THE_SCREEN = """() => {
  const width = window.innerWidth;
  const page = [document.body, document.documentElement];
  const own = (el) => !page.includes(el) && getComputedStyle(el).overflowX !== 'visible';
  const held = (el) => {
    for (let box = el.parentElement; box; box = box.parentElement) if (own(box)) return true;
    return false;
  };
  const right = (el) => Math.round(el.getBoundingClientRect().right);
  const name = (el) => [el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''), ...el.classList].join('.');
  const wide = [...document.body.querySelectorAll('*')].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 0.5 && !held(el);
  });
  const named = wide.slice(0, 6).map((el) => `${name(el)} ${right(el)}`);
  return {scroll: document.documentElement.scrollWidth, width, wide: named};
}"""


def sent(page: Page, press: Callable[[], None], timeout: float = 30_000) -> Response:
    """Press a form's button and return the answer to the form (not to a redirect that follows)."""
    with page.expect_response(lambda r: r.request.method == "POST", timeout=timeout) as answer:
        press()
    page.wait_for_load_state()
    return answer.value


def send_empty(page: Page) -> Response:
    """Send the page's main form empty, so every field shows its error."""
    return sent(page, page.locator("main form button[type=submit]").first.click)


def send_empty_consultation(page: Page) -> Response:
    """Send the consultation form empty (the library search above it is a form too)."""
    return sent(page, page.locator("form.consult-form button[type=submit]").click)


def wrong_password(page: Page) -> Response:
    """Send the profile's password form with a wrong current password and a short new one."""
    form = page.locator("form[action$='/profil/sandi']")
    for field in form.locator("input[type=password]").all():
        field.fill("salah")
    return sent(page, form.locator("button[type=submit]").click)


def open_menu(page: Page) -> None:
    """Open the header's menu, as a phone shows it only on demand."""
    page.locator("header.site").get_by_role("button", name="Menu").click()
    expect(page.locator("#site-menu.open")).to_be_visible()


def trace_copy(copy: Path) -> Callable[[Page], Response]:
    """Return the step that uploads the copy to the trace form (and waits for the report)."""

    def step(page: Page) -> Response:
        page.locator("input[name=berkas]").set_input_files(str(copy))
        # a trace may take as long as the desk gives it (TRACE_SECONDS): on a busy machine, more
        # than Playwright's 30 s
        wait = TRACE_SECONDS * 1000
        answer = sent(
            page, lambda: page.locator("form.stacked button[type=submit]").click(timeout=wait), wait
        )
        expect(page.locator(".trace-report")).to_be_visible()
        return answer

    return step


@dataclass(frozen=True)
class Visit:
    """A page of the tour: who opens it, its address (fields of `Site` in braces), what they do there."""

    who: str
    path: str
    then: str = ""  # the name of a step in `steps`
    status: int = 200
    lands: str = ""  # the page it leads to, when not its own (never the sign-in page instead)

    def address(self, site: Site) -> str:
        """Return the page's address for this site."""
        return self.path.format(**asdict(site))


TOUR = (
    Visit("visitor", "/"),
    Visit("visitor", "/katalog/"),
    Visit("visitor", "/katalog/{open_id}"),
    Visit("visitor", "/katalog/{holding[0]}"),
    Visit("visitor", "/koleksi/"),
    Visit("visitor", "/koleksi/dalam-angka"),
    Visit("visitor", "/id/{open_identifier}", lands="/katalog/{open_id}"),  # a persistent identifier
    Visit("visitor", "/id/{withdrawn_identifier}", status=410),  # a withdrawn one's tombstone
    Visit("visitor", "/cari/"),
    Visit("visitor", "/cari/?q=penduduk"),
    Visit("visitor", "/cari/?q=pendudk+kecamatn"),
    Visit("visitor", "/cari/?q=zqxjvw"),
    Visit("visitor", "/cari/?q=kemiskinan+metro"),  # too few hold both words: those lacking one follow
    Visit("visitor", "/masuk"),
    Visit("visitor", "/masuk", then="send_empty", status=400),
    Visit("visitor", "/daftar"),
    Visit("visitor", "/daftar", then="send_empty", status=400),
    Visit("visitor", "/daftar/terkirim"),
    Visit("visitor", "/lupa-sandi"),
    Visit("visitor", "/lupa-sandi/terkirim"),
    Visit("visitor", "{reset_path}"),
    Visit("visitor", "/atur-ulang-sandi/bukan-tautan-yang-sah", status=400),
    Visit("visitor", "{verify_path}"),
    Visit("visitor", "/verifikasi-email/bukan-tautan-yang-sah", status=400),
    Visit("visitor", "/verifikasi/{delivery_id}/{signature}"),
    Visit("visitor", "/verifikasi/{delivery_id}/AAAAAAAAAAAAAAAAAAAAAA", status=404),
    Visit("visitor", "/kunjungan/{visit_token}"),
    Visit("visitor", "/survei/{survey_token}", then="send_empty", status=400),
    Visit("visitor", "/survei/bukan-tautan-kami", status=404),
    Visit("visitor", "/buku-tamu/tiket/{visit_token}"),
    Visit("visitor", "/buku-tamu?ponsel=1"),
    Visit("visitor", "/antrean"),
    Visit("visitor", "/terminal", status=403),
    Visit("visitor", "/halaman-yang-tidak-ada", status=404),
    Visit("visitor", "/pengaduan"),
    Visit("visitor", "/pengaduan", then="send_empty", status=400),
    Visit("visitor", "/pengaduan/{complaint}"),
    Visit("visitor", "/janji-temu"),
    Visit("visitor", "/janji-temu/{booking}"),
    Visit("visitor", "/pengaduan/{answered_complaint}"),
    Visit("visitor", "/pengaduan/PGD-2222-3333-4444", status=404),
    Visit("visitor", "/pengaduan/lacak?kode=PGD-XYZ", status=404),
    Visit("visitor", "/pengaduan/lacak?kode=", status=400),
    Visit("visitor", "/", then="open_menu"),
    Visit("visitor", "/bahasa/en?next=/daftar", lands="/daftar"),  # English from here on
    Visit("visitor", "/daftar", then="send_empty", status=400),
    Visit("visitor", "/katalog/{holding[0]}"),
    Visit("visitor", "/cari/?q=population"),
    Visit("reader", "/"),
    Visit("reader", "/katalog/{restricted_id}"),
    Visit("reader", "/katalog/{restricted_id}/minta"),
    Visit("reader", "/profil"),
    Visit("reader", "/profil", then="wrong_password", status=400, lands="/profil/sandi"),
    Visit("reader", "/permintaan/"),
    Visit("reader", "/permintaan/{waiting}"),
    Visit("reader", "/permintaan/{ready}"),
    Visit("reader", "/permintaan/{refused}"),
    Visit("reader", "/cari/dalam/{open_id}?q=penduduk"),
    Visit("reader", "/cari/dalam/{open_id}?q=zqxjvw"),
    Visit("reader", "/baca/{open_id}"),
    Visit("reader", "/baca/{open_id}/teks/1"),
    Visit("reader", "/permintaan/", then="open_menu"),
    Visit("reader", "/konsultasi"),
    Visit("reader", "/konsultasi/baru"),
    Visit("reader", "/konsultasi/baru", then="send_empty_consultation", status=400),
    Visit("reader", "/konsultasi/{consultation}"),
    Visit("reader", "/konsultasi/{closed_consultation}"),
    Visit("reader", "/survei/{survey_token}"),
    Visit("reader", "/survei/terima-kasih"),
    Visit("reader", "/pengaduan"),
    Visit("newcomer", "/"),
    Visit("newcomer", "/profil"),
    Visit("newcomer", "/konsultasi/baru"),
    Visit("staff", "/"),
    Visit("staff", "/katalog/{open_id}"),
    Visit("staff", "/meja/"),
    Visit("staff", "/meja/permintaan"),
    Visit("staff", "/meja/permintaan/{waiting}"),
    Visit("staff", "/meja/permintaan/{ready}"),
    Visit("staff", "/meja/permintaan/{refused}"),
    Visit("staff", "/meja/permintaan/riwayat"),
    Visit("staff", "/meja/permintaan/riwayat?peminta=kusumawardhani"),
    Visit("staff", "/meja/ingest/baru"),
    Visit("staff", "/meja/ingest/{job_id}"),
    Visit("staff", "/meja/buku-besar"),
    Visit("staff", "/meja/buku-besar?orang=kusumawardhani"),
    Visit("staff", "/meja/lacak"),
    Visit("staff", "/meja/lacak", then="trace_copy"),
    Visit("staff", "/meja/publikasi"),
    Visit("staff", "/meja/publikasi/{open_id}/ubah"),
    Visit("staff", "/meja/publikasi/{open_id}/berkas"),
    Visit("staff", "/meja/katalog/{holding[0]}/salinan-cetak"),
    Visit("staff", "/meja/katalog/{holding[0]}/salinan-cetak/{holding[1]}"),
    Visit("staff", "/meja/pindai"),
    Visit("staff", "/meja/subjek"),
    Visit("staff", "/meja/koleksi"),
    Visit("staff", "/meja/koleksi/{series}"),
    Visit("staff", "/meja/marc"),
    Visit("staff", "/meja/eksemplar"),
    Visit("staff", "/meja/eksemplar?status=missing"),
    Visit("staff", "/meja/eksemplar/{barcode}"),
    Visit("staff", "/meja/eksemplar-label"),
    Visit("staff", "/meja/eksemplar-label", then="send_empty", status=400),
    Visit("staff", "/meja/ruang-baca"),
    Visit("staff", "/meja/opname"),
    Visit("staff", "/meja/opname/{stocktake}"),
    Visit("staff", "/meja/opname/{stocktake}/tutup"),
    Visit("staff", "/admin/pengguna"),
    Visit("staff", "/admin/cadangan/"),
    Visit("staff", "/admin/pengguna/{reader_id}"),
    Visit("staff", "/admin/terminal"),
    Visit("staff", "/admin/loker"),
    Visit("staff", "/admin/cadangan/"),
    Visit("staff", "/loket/"),
    Visit("staff", "/loket/perpustakaan"),
    Visit("staff", "/loket/konsultasi"),
    Visit("staff", "/loket/konsultasi/tiket/{walk_in_consultation}"),
    Visit("staff", "/loket/loker"),
    Visit("staff", "/loket/loker/tutup"),
    Visit("staff", "/loket/tutup-hari"),
    Visit("staff", "/buku-tamu"),
    Visit("staff", "/meja/konsultasi"),
    Visit("staff", "/meja/konsultasi/catat"),
    Visit("staff", "/meja/konsultasi/{consultation}"),
    Visit("staff", "/meja/konsultasi/{closed_consultation}"),
    Visit("staff", "/meja/pengaduan"),
    Visit("staff", "/meja/pengaduan?status=answered"),
    Visit("staff", "/meja/pengaduan/baru"),
    Visit("staff", "/meja/pengaduan/baru", then="send_empty", status=400),
    Visit("staff", "/meja/pengaduan/{complaint}"),
    Visit("staff", "/meja/pengaduan/{answered_complaint}"),
    Visit("staff", "/meja/pengetahuan"),
    Visit("staff", "/meja/pengetahuan/baru?konsultasi={closed_consultation}"),
    Visit("staff", "/meja/pengetahuan/{knowledge_id}"),
    Visit("visitor", "/pengetahuan/{knowledge_id}"),
    Visit("visitor", "/cari/?q=kemiskinan+kecamatan"),
    Visit("staff", "/laporan/"),
    Visit("staff", "/laporan/sekarang/"),
    Visit("staff", "/laporan/loket/"),
    Visit("staff", "/laporan/loket/petugas"),
    Visit("staff", "/laporan/loket/petugas?periode=rentang&dari=2026-11-30&sampai=2026-11-01", status=400),
    Visit("staff", "/laporan/survei?periode=tahun&tanggal=2026-01-01"),
    Visit("staff", "/laporan/?periode=rentang&dari=2026-11-30&sampai=2026-11-01", status=400),
    Visit("staff", "/meja/", then="open_menu"),
    Visit("staff", "/bahasa/en?next=/meja/", lands="/meja/"),  # English from here on
    Visit("staff", "/meja/", then="open_menu"),
    Visit("staff", "/meja/permintaan"),
    Visit("staff", "/meja/permintaan/{waiting}"),
    Visit("staff", "/meja/buku-besar?orang=kusumawardhani"),
    Visit("staff", "/meja/lacak", then="trace_copy"),
    Visit("staff", "/meja/publikasi/{open_id}/ubah"),
    Visit("staff", "/meja/publikasi/{open_id}/berkas"),
    Visit("staff", "/admin/pengguna"),
    Visit("staff", "/loket/perpustakaan"),
    Visit("staff", "/loket/loker"),
    Visit("staff", "/laporan/"),
)

SKIPPED = {
    "static": "files (styles, scripts, pictures), not pages",
    "favicon": "a picture",
    "health.healthz": "JSON for the load balancer",
    "health.readyz": "JSON for the load balancer and the service manager",
    "metrics": "Prometheus's text format, for the monitoring server",
    "oai.endpoint": "XML for harvesters",
    "browse.library_atom": "an Atom feed, XML for feed readers",
    "browse.collection_atom": "an Atom feed, XML for feed readers",
    "catalogue.cover": "a picture",
    "reader.page_image": "a picture",
    "reader.thumbnails": "a picture",
    "kiosk.ticket_pdf": "a PDF for the receipt printer",
    "scans.copy": "a PDF",
    "complaints.attachment": "a file sent with a complaint (PDF or picture)",
    "consultation.attachment": "a file sent with a consultation (PDF, picture, spreadsheet, document, CSV)",
    "desk.ledger_csv": "a CSV file",
    "identifiers.citation_file": "a BibTeX, RIS or DataCite XML file for reference managers",
    "identifiers.identifier_datacite": "DataCite XML for a DOI registration agency",
    "desk.marc_export": "a MARC21 file (MARCXML or ISO 2709)",
    "desk.marc_one": "a publication's MARC21 file",
    "whatsapp.verify": "Meta's webhook handshake: plain text for the platform, never a person",
    "desk.stocktake_report_file": "a stock-taking's report, a PDF or a CSV file",
    "reports.table_csv": "a CSV file",
    "reports.report_pdf": "a PDF",
    "queue.board_json": "JSON for the board's script",
    "queue.voice_clip": "an audio clip of the board's spoken call, not a page",
    "appointments.calendar_file": "an iCalendar file of a booking",
    "push.service_worker": "the script of the browser's notifications (tests/browser/test_web_push.py)",
    "desk.job_status": "JSON for the job page's script",
    "softcopy.status": "JSON for the request page's script",
    "scans.publications": "JSON for the scan form's title picker",
    "queue.live_fragment": "the part of the console page that refreshes itself: checked on that page",
    "queue.back_to_console": "a redirect to the console (a form's address opened by hand)",
    "scans.scan": "needs a scan the scan job made: test_visitor_scans checks it at 360 px",
}


@pytest.fixture(scope="module")
def tour_server(tmp_path_factory: pytest.TempPathFactory, indexed_instance: Path) -> Iterator[LiveServer]:
    """Serve an indexed demo instance whose jobs run as they are queued, for this module."""
    with served_copy(indexed_instance, tmp_path_factory.mktemp("phone")) as server:
        yield server


@pytest.fixture(scope="module")
def site(tour_server: LiveServer) -> Site:
    """Fill the module's site with people, requests, a delivery and a visit."""
    return build_site(tour_server.app)


@pytest.fixture
def shots(screenshots: Path) -> Path:
    """Return the folder the tour's screenshots go to."""
    folder = screenshots / "phone-widths"
    folder.mkdir(exist_ok=True)
    return folder


def test_every_page_of_the_site_is_on_the_tour_or_skipped_with_a_reason(
    tour_server: LiveServer, site: Site
) -> None:
    app = tour_server.app
    pages = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())}
    adapter = app.url_map.bind("localhost")
    toured = set()
    for visit in TOUR:
        try:
            toured.add(adapter.match(urlsplit(visit.address(site)).path, method="GET")[0])
        except NotFound:
            assert visit.status == 404, f"{visit.path} is no page of the site"
    assert pages - toured - SKIPPED.keys() == set(), "pages neither on the tour nor skipped"
    assert SKIPPED.keys() - pages == set(), "skipped pages that no longer exist"
    assert toured & SKIPPED.keys() == set(), "pages both on the tour and skipped"


@pytest.mark.parametrize("who", PEOPLE)
def test_every_page_fits_a_phone_without_scrolling_sideways(
    tour_server: LiveServer, site: Site, browser: Browser, who: str, shots: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "salinan-yang-beredar.pdf"
    copy.write_bytes(tour_server.app.extensions["pustaka"].store.path_for(site.copy_sha256).read_bytes())
    steps: dict[str, Callable[[Page], Response | None]] = {
        "send_empty": send_empty,
        "send_empty_consultation": send_empty_consultation,
        "wrong_password": wrong_password,
        "open_menu": open_menu,
        "trace_copy": trace_copy(copy),
    }
    narrowest = min(WIDTHS)
    context = browser.new_context(viewport={"width": narrowest, "height": HEIGHTS[narrowest]}, locale="id-ID")
    page = context.new_page()
    if PEOPLE[who]:
        sign_in(page, tour_server.url, PEOPLE[who])
    problems = []
    for n, visit in enumerate(v for v in TOUR if v.who == who):
        page.set_viewport_size({"width": narrowest, "height": HEIGHTS[narrowest]})
        address = visit.address(site)
        response = page.goto(tour_server.url + address)
        if visit.then:
            response = steps[visit.then](page) or response
        status = response.status if response else 0
        lands = visit.lands.format(**asdict(site)) or urlsplit(address).path
        if status != visit.status or urlsplit(page.url).path != lands:
            problems.append(f"{address} {visit.then}: {status} at {page.url}, not {visit.status} at {lands}")
        name = re.sub(r"[^a-z0-9]+", "-", f"{visit.path} {visit.then}".lower()).strip("-")
        for width in sorted(WIDTHS):
            if width != narrowest:
                page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
            # the new width is laid out before the script reads it: it runs after a frame
            page.wait_for_function("(width) => window.innerWidth === width", arg=width)
            fit = page.evaluate(WIDER_THAN_THE_SCREEN)
            if fit["scroll"] > fit["width"] or fit["wide"]:
                problems.append(
                    f"{address} {visit.then} at {width} px: {fit['scroll']} px wide at {fit['width']}: "
                    f"{fit['wide']}"
                )
            shoot(page, shots / f"{width}-{who}-{n:02d}-{name}.png", full_page=True)
        audit_where_it_stands(browser, page)
    context.close()
    assert not problems, "\n".join(problems)
