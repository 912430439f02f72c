"""Security headers on every response, and no-store on every response made for a token or a signed-in session.

Pages run only the app's own scripts and styles ('self'); an inline <script> or <style> needs the
response's nonce (`csp_nonce()` in a template). The one exception is the API's documentation page
(/docs): flask-smorest's Swagger UI loads from a CDN and starts with an inline script, so that page
alone allows Swagger UI's folder on that CDN, its inline script by hash, and inline styles (it renders nothing a user wrote).
"""

import base64
import hashlib
import re
import secrets

from flask import g, request

SWAGGER_UI = "https://cdn.jsdelivr.net/npm/swagger-ui-dist/"  # where service/app.py loads Swagger UI from
ALWAYS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def csp_nonce() -> str:
    """The nonce of this response, for an inline <script nonce=…> or <style nonce=…>; the policy names it."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def policy(scripts: str, styles: str) -> str:
    return "; ".join(("default-src 'self'", f"script-src {scripts}", f"style-src {styles}", "img-src 'self' data:",
                      "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"))


def own_policy() -> str:
    own = "'self'" + (f" 'nonce-{g.csp_nonce}'" if "csp_nonce" in g else "")
    return policy(own, own)


def docs_policy(response) -> str:
    scripts = INLINE_SCRIPT.findall(response.get_data(as_text=True))
    hashes = "".join(f" 'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts)
    return policy(f"'self' {SWAGGER_UI}{hashes}", f"'self' {SWAGGER_UI} 'unsafe-inline'")


def authenticated() -> bool:
    """Made for a bearer token or a signed-in viewer, or the sign-in form with its per-browser CSRF token."""
    return bool(g.get("principal") or g.get("viewer")) or request.endpoint == "web.sign_in"


def secure(response):
    response.headers.update(ALWAYS)
    is_docs = request.endpoint == "api-docs.openapi_swagger_ui"
    response.headers["Content-Security-Policy"] = docs_policy(response) if is_docs else own_policy()
    if authenticated():
        response.headers["Cache-Control"] = "no-store"
    return response


def register(app) -> None:
    app.after_request(secure)
    app.add_template_global(csp_nonce)
