"""Callback payloads the way the Dash renderer builds them, captured from a running app.

The app's layout is a skeleton whose router callback renders each page from the URL; we call that callback
like the browser does, walk the returned component tree, and build the initial-call payload of every
server-side callback whose inputs are all on the page (exact ids, and ALL wildcards), and of every page view
(the callbacks reading the view's query string, which the router runs as it builds the page and which run again
on each change of view). Clientside callbacks, MATCH/ALLSMALLER wildcards and other prevent_initial_call
callbacks (clicks, downloads) are left out.
"""
from __future__ import annotations

import json
from collections.abc import Iterator

import requests

UPDATE = "/_dash-update-component"
# dashboard/components/ids.py: ShellIds (the bench talks to the app over HTTP only)
VIEW, LANG_SWITCH = "view-search", "lang-switch"


def _parse_id(raw: str):
    return json.loads(raw) if raw.startswith("{") else raw


def _id_text(cid) -> str:
    return json.dumps(cid, separators=(",", ":"), sort_keys=True) if isinstance(cid, dict) else cid


def _outputs(spec: str) -> list[dict]:
    if spec.startswith(".."):
        parts = spec[2:-2].split("...")
    else:
        parts = [spec]
    out = []
    for part in parts:
        cid, prop = part.rsplit(".", 1)
        out.append({"id": _parse_id(cid), "property": prop})
    return out


def _walk(node) -> Iterator[dict]:
    if isinstance(node, list):
        for child in node:
            yield from _walk(child)
    elif isinstance(node, dict) and "props" in node:
        yield node
        for value in node["props"].values():
            if isinstance(value, (list, dict)):
                yield from _walk(value)


def _matches(pattern, cid) -> tuple[bool, bool]:
    """(matches, is_wildcard)."""
    if isinstance(pattern, str) or isinstance(cid, str):
        return pattern == cid, False
    if set(pattern) != set(cid):
        return False, False
    wildcard = False
    for k, v in pattern.items():
        if isinstance(v, list):  # ["ALL"]
            wildcard = True
        elif cid[k] != v:
            return False, False
    return True, wildcard


def _resolve(dep: dict, props: list[tuple[object, dict]], with_value: bool):
    """The renderer's entry for one input/state/output: a dict, or a list for a wildcard; None if absent."""
    pattern = _parse_id(dep["id"]) if isinstance(dep["id"], str) else dep["id"]
    if isinstance(pattern, dict) and any(isinstance(v, list) and v != ["ALL"] for v in pattern.values()):
        raise LookupError("MATCH/ALLSMALLER")
    found, wildcard = [], isinstance(pattern, dict) and ["ALL"] in pattern.values()
    for cid, p in props:
        ok, _ = _matches(pattern, cid)
        if ok:
            entry = {"id": cid, "property": dep["property"]}
            if with_value:
                entry["value"] = p.get(dep["property"])
            found.append(entry)
    if wildcard:
        return found
    return found[0] if found else None


def render(base: str, session: requests.Session, pathname: str, search: str, router: dict) -> list:
    """Call the router callback like the browser does on first load; returns the page's component tree."""
    payload = {"output": router["output"], "outputs": _outputs(router["output"]),
               "inputs": [{"id": "url", "property": "pathname", "value": pathname},
                          {"id": LANG_SWITCH, "property": "data", "value": None}],
               "state": [{"id": "url", "property": "search", "value": search}], "changedPropIds": ["url.pathname"]}
    r = session.post(base + UPDATE, json=payload, timeout=60)
    r.raise_for_status()
    return r.json()["response"]["page-root"]["children"]


def page_payloads(base: str, session: requests.Session, pathname: str, search: str) -> list[dict]:
    deps = session.get(base + "/_dash-dependencies", timeout=30).json()
    router = next(d for d in deps if _outputs(d["output"])[0]["id"] == "page-root")
    tree = render(base, session, pathname, search, router)
    props = [(n["props"]["id"], n["props"]) for n in _walk(tree) if "id" in n["props"]]
    props += [("url", {"pathname": pathname, "search": search}), (VIEW, {"data": search})]
    payloads = []
    for dep in deps:
        view = any(i["id"] == VIEW for i in dep["inputs"])
        if dep is router or dep.get("clientside_function") or (dep.get("prevent_initial_call") and not view):
            continue
        try:
            inputs = [_resolve(i, props, True) for i in dep["inputs"]]
            state = [_resolve(s, props, True) for s in dep.get("state", [])]
            outputs = [_resolve(o, props, False) for o in _outputs(dep["output"])]
        except LookupError:
            continue
        if any(x is None for x in inputs + state + outputs) or all(x == [] for x in inputs):
            continue
        if any(isinstance(o, list) and not o for o in outputs):
            continue
        multi = dep["output"].startswith("..")
        first = inputs[0] if isinstance(inputs[0], dict) else (inputs[0][0] if inputs[0] else None)
        changed = [f"{_id_text(first['id'])}.{first['property']}"] if first else []
        payloads.append({"output": dep["output"], "outputs": outputs if multi else outputs[0], "inputs": inputs,
                         "state": state, "changedPropIds": changed})
    return payloads
