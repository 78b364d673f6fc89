"""How fast the public tender portal answers with many tenders, against a bare Django view.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/panjere_bench_portal \
        .venv/bin/python benchmarks/tender_portal.py --tenders 100000 --requests 300 --concurrency 8

1. Creates the database in DATABASE_URL if missing (point it at a scratch
   database), migrates it and loads N published or closed tenders, each with
   2 lots of 2 items, 2 document metadata rows (no files) and its OCDS release,
   from 50 procuring entities over a year. The load is skipped when exactly N
   benchmark tenders are there already; `--reload` forces it.
2. Counts the SQL queries of each page through django.test.Client at two data
   sizes (100 tenders, in a rolled-back transaction, and the full table), and
   for the notice and the record a tender with 2 lots against one with 10.
3. Starts gunicorn on a free loopback port (settings `benchmarks.settings`),
   sends a bounded number of requests per page from a thread pool, and prints
   the median and 95th percentile latency, requests per second and the ratio
   of each p95 to the p95 of a bare view doing one indexed query
   (`/bench/bare/<pk>/`). Gunicorn is stopped whatever happens.

The client threads run on the same machine as gunicorn and PostgreSQL: on a
small machine they compete for the same cores, so read the ratios rather
than the absolute figures.
"""

import argparse
import datetime
import hashlib
import http.client
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"

REFERENCE_PREFIX = "BENCH-"
BUYERS = 50
SMALL = 100
PAGE_SIZE = 20  # tenders/views.py PAGE_SIZE
MAX_PAGES = 500  # tenders/views.py MAX_PAGES: the deepest page the public list shows
PUBLIC_CACHE_SECONDS = 60  # TENDER_PUBLIC_CACHE_SECONDS's default
BATCH = 1000
SEED = 20261125

WORDS = [
    ("asphalt", "آسفالت"),
    ("bridge", "پل"),
    ("hospital", "بیمارستان"),
    ("school", "مدرسه"),
    ("water", "آب"),
    ("pipeline", "خط‌لوله"),
    ("laptops", "لپ‌تاپ"),
    ("vaccines", "واکسن"),
    ("railway", "راه‌آهن"),
    ("cleaning", "نظافت"),
    ("security", "حراست"),
    ("software", "نرم‌افزار"),
    ("furniture", "مبلمان"),
    ("ambulances", "آمبولانس"),
    ("irrigation", "آبیاری"),
    ("lighting", "روشنایی"),
]
PLACES = [
    ("Tehran", "تهران"),
    ("Isfahan", "اصفهان"),
    ("Tabriz", "تبریز"),
    ("Shiraz", "شیراز"),
    ("Mashhad", "مشهد"),
    ("Karaj", "کرج"),
    ("Rasht", "رشت"),
    ("Yazd", "یزد"),
]
ACTIONS = [
    ("Supply of", "تأمین"),
    ("Construction of", "ساخت"),
    ("Maintenance of", "نگهداری"),
    ("Renovation of", "بازسازی"),
]
# UN/ECE Recommendation 20 codes (core.units), as items store them.
UNITS = ["MTK", "TNE", "H87", "KMT", "MON", "LS"]


def ensure_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


# --- the data -------------------------------------------------------------------------------


def people():
    """The benchmark's procuring entities and the one officer who 'uploaded' everything."""
    from accounts.models import Organisation, OrganisationKind, User

    user = User.objects.filter(email="bench-officer@example.org").first()
    if user is None:
        user = User.objects.create_user("bench-officer@example.org", None, name="Bench Officer")
    buyers = list(
        Organisation.objects.filter(name__startswith="Bench buyer ").order_by("pk")[:BUYERS]
    )
    missing = BUYERS - len(buyers)
    if missing:
        start = len(buyers) + 1
        buyers += Organisation.objects.bulk_create(
            Organisation(
                kind=OrganisationKind.PROCURING_ENTITY,
                name=f"Bench buyer {n:02d} ({PLACES[n % len(PLACES)][0]})",
                name_fa=f"دستگاه آزمایشی {n} ({PLACES[n % len(PLACES)][1]})",
            )
            for n in range(start, start + missing)
        )
    return user, buyers


