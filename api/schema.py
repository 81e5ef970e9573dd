"""The OpenAPI description: every operation lists the problems (RFC 9457) it can answer with.

Which problems an operation can give follows from its shape, so it is worked out here once rather
than repeated on every view: a body can be invalid (400), too large (413) or not JSON (415); query
and path parameters can be invalid (400) or name nothing (404); anything signed-in only or writing
can be refused (403); any request can carry a bad token (401), ask for something other than JSON
(406), be throttled (429) or meet a server failure (500). Views add their own (409) with
`extend_schema(responses=...)`.
"""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from comments.models import Comment
from moderation.context import rule_labels

from .problems import PROBLEM_JSON
from .serializers import REQUEST_RULES, STRICT


class ProblemSerializer(serializers.Serializer):
    """An error, as application/problem+json (RFC 9457)."""

    type = serializers.CharField(help_text="Always `about:blank`: `status` says what went wrong.")
    title = serializers.CharField(help_text="The HTTP status phrase, e.g. `Bad Request`.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(
        required=False, help_text="What went wrong, in a sentence that can be shown to a person."
    )
    # Not Serializer.errors, as the stubs think: DRF's metaclass takes declared fields off it.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.JSONField(),
        required=False,
        help_text="For invalid requests: each field or query parameter (or `non_field_errors`) "
        "with a list of what is wrong with it.",
    )
    retry_after = serializers.IntegerField(
        required=False, help_text="For 429: seconds to wait (also in the Retry-After header)."
    )
    code = serializers.CharField(
        required=False,
        help_text="For refusals, a stable code saying what was refused, e.g. `nudge`, "
        "`duplicate`, `idempotency_mismatch`, `already_reported`, `too_fast`, `author_banned`, "
        "`author_suspended`, `author_warned`, `comments_closed`, `edit_window_closed`, "
        "`not_author`, `unverified`, `already_decided`, `already_so`, `withdrawn`, "
        "`already_lifted`.",
    )


class NudgeReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="`toxicity` or `suspect_words`.")
    message = serializers.CharField(help_text="What the rule found, as editors would read it.")


class NudgeProblemSerializer(ProblemSerializer):
    """A 409 when posting a comment; with `code` `nudge`, also what to look at and how to go on."""

    reasons = NudgeReasonSerializer(many=True, required=False)
    confirm = serializers.CharField(required=False, help_text="How to post it anyway.")


class AlreadyDecidedProblemSerializer(ProblemSerializer):
    """A 409 for a decision: someone changed the comment first (`code` `already_decided`), or
    the decision does not apply to the comment as it stands."""

    change = serializers.ChoiceField(
        choices=["decided", "rescreened", "withdrawn", "reported"],
        required=False,
        allow_null=True,
        help_text="What changed it: an editor's decision, its author's edit or deletion, or "
        "readers' reports.",
    )
    decided_by = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="Who changed it first: an editor's or the author's username, or “Readers' "
        "reports”.",
    )
    decided_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="When they changed it."
    )
    current_status = serializers.ChoiceField(
        choices=Comment.Status.choices, required=False, allow_null=True
    )
    current_version = serializers.IntegerField(
        required=False, allow_null=True, help_text="Send this one to decide on it as it is now."
    )


PROBLEMS = {
    "400": "The request is invalid: `errors` says what is wrong with each field or parameter.",
    "401": "Authentication is needed, or the token is wrong, expired or revoked.",
    "403": "Not allowed: `detail` says why (with a session: a missing or wrong CSRF token).",
    "404": "Nothing here, or nothing you may see.",
    "406": "The Accept header asks for something other than JSON.",
    "413": "The request body is larger than the server accepts.",
    "415": "The request body is not JSON (send Content-Type: application/json).",
    "429": "Too many requests: try again after Retry-After seconds.",
    "500": "The server failed; nothing about the failure is disclosed.",
}
RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer", "minimum": 0},
        "description": "Seconds to wait before trying again.",
    }
}


def problem_response(auto_schema: AutoSchema, code: str, description: str | None = None) -> dict:
    component = auto_schema.resolve_serializer(ProblemSerializer, "response")
    response = {
        "description": description or PROBLEMS[code],
        "content": {PROBLEM_JSON: {"schema": component.ref}},
    }
    if code == "429":
        response["headers"] = RETRY_AFTER
    return response


class ProblemsAutoSchema(AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for code in self._problem_codes(operation):
            if code not in responses:
                responses[code] = problem_response(self, code)
        return operation

    def _problem_codes(self, operation: dict) -> list[str]:
        where = {p["in"] for p in operation.get("parameters", [])}
        has_body = "requestBody" in operation
        anonymous_allowed = {} in operation.get("security", [{}])
        codes = ["401", "406", "429", "500"]
        if has_body or "query" in where:
            codes.append("400")
        if "path" in where or "query" in where:
            codes.append("404")
        if not anonymous_allowed or self.method not in ("GET", "HEAD", "OPTIONS"):
            codes.append("403")
        if has_body:
            codes += ["413", "415"]
        return sorted(codes)


# --- What request bodies must be, beyond their fields ---------------------------------------------


def apply_request_rules(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """A postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).

    Request serializers mark their components through drf-spectacular's public
    `extend_schema_serializer(extensions=...)` (api/serializers.py: StrictFieldsMixin and
    `request_rules`); here each marked request component gets `additionalProperties: false`
    and its rules (a pattern, list bounds, which fields go together), and the markers go.
    """
    for name, component in result.get("components", {}).get("schemas", {}).items():
        strict = component.pop(STRICT, False)
        rules = component.pop(REQUEST_RULES, None)
        if not name.endswith("Request"):
            continue
        if strict:
            component["additionalProperties"] = False  # unknown fields are refused, so say so
        for key, value in (rules or {}).items():
            if key == "properties":
                for field_name, extra in value.items():
                    component["properties"][field_name].update(extra)
            else:
                component[key] = value
    return result


def rule_choices(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """A postprocessing hook: the queues' `rule` filter lists the rules that exist now.

    Editors add rule packs (`pack:<slug>`), so the choices are read when the schema is made,
    from the same list the queues check a filter against.
    """
    try:
        choices = list(rule_labels())
    except DatabaseError:
        return result  # no tables yet (`check --deploy` before `migrate`): a plain string then
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/moderation/queues/"):
            continue
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "rule" and parameter["in"] == "query":
                    parameter["schema"] = {"type": "string", "enum": choices}
    return result
