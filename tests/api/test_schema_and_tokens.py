"""The OpenAPI description is valid and complete, and editors' tools get tokens from a shell."""

from __future__ import annotations

import io
import json

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from accounts.models import ApiToken

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    # The queues' rule choices are read from the database (api.schema.rule_choices).
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_the_schema_validates_without_a_single_warning(tmp_path):
    # What CI runs too: a warning (a type spectacular had to guess) fails it.
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert yaml.safe_load(target.read_text())["paths"]


def test_every_comment_endpoint_is_described(schema):
    described = {(path, method) for path, method, _ in operations(schema)}
    assert described >= {
        ("/api/articles/{article_id}/comments/", "get"),
        ("/api/articles/{article_id}/comments/", "post"),
        ("/api/comments/{id}/", "get"),
        ("/api/comments/{id}/", "patch"),
        ("/api/comments/{id}/", "delete"),
        ("/api/comments/{id}/replies/", "post"),
        ("/api/comments/{id}/report/", "post"),
    }


def test_every_moderation_endpoint_is_described_with_its_conflicts(schema):
    described = {(path, method) for path, method, _ in operations(schema)}
    assert described >= {
        ("/api/moderation/queues/", "get"),
        ("/api/moderation/queues/{queue}/", "get"),
        ("/api/moderation/comments/{id}/", "get"),
        ("/api/moderation/comments/{id}/decision/", "post"),
        ("/api/moderation/comments/{id}/history/", "get"),
        ("/api/moderation/comments/{id}/feature/", "post"),
        ("/api/moderation/comments/{id}/feature/", "delete"),
        ("/api/moderation/decisions/", "post"),
        ("/api/moderation/users/{id}/", "get"),
        ("/api/moderation/users/{id}/sanctions/", "get"),
        ("/api/moderation/users/{id}/sanctions/", "post"),
        ("/api/moderation/users/{id}/notes/", "get"),
        ("/api/moderation/users/{id}/notes/", "post"),
        ("/api/moderation/sanctions/{id}/lift/", "post"),
        ("/api/moderation/overview/", "get"),
    }
    paths = schema["paths"]
    conflict = paths["/api/moderation/comments/{id}/decision/"]["post"]["responses"]["409"]
    assert conflict["content"][PROBLEM]["schema"]["$ref"].endswith("AlreadyDecidedProblem")
    nudge = paths["/api/articles/{article_id}/comments/"]["post"]["responses"]["409"]
    assert nudge["content"][PROBLEM]["schema"]["$ref"].endswith("NudgeProblem")
    assert "nudge" in nudge["description"]


def test_every_operation_describes_its_problems_as_problem_json(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        for code in ("401", "406", "429", "500"):
            assert PROBLEM in responses[code]["content"], (path, method, code)
        assert "Retry-After" in responses["429"]["headers"]
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= set(responses), (path, method)
        if "{" in path:
            assert "404" in responses, (path, method)


def test_writes_need_a_token_or_a_session_and_reads_are_open_except_to_editors_tools(schema):
    for path, method, operation in operations(schema):
        anonymous = {} in operation["security"]
        if path.startswith(("/api/me/", "/api/moderation/")):
            assert not anonymous, (path, method)
            assert "403" in operation["responses"], (path, method)
        else:
            assert anonymous == (method == "get"), (path, method)
        assert {"knoxApiToken": []} in operation["security"]
    scheme = schema["components"]["securitySchemes"]["knoxApiToken"]
    assert scheme == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Token-based authentication with required prefix "Token"',
    }


def test_request_bodies_say_that_unknown_fields_are_refused(schema):
    components = schema["components"]["schemas"]
    for name in ("NewCommentRequest", "PatchedEditCommentRequest", "NewReportRequest"):
        assert components[name]["additionalProperties"] is False


def test_what_request_bodies_must_be_beyond_their_fields_is_in_the_schema(schema):
    components = schema["components"]["schemas"]
    comments = components["BulkDecisionRequest"]["properties"]["comments"]
    assert (comments["minItems"], comments["maxItems"]) == (1, 100)
    assert components["NewNoteRequest"]["properties"]["text"]["pattern"]
    sanction_kinds = [
        option["properties"]["kind"]["allOf"][0]["enum"][0]
        for option in components["NewSanctionRequest"]["anyOf"]
    ]
    assert sorted(sanction_kinds) == ["ban", "premoderate", "suspend", "trust", "warn"]
    assert len(components["NewReportRequest"]["anyOf"]) == 2
    # The markers the serializers leave for the schema's hook do not reach the schema.
    assert "x-colloquy" not in json.dumps(schema)


def test_the_comment_text_rules_are_in_the_schema(schema, settings):
    body = schema["components"]["schemas"]["NewCommentRequest"]["properties"]["body"]
    assert body["minLength"] == 1 and body["maxLength"] == settings.COMMENTS_MAX_LENGTH
    assert body["pattern"]


# --- manage.py create_api_token -----------------------------------------------------------------


def create(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_the_command_prints_a_working_secret_once_and_stores_only_its_hash(api, editor):
    secret, note = create("editor", "--name", "Newsroom tool", "--days", "30")
    token = ApiToken.objects.get(user=editor)
    assert token.name == "Newsroom tool"
    assert 29 <= (token.expiry - timezone.now()).days <= 30
    assert "never expires" not in note and secret not in note
    assert secret not in {
        str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()
    }
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/me/").json()["is_editor"] is True


def test_without_days_the_token_does_not_expire(reader):
    _, note = create("READER", "--name", "CLI")
    assert ApiToken.objects.get(user=reader).expiry is None
    assert "never expires" in note


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--name", "x"], "No active user named 'nobody'."),
        (["reader", "--name", "   "], "Give the token a name"),
        (["reader", "--name", "x", "--days", "0"], "--days must be 1 or more."),
    ],
)
def test_the_command_refuses_clearly(reader, args, message):
    with pytest.raises(CommandError, match=message):
        create(*args)
    assert not ApiToken.objects.exists()


def test_the_queue_rule_filter_offers_the_rules_and_packs_that_exist(schema):
    (rule,) = (
        parameter
        for parameter in schema["paths"]["/api/moderation/queues/{queue}/"]["get"]["parameters"]
        if parameter["name"] == "rule"
    )
    assert {"toxicity", "unknown_link", "pack:threats", "pack:spam"} <= set(rule["schema"]["enum"])


@pytest.mark.django_db
def test_an_empty_queue_filter_is_a_field_error_in_the_api(as_editor):
    response = as_editor.get("/api/moderation/queues/pending/", {"until": "", "rule": ""})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "rule": ["This field may not be blank."],
        "until": ["This field may not be blank."],
    }