def cpv_codes(rng: random.Random) -> list[str]:
    from core import cpv

    codes = sorted(cpv.vocabulary())
    return rng.sample(codes, 400)


def build_release_data(tender, buyer, lots_items, documents) -> dict:
    """The tender's first release, the shape `tenders.ocds.build_release` makes (checked once)."""
    from core.money import ocds_value
    from tenders import ocds

    reference = {"id": ocds.party_id(buyer), "name": buyer.name}
    items = [ocds.whole_tender_item(tender)] + [
        ocds.item_entry(item, lot=lot) for lot, lot_items in lots_items for item in lot_items
    ]
    release_id = f"{tender.ocid}-0001-{ocds.TAG_TENDER}"
    data = {
        "ocid": tender.ocid,
        "id": release_id,
        "date": ocds._date(tender.published_at),
        "tag": [ocds.TAG_TENDER],
        "initiationType": "tender",
        "language": "en",
        "parties": [ocds._party(buyer)],
        "buyer": reference,
        "tender": {
            "id": tender.reference,
            "title": tender.title,
            "description": tender.description,
            "status": ocds.STATUSES[tender.state],
            "procuringEntity": reference,
            "items": items,
            "value": ocds_value(tender.estimated_value),
            "procurementMethod": ocds.METHODS[tender.procurement_method],
            "procurementMethodDetails": ocds.METHOD_DETAILS[tender.procurement_method],
            "mainProcurementCategory": ocds.CATEGORIES[tender.main_category],
            "submissionMethod": ["electronicSubmission"],
            "tenderPeriod": ocds._period(tender.published_at, tender.submission_deadline),
            "enquiryPeriod": ocds._period(tender.published_at, tender.clarification_deadline),
            "hasEnquiries": False,
        },
    }
    if lots_items:
        data["tender"]["lots"] = [ocds.lot_entry(lot, tender=tender) for lot, _ in lots_items]
    docs = sorted(documents, key=lambda d: (d.title, d.version))
    if docs:
        data["tender"]["documents"] = [ocds.document_entry(d, tender=tender) for d in docs]
    if tender.required_declarations:
        data["tender"]["eligibilityCriteria"] = "; ".join(tender.required_declarations)
    if tender.title_fa:
        data["tender"]["title_fa"] = tender.title_fa
    if tender.description_fa:
        data["tender"]["description_fa"] = tender.description_fa
    return data


