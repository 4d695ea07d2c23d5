"""`newswatch kibana import`: the data views, saved searches and dashboard of deploy/kibana, via the saved-objects API.

All files go in one request, so references between them (a dashboard to its data views) resolve
whatever the file order. With another index prefix than `newswatch`, data view titles are rewritten.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

KIBANA_DIR = Path(__file__).resolve().parents[3] / "deploy" / "kibana"
DEFAULT_PREFIX = "newswatch"


def register(subparsers) -> None:
    parser = subparsers.add_parser("kibana", help="import newswatch's saved objects into Kibana")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    importer = actions.add_parser("import", help="POST deploy/kibana/*.ndjson to Kibana's saved-objects import API")
    importer.add_argument("--url", help="Kibana base URL (default: settings kibana.url)")
    importer.add_argument("--space", help="Kibana space id (default: settings kibana.space, else the default space)")
    importer.add_argument("--no-overwrite", action="store_true", help="keep objects that already exist")
    importer.add_argument("--timeout", type=float, default=60.0)
    parser.set_defaults(handler=run)


def saved_objects(directory: Path, prefix: str) -> bytes:
    """Every saved object of the directory as one NDJSON body, data view titles moved to `prefix`."""
    lines = []
    for path in sorted(directory.glob("*.ndjson")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                saved = json.loads(line)
            except ValueError as error:
                raise ValueError(f"{path}:{number}: not JSON ({error})") from error
            if saved.get("type") == "index-pattern" and prefix != DEFAULT_PREFIX:
                title = saved["attributes"]["title"]
                saved["attributes"]["title"] = prefix + title.removeprefix(DEFAULT_PREFIX)
            lines.append(json.dumps(saved, ensure_ascii=False))
    if not lines:
        raise ValueError(f"no saved objects in {directory}/*.ndjson")
    return ("\n".join(lines) + "\n").encode("utf-8")


def import_url(base_url: str, space: str | None, overwrite: bool) -> str:
    space_path = f"/s/{space}" if space else ""
    return f"{base_url.rstrip('/')}{space_path}/api/saved_objects/_import?overwrite={'true' if overwrite else 'false'}"


def auth_headers(kibana) -> dict[str, str]:
    import base64

    if kibana.api_key:
        return {"Authorization": f"ApiKey {kibana.api_key.get_secret_value()}"}
    if kibana.username:
        password = kibana.password.get_secret_value() if kibana.password else ""
        token = base64.b64encode(f"{kibana.username}:{password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}
    return {}


async def post_import(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int, dict | str]:
    import aiohttp

    form = aiohttp.FormData()
    form.add_field("file", body, filename="newswatch.ndjson", content_type="application/ndjson")
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        async with session.post(url, data=form, headers={"kbn-xsrf": "true", **headers}) as response:
            text = await response.text()
            try:
                return response.status, json.loads(text)
            except ValueError:
                return response.status, text


def run(args) -> int:
    import asyncio

    import aiohttp

    from streams.settings import Settings

    settings = Settings()
    try:
        body = saved_objects(KIBANA_DIR, settings.elasticsearch.index_prefix)
    except (OSError, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    url = import_url(args.url or settings.kibana.url, args.space or settings.kibana.space, not args.no_overwrite)
    try:
        status, result = asyncio.run(post_import(url, body, auth_headers(settings.kibana), args.timeout))
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
        print(f"cannot reach Kibana at {url}: {error}; is it running (docker compose up kibana)?", file=sys.stderr)
        return 1
    if status != 200 or not isinstance(result, dict):
        print(f"Kibana answered HTTP {status}: {str(result)[:500]}", file=sys.stderr)
        return 1
    for error in result.get("errors", []):
        print(f"  {error.get('type')} {error.get('id')}: {json.dumps(error.get('error'))}", file=sys.stderr)
    print(f"imported {result.get('successCount', 0)} saved object(s) into {url.split('/api/')[0]}"
          + ("" if result.get("success") else f"; {len(result.get('errors', []))} failed"))
    return 0 if result.get("success") else 1
