"""The published API schema tells every status an operation can answer.

drf-spectacular documents the success response of each operation; the errors come from the
shared conventions (core.api.exception_handler, authentication, permissions, throttling,
pagination, the body limits), which apply to every operation alike. This postprocessing hook
adds them, with one JSON error body, wherever an operation does not document them itself.
(Like the rest of the schema's prose, the descriptions are English and not translated.)"""

ERROR_COMPONENT = "Error"

ERROR_SCHEMA = {
    "description": (
        'An error: {"detail": message} (with a "code" where one applies); for invalid input, '
        'a list of messages per field name ("non_field_errors" for the input as a whole); for '
        "a query invalid as a whole (e.g. a search with a null character), a list of messages."
    ),
    "oneOf": [
        {
            "type": "object",
            "properties": {
                "detail": {"type": "string"},
                "code": {"type": "string"},
                "non_field_errors": {"type": "array", "items": {"type": "string"}},
            },
            "additionalProperties": {},
        },
        {"type": "array", "items": {"type": "string"}},
    ],
}

# Status → (description, applies to: "all" or "write" operations).
ERROR_RESPONSES = {
    "400": ("Invalid input: the messages name the parameter or field.", "all"),
    "401": ("Not signed in: no credentials, or an expired or revoked token.", "all"),
    "403": ("Signed in, but this role may not do this.", "all"),
    "404": ("No such record, or one the caller may not see (or a page past the last).", "all"),
    "409": (
        "The record changed under the request (a concurrent change), or a request with the same "
        "Idempotency-Key is still being answered; try again.",
        "write",
    ),
    "413": ("The request body is larger than the server accepts.", "write"),
    "429": ("Too many requests: try again later.", "all"),
}

WRITE_METHODS = {"post", "put", "patch", "delete"}

# The Idempotency-Key header (core/idempotency.py) on the writes that are not idempotent already.
IDEMPOTENT_METHODS = {"post", "patch"}
IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Makes a retry safe: the first successful answer is kept for 24 hours and a retry with the "
        "same key and the same request gets it again (header Idempotent-Replayed: true) without "
        "writing twice. Keys belong to the signed-in user. Answers that show a secret once are not kept."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-+\\--~]+$"},
}
IDEMPOTENCY_RESPONSE = (
    "422",
    "The Idempotency-Key was already used for a different request.",
)


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(ERROR_COMPONENT, ERROR_SCHEMA)
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if method in IDEMPOTENT_METHODS:
                operation.setdefault("parameters", []).append(dict(IDEMPOTENCY_PARAMETER))
                status, description = IDEMPOTENCY_RESPONSE
                responses.setdefault(
                    status,
                    {"description": description, "content": {"application/json": {"schema": reference}}},
                )
            for status, (description, applies) in ERROR_RESPONSES.items():
                if applies == "write" and method not in WRITE_METHODS:
                    continue
                responses.setdefault(
                    status,
                    {"description": description, "content": {"application/json": {"schema": reference}}},
                )
    return result