def load(count: int, *, start: int = 1, now=None, seed: int = SEED) -> None:
    """Bulk-load `count` public tenders (references BENCH-<start>…), in batches.

    Bypasses the services on purpose (they would take hours for 100,000): the
    rows are what the services leave behind for a published tender, and
    closed when its deadline has passed.
    """
    from django.conf import settings
    from django.db import transaction

    from core.money import Money
    from tenders.models import Item, Lot, Release, Tender, TenderDocument, TenderState

    rng = random.Random(seed + start)
    now = now or datetime.datetime.now(datetime.UTC)
    user, buyers = people()
    codes = cpv_codes(rng)
    for offset in range(0, count, BATCH):
        numbers = range(start + offset, start + min(offset + BATCH, count))
        tenders = []
        for n in numbers:
            word, word_fa = rng.choice(WORDS)
            action, action_fa = rng.choice(ACTIONS)
            place, place_fa = rng.choice(PLACES)
            published = now - datetime.timedelta(minutes=rng.randrange(365 * 24 * 60))
            deadline = published + datetime.timedelta(days=rng.randint(30, 60))
            main = rng.choice(codes)
            additional = [rng.choice(codes)] if rng.random() < 0.3 else []
            reference = f"{REFERENCE_PREFIX}{n:07d}"
            tenders.append(
                Tender(
                    buyer=rng.choice(buyers),
                    reference=reference,
                    ocid=f"{settings.TENDER_OCID_PREFIX}-{reference}",
                    title=f"{action} {word} in {place} ({n})",
                    title_fa=f"{action_fa} {word_fa} در {place_fa} ({n})",
                    description=(
                        f"{action} {word} for the province of {place}: lot 1 and lot 2, "
                        "delivery and installation included, warranty of two years."
                    ),
                    description_fa=f"{action_fa} {word_fa} برای استان {place_fa}، با نصب و ضمانت.",
                    procurement_method=rng.choice(["open"] * 6 + ["restricted", "rfq"]),
                    main_category=rng.choice(["goods", "works", "services"]),
                    cpv_code=main,
                    additional_cpv_codes=additional,
                    cpv_index="".join(f" {c}" for c in [main, *additional]),
                    estimated_value=Money(Decimal(rng.randrange(10**6, 10**12)) * 100, "IRR"),
                    document_fee=Money("5000000.00", "IRR"),
                    required_documents=["tax_clearance"],
                    required_declarations=["No conflict of interest"],
                    clarification_deadline=deadline - datetime.timedelta(days=10),
                    submission_deadline=deadline,
                    opening_at=deadline + datetime.timedelta(hours=1),
                    opening_threshold=2,
                    created_by=user,
                    approver=user,
                    submitted_by=user,
                    submitted_at=published - datetime.timedelta(days=1),
                    approved_by=user,
                    state=TenderState.PUBLISHED if deadline > now else TenderState.CLOSED,
                    published_at=published,
                    closed_at=None if deadline > now else deadline,
                )
            )
        with transaction.atomic():
            Tender.objects.bulk_create(tenders)
            lots = Lot.objects.bulk_create(
                Lot(
                    tender=tender,
                    number=number,
                    title=f"Section {number}",
                    title_fa=f"بخش {number}",
                    estimated_value=(tender.estimated_value / 2).round(2),
                    bid_security=(tender.estimated_value / 50).round(2),
                )
                for tender in tenders
                for number in (1, 2)
            )
            items = Item.objects.bulk_create(
                Item(
                    lot=lot,
                    description=f"{rng.choice(WORDS)[0].capitalize()} item {k}",
                    quantity=Decimal(rng.randint(1, 50000)),
                    unit=rng.choice(UNITS),
                    cpv_code=lot.tender.cpv_code if k == 1 else "",
                )
                for lot in lots
                for k in (1, 2)
            )
            documents = TenderDocument.objects.bulk_create(
                TenderDocument(
                    tender=tender,
                    title=title,
                    version=1,
                    is_current=True,
                    file=f"tenders/{tender.pk}/{digest}",
                    original_name=f"{title.lower().replace(' ', '-')}.pdf",
                    content_type="application/pdf",
                    size=rng.randint(50_000, 5_000_000),
                    sha256=digest,
                    uploaded_by=user,
                    created_at=tender.published_at - datetime.timedelta(hours=2),
                )
                for tender in tenders
                for title in ("Instructions to bidders", "Technical specifications")
                for digest in [hashlib.sha256(f"{tender.reference}{title}".encode()).hexdigest()]
            )
            by_tender = {tender.pk: {"lots": [], "documents": []} for tender in tenders}
            items_by_lot = {}
            for item in items:
                items_by_lot.setdefault(item.lot_id, []).append(item)
            for lot in lots:
                by_tender[lot.tender_id]["lots"].append((lot, items_by_lot[lot.pk]))
            for document in documents:
                by_tender[document.tender_id]["documents"].append(document)
            buyer_by_pk = {buyer.pk: buyer for buyer in buyers}
            Release.objects.bulk_create(
                Release(
                    tender=tender,
                    ocid=tender.ocid,
                    sequence=1,
                    release_id=f"{tender.ocid}-0001-tender",
                    tag="tender",
                    date=tender.published_at,
                    data=build_release_data(
                        tender,
                        buyer_by_pk[tender.buyer_id],
                        by_tender[tender.pk]["lots"],
                        by_tender[tender.pk]["documents"],
                    ),
                )
                for tender in tenders
            )
        done = offset + len(numbers)
        if count >= 10 * BATCH and done % (10 * BATCH) == 0:
            print(f"  loaded {done:,} / {count:,}", flush=True)


