-- Tags: a post has up to five. `posts.tags` keeps them as shown (`a, b`), so a list of posts
-- needs no join; `post_tags` finds a tag's posts, newest first, on its own index (a post's
-- date never changes, so it is copied here); `tags.post_count` is kept by triggers.
ALTER TABLE posts ADD COLUMN tags TEXT NOT NULL DEFAULT '';
CREATE TABLE tags (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL UNIQUE,
    post_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tags_most_used ON tags (post_count DESC, name);
CREATE TABLE post_tags (
    post_id     INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    date_posted INTEGER NOT NULL,
    PRIMARY KEY (post_id, tag_id)
);
CREATE INDEX post_tags_feed ON post_tags (tag_id, date_posted DESC, post_id DESC);
-- A post's deletion removes its rows here by ON DELETE CASCADE, which runs this trigger too.
CREATE TRIGGER post_tags_counted_in AFTER INSERT ON post_tags BEGIN
    UPDATE tags SET post_count = post_count + 1 WHERE id = NEW.tag_id;
END;
CREATE TRIGGER post_tags_counted_out AFTER DELETE ON post_tags BEGIN
    UPDATE tags SET post_count = post_count - 1 WHERE id = OLD.tag_id;
END;
