"""Schemathesis hooks for Quill's API: a bearer token that survives the fuzzer.

The fuzzer logs out (revoking the token), changes passwords and deletes accounts, so the token
is refreshed whenever the server refuses it: log in again with the account's credentials, and
when those no longer work, make a fresh account. With QUILL_FUZZ_CREATE_ADMIN (a command such
as `target/release/quill create-user --admin`, run in QUILL_FUZZ_ROOT with the environment's
DATABASE_URL) each account is an administrator, so the admin-only operations are exercised
too; without it, accounts are registered through the API.
"""

import os
import secrets
import shlex
import subprocess
import threading

import requests
import schemathesis

_lock = threading.Lock()
_state = {"token": None, "stale": True, "creds": None}


def _login(base, creds):
    response = requests.post(f"{base}/auth/login", json=creds, timeout=30)
    return response.json()["auth_token"] if response.status_code == 200 else None


def _new_account(base):
    name = "fuzz_" + secrets.token_hex(6)
    creds = {"email": f"{name}@example.com", "password": "pw-" + secrets.token_hex(8)}
    create_admin = os.environ.get("QUILL_FUZZ_CREATE_ADMIN")
    if create_admin:
        subprocess.run(
            shlex.split(create_admin) + ["--username", name, "--email", creds["email"]],
            env={**os.environ, "QUILL_PASSWORD": creds["password"]},
            cwd=os.environ.get("QUILL_FUZZ_ROOT"),
            check=True,
            capture_output=True,
        )
    else:
        response = requests.post(
            f"{base}/auth/register", json={**creds, "username": name}, timeout=30
        )
        response.raise_for_status()
    return creds


@schemathesis.auth(refresh_interval=1)
class QuillToken:
    def get(self, case, ctx):
        with _lock:
            if _state["token"] and not _state["stale"]:
                return _state["token"]
            base = ctx.operation.schema.get_base_url()
            token = _login(base, _state["creds"]) if _state["creds"] else None
            if token is None:
                _state["creds"] = _new_account(base)
                token = _login(base, _state["creds"])
            _state["token"], _state["stale"] = token, False
            return token

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


@schemathesis.hook
def after_call(context, case, response):
    # A 401 to the current token means the fuzzer logged it out or deleted its account.
    if response.status_code == 401:
        with _lock:
            sent = response.request.headers.get("Authorization")
            if _state["token"] and sent == f"Bearer {_state['token']}":
                _state["stale"] = True