def check_release_shape() -> str:
    """Compare one loaded release with what tenders.ocds.build_release makes of its tender."""
    from tenders import ocds
    from tenders.models import Release, Tender

    release = Release.objects.filter(ocid__contains=f"-{REFERENCE_PREFIX}").order_by("pk").first()
    tender = Tender.objects.select_related("buyer").get(pk=release.tender_id)
    expected = ocds.build_release(
        tender, release_id=release.release_id, tag=release.tag, date=release.date
    )
    if expected == release.data:
        return "identical to tenders.ocds.build_release"
    lots_items = [(lot, list(lot.items.order_by("pk"))) for lot in tender.lots.order_by("number")]
    rebuilt = build_release_data(tender, tender.buyer, lots_items, list(tender.documents.all()))
    if rebuilt == expected:
        return (
            "loaded by an earlier version of this script (today's builds the same as "
            "tenders.ocds.build_release): run with --reload to load them again"
        )
    keys = sorted(
        k
        for k in set(expected["tender"]) | set(release.data["tender"])
        if expected["tender"].get(k) != release.data["tender"].get(k)
    )
    return f"DIFFERS from tenders.ocds.build_release (tender keys: {keys})"


def ensure_loaded(count: int, reload: bool) -> None:
    from django.db import connection

    from tenders.models import Tender

    present = Tender.objects.filter(reference__startswith=REFERENCE_PREFIX).count()
    if present == count and not reload:
        print(f"{count:,} benchmark tenders already loaded (--reload to load again).")
        # A migration may have rewritten the rows since: what autovacuum would do.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE tenders_tender")
        return
    if present or Tender.objects.exists():
        # A scratch database: every tender and what hangs off it goes.
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE tenders_tender CASCADE")
    started = time.perf_counter()
    load(count)
    elapsed = time.perf_counter() - started
    # What autovacuum does to a settled table: statistics, and the visibility map that lets
    # the list's index-only scans skip the table.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"Loaded {count:,} tenders (+{2 * count:,} lots, {4 * count:,} items, "
        f"{2 * count:,} documents, {count:,} releases) in {elapsed:.1f} s "
        f"({count / elapsed:,.0f} tenders/s)."
    )


# --- the pages ------------------------------------------------------------------------------


class Rollback(Exception):
    pass


def deepest_page(size: int) -> int:
    """The deepest page of the public list with `size` tenders (it shows MAX_PAGES at most)."""
    return max(1, min(math.ceil(size / PAGE_SIZE), MAX_PAGES))


def page_paths(rng: random.Random, *, size: int) -> dict:
    """A generator of request paths per page, for a table of `size` tenders."""
    from tenders.models import Tender

    sample = list(
        Tender.objects.filter(reference__startswith=REFERENCE_PREFIX)
        .order_by("?")
        .values_list("pk", "ocid", "buyer_id")[:1000]
    )
    deep = deepest_page(size)
    return {
        "bare view (1 query)": lambda: f"/bench/bare/{rng.choice(sample)[0]}/",
        "list, page 1": lambda: "/tenders/",
        f"list, page {deep}": lambda: f"/tenders/?page={deep}",
        "search ?q=": lambda: f"/tenders/?q={rng.choice(WORDS)[0]}",
        "filtered list": lambda: (
            f"/tenders/?main_category={rng.choice(['goods', 'works', 'services'])}"
            f"&procurement_method=open&buyer={rng.choice(sample)[2]}&cpv=4"
        ),
        "notice page": lambda: f"/tenders/{rng.choice(sample)[1]}/",
        "OCDS record": lambda: f"/api/v1/ocds/records/{rng.choice(sample)[1]}/",
    }


