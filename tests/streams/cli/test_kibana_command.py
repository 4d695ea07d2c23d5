import json

from aiohttp import web

from streams.cli.commands.kibana import KIBANA_DIR, auth_headers, import_url, post_import, saved_objects
from streams.settings import KibanaSettings
from tests.streams.local_http import serve


def test_all_files_go_in_one_body_and_titles_follow_the_prefix():
    body = saved_objects(KIBANA_DIR, "ops")
    objects = [json.loads(line) for line in body.decode().splitlines()]
    titles = {o["id"]: o["attributes"]["title"] for o in objects if o["type"] == "index-pattern"}
    assert titles["newswatch-incidents"] == "ops-incidents*"
    assert {o["type"] for o in objects} >= {"index-pattern", "search", "lens", "map", "dashboard"}
    assert saved_objects(KIBANA_DIR, "newswatch").count(b'"title": "newswatch-incidents*"') == 1


def test_bad_lines_name_the_file(tmp_path):
    (tmp_path / "broken.ndjson").write_text('{"type": "search"}\n{oops\n')
    try:
        saved_objects(tmp_path, "newswatch")
    except ValueError as error:
        assert str(error).startswith(f"{tmp_path}/broken.ndjson:2: not JSON")
    else:
        raise AssertionError("a broken line was accepted")


def test_urls_and_credentials():
    assert import_url("http://k:5601/", None, True) == "http://k:5601/api/saved_objects/_import?overwrite=true"
    assert import_url("http://k:5601", "ops", False) == "http://k:5601/s/ops/api/saved_objects/_import?overwrite=false"
    assert auth_headers(KibanaSettings(api_key="abc")) == {"Authorization": "ApiKey abc"}
    assert auth_headers(KibanaSettings(username="elastic", password="pw")) == {"Authorization": "Basic ZWxhc3RpYzpwdw=="}
    assert auth_headers(KibanaSettings()) == {}


async def test_the_import_is_a_multipart_upload_with_the_xsrf_header():
    received = {}

    async def handle(request: web.Request) -> web.Response:
        received["headers"] = dict(request.headers)
        received["query"] = dict(request.query)
        form = await request.post()
        received["file"] = form["file"].file.read()
        received["filename"] = form["file"].filename
        return web.json_response({"success": True, "successCount": 11})

    app = web.Application()
    app.router.add_post("/s/ops/api/saved_objects/_import", handle)
    body = saved_objects(KIBANA_DIR, "newswatch")
    async with serve(app) as base_url:
        status, result = await post_import(import_url(base_url, "ops", True), body, {"Authorization": "ApiKey abc"}, timeout=10)
    assert (status, result) == (200, {"success": True, "successCount": 11})
    assert received["headers"]["kbn-xsrf"] == "true" and received["headers"]["Authorization"] == "ApiKey abc"
    assert received["query"] == {"overwrite": "true"}
    assert received["file"] == body and received["filename"].endswith(".ndjson")
