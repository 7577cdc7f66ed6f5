#!/usr/bin/env python3
"""The Atom feeds of a running Quill, read by a real feed parser (feedparser, from PyPI).

Run by scripts/test.sh against the browser tests' server once they have written their posts:
checks /feed.atom, a user's and a tag's feed as a feed reader would read them. Usage:
check_feeds.py BASE_URL USERNAME TAG"""

import sys
import urllib.error
import urllib.request

import feedparser


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=15) as res:
            return res.status, {k.lower(): v for k, v in res.headers.items()}, res.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def check(condition, message):
    if not condition:
        print(f"[feeds] FAILED: {message}", file=sys.stderr)
        sys.exit(1)


def check_feed(base, path, page):
    url = base + path
    status, headers, body = fetch(url)
    check(status == 200, f"{path}: {status}")
    check(headers.get("content-type", "").startswith("application/atom+xml"),
          f"{path}: Content-Type {headers.get('content-type')}")
    feed = feedparser.parse(body)
    check(not feed.bozo, f"{path}: not well-formed: {feed.get('bozo_exception')}")
    check(feed.version == "atom10", f"{path}: version {feed.version}")
    check(feed.feed.id == url, f"{path}: feed id {feed.feed.get('id')}")
    links = {link.rel: link.href for link in feed.feed.links}
    check(links.get("self") == url, f"{path}: self link {links}")
    check(links.get("alternate") == base + page, f"{path}: alternate link {links}")
    check(feed.feed.get("updated_parsed"), f"{path}: no updated")
    entries = feed.entries
    check(0 < len(entries) <= 20, f"{path}: {len(entries)} entries")
    ids = [entry.id for entry in entries]
    check(len(set(ids)) == len(ids), f"{path}: ids repeat")
    newest = None
    for entry in entries:
        check(entry.id.startswith(base + "/post/"), f"{path}: entry id {entry.id}")
        check(entry.link == entry.id, f"{path}: entry link {entry.link}")
        check(entry.get("title"), f"{path}: {entry.id} has no title")
        check(entry.get("author"), f"{path}: {entry.id} has no author")
        check(entry.get("published_parsed") and entry.get("updated_parsed"),
              f"{path}: {entry.id} has no dates")
        content = entry.content[0]
        check(content.type == "text/html", f"{path}: {entry.id} content {content.type}")
        check("<script" not in content.value.lower(), f"{path}: {entry.id} carries a script")
        if newest is not None:
            check(entry.published_parsed <= newest, f"{path}: not newest first")
        newest = entry.published_parsed
    # A reader that has the document gets a 304.
    status, _, _ = fetch(url, {"If-None-Match": headers["etag"]})
    check(status == 304, f"{path}: {status} for its own ETag")
    print(f"[feeds] {path}: well-formed Atom 1.0, {len(entries)} entries, 304 for its ETag")
    return entries


def main():
    base, user, tag = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    check_feed(base, "/feed.atom", "/")
    for entry in check_feed(base, f"/user/{user}/feed.atom", f"/user/{user}"):
        check(entry.author == user, f"{user}'s feed has {entry.author}'s post")
    for entry in check_feed(base, f"/tag/{tag}/feed.atom", f"/tag/{tag}"):
        check(any(t.term == tag for t in entry.get("tags", [])), f"#{tag} feed: {entry.id}")
    status, _, _ = fetch(base + "/tag/no-such-tag-here/feed.atom")
    check(status == 404, f"an unknown tag's feed: {status}")


if __name__ == "__main__":
    main()
