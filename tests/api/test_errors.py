"""Every failure under /api/ is application/problem+json, a 4xx for the client's mistakes, and
nothing about the server (no stack trace, no exception text) ever leaves it."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory, override_settings

from comments.models import Comment
from config.views import bad_request, permission_denied, server_error

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def raw_post(client, url: str, payload: str | bytes, content_type: str = "application/json"):
    return client.generic("POST", url, payload, content_type=content_type)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["type"] == "about:blank" and body["title"]
    return body


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"body": "Hi", "author": "editor"}, {"author": ["Unknown field."]}),
        ({"body": "Hi", "status": "approved"}, {"status": ["Unknown field."]}),
        ({"body": 12}, {"body": ["Must be text (a JSON string)."]}),
        ({"body": ["Hi"]}, {"body": ["Must be text (a JSON string)."]}),
        ({"body": None}, {"body": ["This field may not be null."]}),
        ({"body": "Hi\x00there"}, {"body": ["Null characters are not allowed."]}),
        ({"body": "Hi", "idempotency_key": 5}, {"idempotency_key": ["Must be a valid UUID."]}),
        (
            {"body": "Hi", "idempotency_key": "urn:uuid:0b6e0c8e-6e6e-4f1a-9d0c-2f1a2b3c4d5e"},
            {"idempotency_key": ["Must be a valid UUID."]},
        ),
        ({}, {"body": ["This field is required."]}),
    ],
)
def test_unknown_fields_and_wrong_types_are_field_errors_and_store_nothing(
    as_reader, article, data, errors
):
    response = as_reader.post(f"/api/articles/{article.pk}/comments/", data)
    body = assert_problem(response, 400)
    assert body["errors"] == errors
    assert body["detail"] == "The request has invalid fields."
    assert not Comment.objects.exists()


@pytest.mark.parametrize("payload", ['["a list"]', '"a string"', "12", "null"])
def test_a_body_that_is_not_an_object_is_a_field_error(as_reader, article, payload):
    response = raw_post(as_reader, f"/api/articles/{article.pk}/comments/", payload)
    assert list(assert_problem(response, 400)["errors"]) == ["non_field_errors"]


@pytest.mark.parametrize(
    "payload",
    [
        '{"body": ',
        "{'body': 'single quotes'}",
        '{"body": NaN}',
        b'{"body": "\xff\xfe"}',
        "[" * 100_000,
    ],
    ids=["truncated", "single-quotes", "nan", "not-utf8", "nested-too-deep"],
)
def test_malformed_json_is_a_bad_request(as_reader, article, payload):
    response = raw_post(as_reader, f"/api/articles/{article.pk}/comments/", payload)
    assert "JSON parse error" in assert_problem(response, 400)["detail"]
    assert not Comment.objects.exists()


def test_text_with_an_unpaired_surrogate_is_refused_not_a_database_error(as_reader, article):
    response = raw_post(as_reader, f"/api/articles/{article.pk}/comments/", '{"body": "\\ud800"}')
    assert assert_problem(response, 400)["errors"] == {"body": ["Must be valid Unicode text."]}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_oversized_body_is_refused_with_413(as_reader, article):
    payload = json.dumps({"body": "x" * 2000})
    response = raw_post(as_reader, f"/api/articles/{article.pk}/comments/", payload)
    assert "1,000 bytes" in assert_problem(response, 413)["detail"]
    assert not Comment.objects.exists()


def test_a_body_that_is_not_json_is_refused_with_415(as_reader, article):
    response = raw_post(
        as_reader,
        f"/api/articles/{article.pk}/comments/",
        "body=Hi",
        content_type="application/x-www-form-urlencoded",
    )
    assert_problem(response, 415)


def test_asking_for_something_other_than_json_is_refused_with_406(api, article):
    response = api.get(f"/api/articles/{article.pk}/comments/", HTTP_ACCEPT="text/html")
    assert_problem(response, 406)


def test_a_method_an_endpoint_does_not_have_is_405_with_allow(as_reader, article):
    response = as_reader.put(f"/api/articles/{article.pk}/comments/", {"body": "Hi"})
    assert_problem(response, 405)
    assert "POST" in response["Allow"]


@pytest.mark.parametrize("method", ["get", "post", "delete"])
@pytest.mark.parametrize(
    "path", ["/api/nothing/here/", "/api/comments/1/nothing/", "/api/x", "/api/comments/1.json"]
)
def test_any_unknown_address_under_api_is_a_404_problem_whatever_the_method(
    as_reader, method, path
):
    # Never the site's page for that address, nor a CSRF refusal from it.
    assert_problem(getattr(as_reader, method)(path), 404)


def test_an_unexpected_error_is_a_500_problem_that_discloses_nothing(
    api, article, monkeypatch, caplog
):
    def explode(root_ids):
        raise RuntimeError("secret: the database password is hunter2")

    monkeypatch.setattr("api.comments.thread_nodes", explode)
    api.raise_request_exception = False
    with override_settings(DEBUG=False):
        response = api.get(f"/api/articles/{article.pk}/comments/")
    body = assert_problem(response, 500)
    assert body["detail"] == "The server could not complete the request."
    text = response.content.decode()
    assert "hunter2" not in text and "Traceback" not in text and "RuntimeError" not in text
    # It is logged on the server, where it belongs.
    assert any("hunter2" in str(record.exc_info) for record in caplog.records)


@pytest.mark.parametrize(
    ("handler", "status"),
    [
        (lambda request: bad_request(request, Exception("boom")), 400),
        (lambda request: permission_denied(request, Exception("boom")), 403),
        (server_error, 500),
    ],
)
def test_djangos_own_error_pages_are_problems_under_api_and_pages_elsewhere(handler, status):
    api_response = handler(RequestFactory().get("/api/comments/1/"))
    assert api_response.status_code == status
    assert api_response["Content-Type"] == PROBLEM
    assert "boom" not in api_response.content.decode()
    site_response = handler(RequestFactory().get("/more/"))
    assert site_response.status_code == status
    assert site_response["Content-Type"].startswith("text/html")
