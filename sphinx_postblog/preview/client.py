"""What the browser gets besides the built pages: the live reload script and stand-in pages.

Every HTML page is served with one ``<script>`` added before ``</head>`` (never written
to the output folder): it listens to the server's events (Server-Sent Events), reloads the
page when a newer build is ready, shows "rebuilding" while a build runs, and shows the
errors of the last build over the page (with its warnings a click away) until a build
goes through.
"""

from __future__ import annotations

import html
import json

#: Where the preview's own resources are served; no Sphinx output uses the name.
PREFIX = "/_preview/"

SCRIPT = r"""(() => {
  const me = document.currentScript;
  const shown = me ? me.dataset.build : "";
  const box = document.createElement("div");
  box.id = "postblog-preview";
  box.setAttribute("role", "status");
  box.style.cssText = "position:fixed;z-index:2147483647;right:1rem;bottom:1rem;" +
    "max-width:min(52rem,calc(100vw - 2rem));max-height:70vh;overflow:auto;" +
    "font:14px/1.4 system-ui,sans-serif;color:#1b1b1b;background:#fff;" +
    "border-radius:6px;box-shadow:0 2px 12px rgba(0,0,0,.35);display:none";
  const add = (parent, tag, text, css) => {
    const node = document.createElement(tag);
    if (text) node.textContent = text;
    if (css) node.style.cssText = css;
    parent.appendChild(node);
    return node;
  };
  const show = (data) => {
    box.replaceChildren();
    const errors = data.errors || [], warnings = data.warnings || [];
    if (!errors.length && !warnings.length && data.state !== "building") {
      box.style.display = "none";
      return;
    }
    box.style.display = "block";
    const head = add(box, "div", "", "padding:.5rem .8rem;font-weight:600;" +
      (errors.length ? "background:#b00020;color:#fff" : "background:#f3f3f3"));
    const parts = [];
    if (data.state === "building") parts.push("Rebuilding…");
    if (errors.length) parts.push(`${errors.length} error${errors.length > 1 ? "s" : ""}`);
    if (warnings.length) parts.push(`${warnings.length} warning${warnings.length > 1 ? "s" : ""}`);
    head.textContent = parts.join(" · ");
    const list = add(box, "div", "", errors.length ? "" : "display:none");
    head.style.cursor = "pointer";
    head.onclick = () => { list.style.display = list.style.display ? "" : "none"; };
    for (const text of errors) add(list, "pre", text, "margin:0;padding:.5rem .8rem;" +
      "white-space:pre-wrap;border-top:1px solid #ddd;color:#b00020");
    for (const text of warnings) add(list, "pre", text, "margin:0;padding:.5rem .8rem;" +
      "white-space:pre-wrap;border-top:1px solid #ddd;color:#6a4a00");
  };
  let later = 0;
  const start = () => {
    document.body.appendChild(box);
    const events = new EventSource("/_preview/events");
    events.onmessage = (event) => {
      const data = JSON.parse(event.data);
      clearTimeout(later);
      if (data.build !== shown && (data.state === "ready" || data.state === "failed")) {
        events.close();
        location.reload();
        return;
      }
      // "Rebuilding" only for a build that takes a while: no flicker on every save.
      if (data.state === "building") later = setTimeout(() => show(data), 400);
      else show(data);
    };
  };
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
"""


def script_tag(build: str) -> bytes:
    """The tag added to every served page, naming the build the page comes from."""
    return (f'<script src="{PREFIX}reload.js" data-build="{html.escape(build)}">'
            "</script>").encode()


def inject(page: bytes, build: str) -> bytes:
    """A page with the live reload script, before ``</head>`` (or at its end)."""
    tag = script_tag(build)
    at = page.find(b"</head>")
    if at < 0:
        return page + tag
    return page[:at] + tag + page[at:]


def stand_in(title: str, message: str, build: str) -> bytes:
    """A small page for what is not built (yet): it reloads when the build is ready."""
    body = (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title></head><body style=\"font:16px/1.5 "
            f"system-ui,sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem\">"
            f"<h1>{html.escape(title)}</h1><p>{html.escape(message)}</p></body></html>")
    return inject(body.encode(), build)


def event(data: dict[str, object]) -> bytes:
    """One Server-Sent Event carrying ``data`` as JSON."""
    return f"data: {json.dumps(data)}\n\n".encode()