def add_lots(tender, *, lots: int) -> None:
    """Give `tender` lots 3..`lots` (2 items each) and 2 more documents, and a second release."""
    from core.money import Money
    from tenders.models import Item, Lot, Release, TenderDocument

    new = Lot.objects.bulk_create(
        Lot(
            tender=tender,
            number=n,
            title=f"Section {n}",
            estimated_value=Money(1000, "IRR"),
            bid_security=Money(0, "IRR"),
        )
        for n in range(3, lots + 1)
    )
    Item.objects.bulk_create(
        Item(lot=lot, description=f"Item {k}", quantity=Decimal(k), unit="H87")
        for lot in new
        for k in (1, 2)
    )
    first = TenderDocument.objects.filter(tender=tender).first()
    TenderDocument.objects.bulk_create(
        TenderDocument(
            tender=tender,
            title=f"Annex {n}",
            version=1,
            file=first.file.name,
            original_name=f"annex-{n}.pdf",
            content_type="application/pdf",
            size=1000,
            sha256=first.sha256,
            uploaded_by_id=first.uploaded_by_id,
            created_at=first.created_at,
        )
        for n in (1, 2)
    )
    release = Release.objects.get(tender=tender, sequence=1)
    data = {**release.data, "id": release.release_id.replace("-0001-", "-0002-")}
    Release.objects.create(
        tender=tender,
        ocid=tender.ocid,
        sequence=2,
        release_id=data["id"],
        tag="tenderUpdate",
        date=release.date + datetime.timedelta(days=1),
        data={**data, "tag": ["tenderUpdate"]},
    )


