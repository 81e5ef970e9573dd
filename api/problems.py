"""Errors as application/problem+json (RFC 9457), for every failure under /api/.

DRF's validation errors keep their field structure under "errors"; nothing else about the server
(no stack trace, no exception text of an unexpected error) ever leaves it.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger(__name__)


def problem(
    status_code: int, detail: str | None = None, *, errors: Any = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
    }
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    return body


class Conflict(exceptions.APIException):
    """The request cannot be done because of the resource's state (e.g. reported already).

    Keyword arguments become extension members of the problem (RFC 9457, section 3.2), e.g.
    `code="already_decided", decided_by="alice"`.
    """

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"

    def __init__(self, detail: str | None = None, **members: Any) -> None:
        super().__init__(detail)
        self.members = members


class FieldNotFound(exceptions.NotFound):
    """A parameter names something that does not exist: 404, with the parameter in `errors`."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.errors = {field: [message]}


def _detail_text(data: Any) -> str | None:
    if isinstance(data, dict) and "detail" in data and len(data) == 1:
        return str(data["detail"])
    if isinstance(data, str):
        return data
    return None


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = exceptions.APIException(
            f"The request body is too large: the limit is {limit:,} bytes."
        )
        exc.status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    response = drf_exception_handler(exc, context)
    if response is None:
        # Unexpected: log it here, answer with nothing the client could learn from.
        logger.exception("Unhandled API error", exc_info=exc)
        response = Response(
            problem(500, "The server could not complete the request."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
        response.content_type = PROBLEM_JSON
        return response
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        # Always an object of fields, also for an error raised with a bare message or list.
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        body = problem(response.status_code, "The request has invalid fields.", errors=errors)
    else:
        body = problem(response.status_code, _detail_text(data) or str(exc))
        if isinstance(exc, FieldNotFound):
            body["errors"] = exc.errors
        if isinstance(exc, exceptions.Throttled):
            wait = exc.wait  # type: ignore[attr-defined]  # DRF sets it; the stubs omit it
            if wait is not None:
                body["retry_after"] = int(wait)
        if isinstance(data, dict):
            body.update({k: v for k, v in data.items() if k != "detail"})
        # Extension members an API view set on the exception (see Conflict and comments.refusal).
        body.update(getattr(exc, "members", None) or {})
    response.data = body
    response.content_type = PROBLEM_JSON
    return response


def _json_problem(status_code: int, detail: str) -> JsonResponse:
    return JsonResponse(problem(status_code, detail), status=status_code, content_type=PROBLEM_JSON)


def not_found(request, exception: Exception | None = None) -> JsonResponse:
    return _json_problem(404, "There is nothing at this address.")


def server_error(request) -> JsonResponse:
    return _json_problem(500, "The server could not complete the request.")


@csrf_exempt
def no_such_endpoint(request, *args, **kwargs) -> JsonResponse:
    return not_found(request)


def bad_request(request, exception: Exception | None = None) -> JsonResponse:
    return _json_problem(400, "The request could not be understood.")


def forbidden(request, exception: Exception | None = None) -> JsonResponse:
    return _json_problem(403, "You are not allowed to do this.")