def count_queries(size: int) -> dict:
    """Queries per page through the test client, with `size` tenders in the table."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tenders.models import Tender

    client = Client()
    small, big = Tender.objects.filter(reference__startswith=REFERENCE_PREFIX).order_by("pk")[:2]
    add_lots(big, lots=10)
    deep = deepest_page(size)
    pages = {
        "bare view (1 query)": [f"/bench/bare/{small.pk}/"],
        "list, page 1": ["/tenders/"],
        "list, deep page": [f"/tenders/?page={deep}"],
        "search ?q=": [f"/tenders/?q={WORDS[0][0]}"],
        # The first tender's own attributes: one row at least, whatever the data size.
        "filtered list": [
            f"/tenders/?main_category={small.main_category}"
            f"&procurement_method={small.procurement_method}&buyer={small.buyer_id}"
            f"&cpv={small.cpv_code[:2]}"
        ],
        "notice page": [f"/tenders/{small.ocid}/", f"/tenders/{big.ocid}/"],
        "OCDS record": [f"/api/v1/ocds/records/{small.ocid}/", f"/api/v1/ocds/records/{big.ocid}/"],
    }
    counts = {}
    for name, urls in pages.items():
        found = []
        for url in urls:
            cache.clear()  # the queries of rendering the page, not of reusing it
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            found.append(
                len(captured) if response.status_code == 200 else f"HTTP {response.status_code}"
            )
        counts[name] = found
    return counts


def query_counts(full_size: int) -> tuple[dict, dict]:
    """The counts with SMALL tenders (loaded in a rolled-back transaction) and with all of them."""
    from django.db import connection, transaction

    results = {}
    for label, size in (("small", SMALL), ("full", full_size)):
        try:
            with transaction.atomic():
                if label == "small":
                    with connection.cursor() as cursor:
                        cursor.execute("TRUNCATE tenders_tender CASCADE")
                    load(SMALL, seed=SEED + 1)
                results[label] = count_queries(size)
                raise Rollback
        except Rollback:
            pass
    return results["small"], results["full"]


# --- under gunicorn -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, workers: int, threads: int, *, public_cache: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "TENDER_PUBLIC_CACHE_SECONDS": str(public_cache),
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/bench/bare/0/")
            conn.getresponse().read()
            conn.close()
            return process
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def measure(port: int, next_path, *, requests: int, concurrency: int, budget: float) -> dict:
    """Send `requests` GETs from `concurrency` threads (one keep-alive connection each).

    No request starts after `budget` seconds: a slow page is measured on fewer
    requests (the `ok` column says how many) rather than holding the run up.
    """
    local = threading.local()
    paths = [next_path() for _ in range(requests + concurrency)]
    deadline = [math.inf]

    def get(path):
        if time.perf_counter() > deadline[0]:
            return None
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        started = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            local.conn = None
            status = 0
        return time.perf_counter() - started, status, time.perf_counter()

    pool = ThreadPoolExecutor(concurrency)
    try:
        list(pool.map(get, paths[:concurrency]))  # warm-up: connections, caches
        started = time.perf_counter()
        deadline[0] = started + budget
        results = [result for result in pool.map(get, paths[concurrency:]) if result]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    wall = max((finished for _l, _s, finished in results), default=started) - started
    latencies = sorted(latency for latency, status, _f in results if status == 200)
    errors = [status for _latency, status, _f in results if status != 200]
    if not latencies:
        return {"errors": len(errors), "statuses": sorted(set(errors))}
    return {
        "ok": len(latencies),
        "errors": len(errors),
        "statuses": sorted(set(errors)),
        "median": statistics.median(latencies) * 1000,
        "p95": latencies[max(0, math.ceil(0.95 * len(latencies)) - 1)] * 1000,
        "rps": len(results) / wall if wall else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenders", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument(
        "--budget", type=float, default=90, help="seconds per page after which no request starts"
    )
    parser.add_argument("--reload", action="store_true", help="load the tenders again")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database (its tenders are replaced).")
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    ensure_loaded(args.tenders, args.reload)
    print(f"OCDS release rows: {check_release_shape()}.")

    print(f"Counting queries per page ({SMALL} tenders, then {args.tenders:,})…", flush=True)
    small, full = query_counts(args.tenders)
    connection.close()

    rng = random.Random(SEED)
    paths = page_paths(rng, size=args.tenders)
    runs = {}
    for public_cache in (0, PUBLIC_CACHE_SECONDS):
        port = free_port()
        print(
            f"gunicorn 127.0.0.1:{port}, {args.workers} workers x {args.threads} threads, "
            f"TENDER_PUBLIC_CACHE_SECONDS={public_cache}; "
            f"{args.requests} requests per page from {args.concurrency} client threads…",
            flush=True,
        )
        process = start_gunicorn(port, args.workers, args.threads, public_cache=public_cache)
        timings = {}
        try:
            for name, next_path in paths.items():
                timings[name] = measure(
                    port,
                    next_path,
                    requests=args.requests,
                    concurrency=args.concurrency,
                    budget=args.budget,
                )
        finally:
            stop_gunicorn(process)
        runs[public_cache] = timings

    for public_cache, timings in runs.items():
        print()
        if public_cache:
            print(
                f"Shared parts reused (TENDER_PUBLIC_CACHE_SECONDS={public_cache}): the list's "
                "form and results, the notice's sections; the first request of each key "
                "renders them:"
            )
        else:
            print("Every page rendered on each request (TENDER_PUBLIC_CACHE_SECONDS=0):")
        print_table(timings, small, full, tenders=args.tenders)
    print()
    print(
        "Queries (each page rendered, not reused): [2-lot tender, 10-lot tender] for the notice "
        "page and the record; within a data size, the two should match too."
    )
    print("Target: p95 <= 3x the bare view's; queries per page constant in the number of rows.")


def print_table(timings: dict, small: dict, full: dict, *, tenders: int) -> None:
    bare_p95 = timings["bare view (1 query)"].get("p95")
    print()
    header = (
        f"{'page':<22} {'ok':>5} {'err':>4} {'median ms':>10} {'p95 ms':>8} {'req/s':>7} "
        f"{'p95/bare':>9}   queries {SMALL} → {tenders:,}"
    )
    print(header)
    print("-" * len(header))
    for name, result in timings.items():
        # The timed deep page is named by its number, its count as "list, deep page".
        deep = name.startswith("list, page") and name != "list, page 1"
        count_name = "list, deep page" if deep else name
        counts = f"{small[count_name]} → {full[count_name]}"
        constant = "constant" if small[count_name] == full[count_name] else "GROWS"
        if "p95" not in result:
            print(f"{name:<22} {0:>5} {result['errors']:>4}  failed: statuses {result['statuses']}")
            continue
        ratio = result["p95"] / bare_p95 if bare_p95 else float("nan")
        print(
            f"{name:<22} {result['ok']:>5} {result['errors']:>4} {result['median']:>10.1f} "
            f"{result['p95']:>8.1f} {result['rps']:>7.1f} {ratio:>8.1f}x   {counts} {constant}"
        )


if __name__ == "__main__":
    main()
